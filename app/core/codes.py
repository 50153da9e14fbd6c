"""Random codes: public badge codes, private login secrets and PINs."""

from __future__ import annotations

import re
import secrets

# No 0/O, 1/I/L: a badge code is sometimes read aloud or typed from the print.
BADGE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
BADGE_CODE_LENGTH = 8
_BADGE_RE = re.compile(rf"[{BADGE_ALPHABET}]{{{BADGE_CODE_LENGTH}}}")


def new_badge_code() -> str:
    return "".join(secrets.choice(BADGE_ALPHABET) for _ in range(BADGE_CODE_LENGTH))


# Printed under the agreement's QR code and typed by hand: the badge alphabet has no "-" or "_"
# that a reader (or pdftotext) takes for a hyphen at the end of a line. 20 characters, 99 bits.
PUBLIC_CODE_LENGTH = 20


def new_public_code() -> str:
    """The code in an agreement's public verification address (/c/<code>)."""
    return "".join(secrets.choice(BADGE_ALPHABET) for _ in range(PUBLIC_CODE_LENGTH))


def new_login_secret() -> str:
    return secrets.token_urlsafe(24)


def new_pin() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def new_display_token() -> str:
    return secrets.token_urlsafe(18)


def looks_like_badge_code(value: str) -> bool:
    return bool(_BADGE_RE.fullmatch(value))
