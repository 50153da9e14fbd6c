"""QR codes for print: tiny PNG images, one pixel per module, scaled up by the stylesheet.

The `qrcode` library encodes the data. Its choice of mask pattern tries all eight masks on
lists of booleans, which is three quarters of its run time; here the same choice (the same
penalty rules, the same tie-break, so the same matrix) is scored on rows and columns held as
integers, which makes a badge's QR code about three times cheaper. The tests compare the
result with the library's own matrix.
"""

from __future__ import annotations

import base64
import functools
import io
import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import qrcode
from PIL import Image
from qrcode import util as qr_util
from qrcode.constants import ERROR_CORRECT_M

ERROR_CORRECTION = ERROR_CORRECT_M  # 15 % of the code may be damaged or covered
QUIET_ZONE = 4  # modules of light margin, as the standard asks

_RUNS = re.compile(r"00000+|11111+")  # five or more modules of one colour in a line
_FINDER_LIKE = ("10111010000", "00001011101")  # 1:1:3:1:1 next to four light modules
_TO_GREY = bytes.maketrans(b"01", b"\xff\x00")  # light module → white, dark → black


def fit_version(payloads: Iterable[str]) -> int:
    """The smallest QR version that holds every payload, so that a print run's codes match.

    Within one encoding mode a longer payload never needs a smaller version, so only the longest
    payload of each mode is fitted (a run's payloads are mostly of one length and mode).
    """
    longest: dict[int, qr_util.QRData] = {}
    for payload in payloads:
        data = qr_util.QRData(payload)
        if data.mode not in longest or len(data) > len(longest[data.mode]):
            longest[data.mode] = data
    version = 1
    for data in longest.values():
        qr = qrcode.QRCode(error_correction=ERROR_CORRECTION)
        qr.add_data(data, optimize=0)
        version = max(version, qr.best_fit())
    return version


def qr_png(payload: str, version: int | None = None) -> bytes:
    """A greyscale PNG of the code with its quiet zone, one pixel per module."""
    rows = qr_matrix(payload, version or fit_version([payload]))
    n = len(rows)
    side = n + 2 * QUIET_ZONE
    margin = b"\xff" * QUIET_ZONE
    blank = b"\xff" * (side * QUIET_ZONE)
    fmt = f"0{n}b"
    body = b"".join(margin + format(row, fmt).encode().translate(_TO_GREY) + margin for row in rows)
    image = Image.frombytes("L", (side, side), blank + body + blank)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()


def qr_data_uri(payload: str, version: int | None = None) -> str:
    return "data:image/png;base64," + base64.b64encode(qr_png(payload, version)).decode("ascii")


def qr_matrix(payload: str, version: int) -> list[int]:
    """The code's rows as integers (leftmost module = most significant bit, 1 = dark).

    Identical to what `qrcode` itself makes for this payload, version and error correction.
    """
    qr = qrcode.QRCode(version=version, error_correction=ERROR_CORRECTION, border=0, mask_pattern=0)
    qr.add_data(payload, optimize=0)
    qr.make(fit=False)
    layout = _layout(version)
    n = layout.size
    rows = ["".join(["1" if dark else "0" for dark in row]) for row in qr.modules]
    lines = [int(r, 2) for r in rows] + [int("".join(col), 2) for col in zip(*rows, strict=True)]
    # The data and error-correction modules without any mask: undo mask 0.
    plain = [(x & d) ^ m for x, d, m in zip(lines, layout.data, layout.masks[0], strict=True)]

    def score(mask: int) -> tuple[int, int]:
        masked = [f | (p ^ m) for f, p, m in zip(layout.scored_fixed, plain, layout.masks[mask], strict=True)]
        return penalty(masked, n), mask  # ties go to the lower mask, as in `qrcode`

    best = min(range(8), key=score)
    final = zip(layout.fixed[best][:n], plain[:n], layout.masks[best][:n], strict=True)
    return [f | (p ^ m) for f, p, m in final]


def penalty(lines: list[int], n: int) -> int:
    """The mask penalty of ISO/IEC 18004, computed exactly as `qrcode.util.lost_point` does.

    `lines` holds the n rows, then the n columns, each as an n-bit integer.
    """
    fmt = f"0{n}b"
    text = " ".join([format(x, fmt) for x in lines])
    runs = _RUNS.findall(text)
    score = sum(map(len, runs)) - 2 * len(runs)  # a run of k ≥ 5 costs k - 2
    score += 40 * sum(text.count(pattern) for pattern in _FINDER_LIKE)  # neither overlaps itself
    rows = lines[:n]
    inner = (1 << (n - 1)) - 1
    blocks = 0
    for upper, lower in itertools.pairwise(rows):
        same = ~(upper ^ lower)  # the module below has the same colour
        blocks += (same & (same >> 1) & ~(upper ^ (upper >> 1)) & inner).bit_count()
    score += 3 * blocks  # each 2×2 block of one colour
    dark = sum(row.bit_count() for row in rows)
    score += int(abs(float(dark) / (n**2) * 100 - 50) / 5) * 10  # every 5 % away from half dark
    return score


@dataclass(frozen=True)
class _Layout:
    """Where one version's data modules are, as bitmasks: the n rows, then the n columns."""

    size: int
    data: tuple[int, ...]  # modules that carry data or error correction
    masks: tuple[tuple[int, ...], ...]  # per mask pattern: the data modules it inverts
    scored_fixed: tuple[int, ...]  # dark non-data modules while masks are scored (format left light)
    fixed: tuple[tuple[int, ...], ...]  # per mask pattern: dark non-data modules of the final code


class _Probe(qrcode.QRCode):
    """Records the matrix just before the data goes in: every module still None carries data."""

    snapshot: list[list[bool | None]]

    def map_data(self, data: Any, mask_pattern: int) -> None:
        self.snapshot = [row[:] for row in self.modules]
        super().map_data(data, mask_pattern)


def _bitmasks(cell: Callable[[int, int], bool], n: int) -> tuple[int, ...]:
    rows = [int("".join("1" if cell(r, c) else "0" for c in range(n)), 2) for r in range(n)]
    cols = [int("".join("1" if cell(r, c) else "0" for r in range(n)), 2) for c in range(n)]
    return tuple(rows + cols)


@functools.cache
def _layout(version: int) -> _Layout:
    probe = _Probe(version=version, error_correction=ERROR_CORRECTION, border=0)
    probe.add_data("", optimize=0)
    probe.makeImpl(True, 0)  # `test` mode: the layout `qrcode` scores masks on
    scoring = probe.snapshot
    n = len(scoring)
    masks = []
    fixed = []
    for pattern in range(8):
        inverts = qr_util.mask_func(pattern)
        def inverted(r: int, c: int, f: Callable[[int, int], Any] = inverts) -> bool:
            return scoring[r][c] is None and bool(f(r, c))

        masks.append(_bitmasks(inverted, n))
        probe.makeImpl(False, pattern)
        final = probe.snapshot
        def dark(r: int, c: int, s: list[list[bool | None]] = final) -> bool:
            return s[r][c] is True

        fixed.append(_bitmasks(dark, n))
    return _Layout(
        size=n,
        data=_bitmasks(lambda r, c: scoring[r][c] is None, n),
        masks=tuple(masks),
        scored_fixed=_bitmasks(lambda r, c: scoring[r][c] is True, n),
        fixed=tuple(fixed),
    )
