"""The use cases: the Sprachrohr application, its command groups and shared services."""
