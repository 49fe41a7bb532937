"""The four services; each its own process, each owning its own tables."""
