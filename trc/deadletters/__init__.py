"""The dead-letter tool: read parked messages from the broker and replay them (``trc dlt``)."""
