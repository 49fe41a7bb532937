"""Personal data at rest (UU 27/2022 PDP): NIK and phone numbers encrypted with a key from the
settings (Fernet, from ``cryptography``), and found again through a keyed hash — the database
alone reveals neither."""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


class VaultError(ValueError):
    """No key to protect personal data with, or a value this key did not seal."""


class Vault:
    def __init__(self, secret: str) -> None:
        if len(secret) < 32:
            raise VaultError("set TRC_SHELTER_DATA_KEY (or TRC_AUTH_SECRET): 32+ characters")
        material = secret.encode()
        self._fernet = Fernet(base64.urlsafe_b64encode(_derive(material, b"trc-shelter-seal")))
        self._search = _derive(material, b"trc-shelter-search")

    def seal(self, value: str | None) -> str | None:
        return self._fernet.encrypt(value.encode()).decode() if value else None

    def open(self, sealed: str | None) -> str | None:
        if not sealed:
            return None
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken:
            raise VaultError("this value was sealed with another key") from None

    def search_key(self, nik: str | None) -> str | None:
        """The same NIK always gives the same key (to find a person again), and nothing else."""
        digits = "".join(ch for ch in nik or "" if ch.isdigit())
        return (
            hmac.new(self._search, digits.encode(), hashlib.sha256).hexdigest() if digits else None
        )


def _derive(material: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(material)
