"""Shelter rules without I/O: case states and stages, the rehabilitation plan, beds, corrections."""
