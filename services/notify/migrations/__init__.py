"""Alembic revisions of the notify service's own tables (lineage ``notify``)."""
