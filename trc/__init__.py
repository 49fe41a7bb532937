"""The operator's tooling: ``trc``, embedded stack, simulator, generators, backup, dead letters."""
# It may import the services and shared; they never import it (tests/unit/test_boundaries.py).
