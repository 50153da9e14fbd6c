"""Badges and login slips keep every word inside their own cell, clear of the cut lines, on A4
sheets and one to a page (card printers): with the longest names, organisations, fair names and
login addresses the model allows, read back word by word with `pdftotext -bbox`."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence

import pytest

from app.door.badges import BADGE_GRID, SLIP_GRID, BadgeFace, Grid, PrintLayout, SlipFace, write_badges, write_slips
from app.fairs.roles import Role
from app.network.sectors import Sector
from tests.long_texts import (
    FIRST_NAMES,
    LAST_NAME,
    LONG_FAIR,
    LONG_NAME,
    LONG_ORGANISATION,
    LONG_SLUG,
    LONG_WORD,
    OTHER_LONG_ORGANISATION,
)
from tests.pdf_boxes import Box, Page, assert_on_paper, mm_box, pdf_pages, squeezed
from tests.printing import printing_app

# A guillotine or scissors drift a millimetre or so off the marks: no word nearer a cut line.
CUT_SAFETY = 2
PUBLIC = "https://gielda.przyjaciele-ziemi-kociewskiej.org.pl"
LOGIN_PAGE = f"{PUBLIC}/f/{LONG_SLUG}/login"
SECRET = "Xq3vT9kLmN2pR7sW4yZ8bC1dF6gH0jK5aE3uI8oPq2M"  # 43 characters, as login secrets are

BADGES = (
    BadgeFace(FIRST_NAMES, LAST_NAME, LONG_ORGANISATION, Sector.NGO, "K7M2QX", f"{PUBLIC}/p/K7M2QX", Role.NOTARY),
    BadgeFace("Jan", LONG_WORD, OTHER_LONG_ORGANISATION, Sector.BUSINESS, "W4TZ9P", f"{PUBLIC}/p/W4TZ9P",
              Role.ORGANISER),
    BadgeFace(FIRST_NAMES, LAST_NAME, "", Sector.RESIDENT, "H8RN3C", f"{PUBLIC}/p/H8RN3C"),
    BadgeFace("Łucja", "Żółkiewska", "Fundacja Źdźbło", Sector.SOCIAL_COOPERATIVE, "B2VX7L", f"{PUBLIC}/p/B2VX7L",
              Role.BROKER),
    BadgeFace("Zdzisław", "Ćwik", "Urząd Miejski w Tczewie", Sector.PUBLIC, "M5KD2W", f"{PUBLIC}/p/M5KD2W"),
    BadgeFace("Grzegorz", "Brzęczyszczykiewicz", "Koło Gospodyń Wiejskich „Żurawina”", Sector.INFORMAL_GROUP,
              "Q9FJ4T", f"{PUBLIC}/p/Q9FJ4T"),
)
SLIPS = (
    SlipFace(LONG_NAME, "K7M2QX", "482915", f"{PUBLIC}/f/{LONG_SLUG}/login/{SECRET}"),
    SlipFace(f"Jan {LONG_WORD}", "W4TZ9P", "730264", f"{PUBLIC}/f/{LONG_SLUG}/login/{SECRET[::-1]}"),
    SlipFace("Łucja Żółkiewska", "B2VX7L", "105837", f"{PUBLIC}/f/{LONG_SLUG}/login/{SECRET.lower()}"),
)
SHEET_BADGES = BADGES * 2  # 12: a full sheet of ten, then two on the next
SHEET_SLIPS = SLIPS * 3  # 9: a full sheet of six, then three


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[bytes, list[Page]]]]:
    """Badges and slips on sheets and one to a page, rendered once for the module."""
    def render(write: Callable[..., int], faces: Sequence[object], layout: PrintLayout,
               **kw: str) -> tuple[bytes, list[Page]]:
        out = io.BytesIO()
        write(faces, out, fair_name=LONG_FAIR, layout=layout, **kw)
        return out.getvalue(), pdf_pages(out.getvalue())

    with printing_app(tmp_path_factory.mktemp("badges")):
        yield {
            "badges-sheet": render(write_badges, SHEET_BADGES, PrintLayout.SHEET),
            "badges-card": render(write_badges, BADGES, PrintLayout.CARD),
            "slips-sheet": render(write_slips, SHEET_SLIPS, PrintLayout.SHEET, login_page=LOGIN_PAGE),
            "slips-card": render(write_slips, SLIPS, PrintLayout.CARD, login_page=LOGIN_PAGE),
        }


def cells(page: Page, grid: Grid, layout: PrintLayout) -> list[Box]:
    """Where the words of each badge or slip on the page may go: its cell, less the colour band,
    less the cut safety on every side, in the order of the slots."""
    single = layout == PrintLayout.CARD
    origins = [(0.0, 0.0)] if single else [grid.position(slot) for slot in range(grid.per_page)]
    return [mm_box(x + grid.band + CUT_SAFETY, y + CUT_SAFETY, x + grid.width - CUT_SAFETY,
                   y + grid.height - CUT_SAFETY) for x, y in origins]


def texts_by_cell(pages: list[Page], grid: Grid, layout: PrintLayout) -> list[str]:
    """The words in each cell, page after page, slot after slot (without whitespace)."""
    found = []
    for page in pages:
        for cell in cells(page, grid, layout):
            found.append(squeezed(" ".join(w.text for w in page.words if cell.holds(w.box))))
    return found


@pytest.mark.parametrize("kind", ["badges", "slips"])
@pytest.mark.parametrize("layout", [PrintLayout.SHEET, PrintLayout.CARD])
def test_no_word_leaves_its_cell_or_prints_over_another(printed, kind, layout):
    pdf, pages = printed[f"{kind}-{layout}"]
    grid = BADGE_GRID if kind == "badges" else SLIP_GRID
    # The cut marks and colour bands are outside the cells on purpose: words only, no ink check.
    assert_on_paper(pdf, pages, lambda page: cells(page, grid, layout), ink=False)


@pytest.mark.parametrize("layout", [PrintLayout.SHEET, PrintLayout.CARD])
def test_every_badge_prints_whole_inside_its_own_cell(printed, layout):
    faces = SHEET_BADGES if layout == PrintLayout.SHEET else BADGES
    _, pages = printed[f"badges-{layout}"]
    assert len(pages) == (2 if layout == PrintLayout.SHEET else len(BADGES))
    texts = texts_by_cell(pages, BADGE_GRID, layout)
    for face, text in zip(faces, texts, strict=False):
        assert squeezed(f"{face.first_name} {face.last_name}") in text, (face, text)
        assert squeezed(face.organisation) in text
        # The foot: badge code, the fair's whole name, the sector and a staff role.
        assert squeezed(f"{face.badge_code} · {LONG_FAIR} · {face.sector.label}") in text
        if face.role != Role.PARTICIPANT:
            assert text.endswith(squeezed(f" · {face.role.label}"))
    assert all(text == "" for text in texts[len(faces):])  # the rest of the last sheet is blank


@pytest.mark.parametrize("layout", [PrintLayout.SHEET, PrintLayout.CARD])
def test_every_slip_prints_whole_inside_its_own_cell(printed, layout):
    faces = SHEET_SLIPS if layout == PrintLayout.SHEET else SLIPS
    _, pages = printed[f"slips-{layout}"]
    assert len(pages) == (2 if layout == PrintLayout.SHEET else len(SLIPS))
    texts = texts_by_cell(pages, SLIP_GRID, layout)
    for face, text in zip(faces, texts, strict=False):
        assert text.startswith(squeezed(LONG_FAIR + face.full_name)), (face, text)
        assert squeezed(f"Kod identyfikatora / Badge code: {face.badge_code}") in text
        assert squeezed(f"PIN: {face.pin}") in text
        # How to log in without a camera, in Polish and in English, with the whole address.
        assert squeezed(f"Otwórz {LOGIN_PAGE} i wpisz") in text and squeezed(f"Open {LOGIN_PAGE} and type") in text
    assert all(text == "" for text in texts[len(faces):])
