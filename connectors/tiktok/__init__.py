"""connectors/tiktok package."""
