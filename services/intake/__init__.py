"""The intake service. Intake: every report from every channel."""
