"""Unit tests of shelter: its pure rules, and its use cases against an in-memory store."""
