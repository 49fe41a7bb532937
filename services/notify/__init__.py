"""The notify service. Notify: Telegram assignments and field updates."""
