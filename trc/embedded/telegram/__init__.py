"""The Telegram Bot API stand-in: team chats with buttons to press, served on a local port."""
