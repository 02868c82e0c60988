"""connectors/katana package."""
