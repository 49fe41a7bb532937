"""The integration tier: real broker, real databases (SQLite and PostgreSQL)."""
