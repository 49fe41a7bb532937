"""The roster: teams, members, shifts, who is on duty, its writes, warnings, API and CLI."""
