"""Event-store infrastructure beyond the library defaults."""
