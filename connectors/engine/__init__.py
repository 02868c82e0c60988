"""connectors/engine package."""
