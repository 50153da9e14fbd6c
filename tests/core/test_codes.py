"""Random codes: what they are made of."""

from __future__ import annotations

from app.core.codes import BADGE_ALPHABET, PUBLIC_CODE_LENGTH, looks_like_badge_code, new_badge_code, new_public_code


def test_public_code_has_no_character_a_reader_takes_for_a_hyphen() -> None:
    codes = {new_public_code() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert len(code) == PUBLIC_CODE_LENGTH and set(code) <= set(BADGE_ALPHABET)
        assert "-" not in code and "_" not in code


def test_badge_code_is_recognised() -> None:
    code = new_badge_code()
    assert looks_like_badge_code(code)
    assert not looks_like_badge_code(code.lower()) and not looks_like_badge_code(code + "A")
