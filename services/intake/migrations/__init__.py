"""Alembic revisions of the intake service's own tables (lineage ``intake``)."""
