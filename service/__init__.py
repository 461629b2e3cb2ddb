"""The use cases shared by every way in (API, web, CLI)."""
