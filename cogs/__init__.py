"""Discord-facing features, one package each. Shared helpers live in cogs.core."""
