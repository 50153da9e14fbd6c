"""The QR codes printed on badges and slips (app/door/badge_qr.py)."""

from __future__ import annotations

import random

import qrcode

from app.door.badge_qr import fit_version, qr_matrix
from tests.door.conftest import BASE


def test_print_qr_matrix_is_the_one_qrcode_makes() -> None:
    rng = random.Random(7)
    payloads = [f"{BASE}/p/" + "".join(rng.choice("ABCDEFGHJKMNPQRSTUVWXYZ23456789") for _ in range(8))
                for _ in range(40)]
    payloads += ["https://example.org/f/x/login/" + "".join(rng.choice("abcXYZ019-_") for _ in range(n))
                 for n in (32, 120, 400)]
    for payload in payloads:
        reference = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
        reference.add_data(payload, optimize=0)
        reference.make()
        expected = [int("".join("1" if dark else "0" for dark in row), 2) for row in reference.modules]
        assert qr_matrix(payload, reference.version) == expected, payload


def test_one_qr_version_fits_the_longest_payload_of_a_run() -> None:
    assert fit_version(["http://a.pl/p/ABCDEFGH", "http://a.pl/p/ABCDEFGH" + "x" * 60]) > \
        fit_version(["http://a.pl/p/ABCDEFGH"])
