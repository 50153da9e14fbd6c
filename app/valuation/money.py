"""Złoty as the pages and PDFs show an estimate: '1 234,50 zł', '286 zł'."""

from __future__ import annotations

from flask_babel import format_decimal


def zloty(grosze: int | None, whole: bool = False) -> str:
    """'286,10 zł' in Polish, '286.10 zł' in English; `whole`: rounded to the złoty ('286 zł')."""
    if grosze is None:
        return "—"
    if whole:
        return f"{format_decimal(round_zloty(grosze), format='#,##0')} zł"
    return f"{format_decimal(grosze / 100, format='#,##0.00')} zł"


def round_zloty(grosze: int) -> int:
    """Whole złoty, halves up (the stats API reports integers)."""
    return (grosze + 50) // 100
