"""Incidents: reports arriving, assignments, field presses, manual actions, timers, reminders."""
