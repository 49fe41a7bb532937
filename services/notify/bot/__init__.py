"""The Telegram side of notify: button presses, commands and the /lapor conversation from the
teams, handled inside the service's own event loop."""

from services.notify.bot.lifecycle import Telegram, build_telegram

__all__ = ["Telegram", "build_telegram"]
