"""connectors/sfcc package."""
