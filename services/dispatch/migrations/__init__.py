"""Alembic revisions of the dispatch service's own tables (lineage ``dispatch``)."""
