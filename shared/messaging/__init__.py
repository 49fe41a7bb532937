"""Reliable messaging: transactional outbox, idempotent inbox consumer, dead letters."""
