"""Frozen dossier code of template version 1."""
