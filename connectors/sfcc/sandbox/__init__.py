"""connectors/sfcc/sandbox package."""
