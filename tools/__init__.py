"""Maintenance tools (python -m tools.<name>)."""
