"""Unit tests of the simulator's plans and scenarios."""
