"""Briefing dossiers: content from the log as of a position, rendered reproducibly."""
