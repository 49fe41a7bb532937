"""The dispatch service. Dispatch: teams, roster, incidents and assignments."""
