"""Dispatch's pure rules: the policy, states, deadlines, shifts, sheets; no I/O."""
