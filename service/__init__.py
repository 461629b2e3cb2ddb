"""The use cases: what every way in (API, web, CLI) asks the system to do."""
