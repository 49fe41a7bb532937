"""The test suite, in tiers by folder: unit, integration, e2e, fault (docs/architecture.md)."""
