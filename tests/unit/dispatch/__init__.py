"""Unit tests of dispatch: the policy, deadlines, sheets, console rules, reminders."""
