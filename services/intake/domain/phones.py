"""Phone numbers as E.164 (+62…), whatever way a caller or an operator typed them."""

from __future__ import annotations

import phonenumbers


class InvalidPhone(ValueError):
    """Not a phone number that can be called."""


def normalise_phone(raw: str, *, default_region: str = "ID") -> str:
    """``0812-3456-7890`` / ``62812 3456 7890`` / ``+62 812 3456 7890`` → ``+6281234567890``."""
    text = raw.strip()
    if text.startswith("62") and not text.startswith("+"):
        text = "+" + text
    try:
        number = phonenumbers.parse(text, default_region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone(f"not a phone number: {exc}") from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone("not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
