"""Alembic revisions of the shelter service's own tables (lineage ``shelter``)."""
