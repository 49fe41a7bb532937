"""The operator's tooling: ``trc``, embedded stack, simulator, generators, backup, dead letters."""
# It may import the services and shared; nothing imports it back (tests/unit/test_boundaries.py).
