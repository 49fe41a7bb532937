"""The fault tier: a simulated day on the whole stack while faults are injected."""
