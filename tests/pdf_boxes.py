"""Where a PDF prints its words and its ink, read back with poppler, and the checks that keep it
on paper: inside the page's printable area, inside its own badge or slip cell.

pdftotext drops the characters that fall off the page (a time clipped at the right edge reads
"20:1"), so a layout test checks both that every word it sees lies inside its area
(`assert_on_paper`) and that the texts it expects are printed whole (`count`; amounts and times
also on one line: `on_one_line`). pdftotext ignores clipping, so text hidden by `overflow:
hidden` still shows up where it would have been printed, outside its box or over other words
(`overlapping`). Borders, colour bands and chart bars are no words: `ink_outside` looks at the
rendered pixels for them.

All lengths are in PostScript points (1/72 inch), as poppler reports them, with (0, 0) at the
page's top-left corner; `mm()` converts the millimetres the stylesheets use.
"""

from __future__ import annotations

import subprocess
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

PT_PER_MM = 72 / 25.4
# How far a word's box may reach past the edge of its area. pdftotext measures a word from its
# glyphs' advance widths and the font's ascent and descent, a fraction of a point away from the
# ink; half a point (0.18 mm) absorbs rounding, never a clipped character (a digit is 5 pt wide).
TOLERANCE = 0.5
INK = 200  # a grey pixel darker than this (0 black, 255 white) is ink, whatever its colour
INK_TOLERANCE = 1.5  # points: the antialiasing of a hairline drawn right on an area's edge


def mm(value: float) -> float:
    """Millimetres in points."""
    return value * PT_PER_MM


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def inset(self, top: float, right: float, bottom: float, left: float) -> Box:
        """This box less margins, in CSS order."""
        return Box(self.left + left, self.top + top, self.right - right, self.bottom - bottom)

    def holds(self, other: Box, tolerance: float = TOLERANCE) -> bool:
        return (other.left >= self.left - tolerance and other.top >= self.top - tolerance
                and other.right <= self.right + tolerance and other.bottom <= self.bottom + tolerance)

    def __str__(self) -> str:
        return (f"({self.left / PT_PER_MM:.1f}, {self.top / PT_PER_MM:.1f})–"
                f"({self.right / PT_PER_MM:.1f}, {self.bottom / PT_PER_MM:.1f}) mm")


def mm_box(left: float, top: float, right: float, bottom: float) -> Box:
    """A box given in millimetres."""
    return Box(mm(left), mm(top), mm(right), mm(bottom))


@dataclass(frozen=True)
class Word:
    text: str
    box: Box
    page: int  # 1-based


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    width: float
    height: float
    words: tuple[Word, ...]

    @property
    def box(self) -> Box:
        return Box(0, 0, self.width, self.height)

    def less(self, top: float, right: float, bottom: float, left: float) -> Box:
        """The page less margins given in millimetres, in CSS order."""
        return self.box.inset(mm(top), mm(right), mm(bottom), mm(left))

    @property
    def text(self) -> str:
        """The page's words in the order they are drawn, one space apart."""
        return " ".join(w.text for w in self.words)


Areas = Callable[[Page], Sequence[Box]]  # where a page may print


def pdf_pages(pdf: bytes) -> list[Page]:
    """Every page of the PDF with every word pdftotext finds on it and its box, in the order they
    are drawn (-raw: WeasyPrint draws box after box, so a table cell's lines read together rather
    than interleaved with the next cell's)."""
    assert pdf.startswith(b"%PDF-"), pdf[:200]
    out = subprocess.run(["pdftotext", "-bbox", "-raw", "-enc", "UTF-8", "-", "-"], input=pdf, check=True,
                         capture_output=True).stdout
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    pages = []
    for number, page in enumerate(ET.fromstring(out).iterfind(".//x:page", ns), start=1):
        words = tuple(Word(w.text or "", Box(float(w.get("xMin", 0)), float(w.get("yMin", 0)),
                                             float(w.get("xMax", 0)), float(w.get("yMax", 0))), number)
                      for w in page.iterfind("x:word", ns))
        pages.append(Page(number, float(page.get("width", 0)), float(page.get("height", 0)), words))
    assert pages, "pdftotext found no pages"
    return pages


def all_text(pages: Iterable[Page]) -> str:
    return " ".join(page.text for page in pages)


HYPHENATION = "\u2010"  # what WeasyPrint prints where `hyphens: auto` breaks a word (typed: "-")


def squeezed(text: str) -> str:
    """The text without whitespace or hyphenation: a word broken across lines (an e-mail, an
    address, a hyphenated name) reads back as one; a character lost off the page is still missing."""
    return "".join(text.split()).replace(HYPHENATION, "")


def count(pages: Iterable[Page], phrase: str) -> int:
    """How many times `phrase` is printed whole, however its lines break."""
    return squeezed(all_text(pages)).count(squeezed(phrase))


def on_one_line(pages: Iterable[Page], phrase: str) -> int:
    """How many times `phrase` is printed whole on one line (an amount, a time: never broken)."""
    target = squeezed(phrase)
    found = 0
    for page in pages:
        words = page.words
        for start in range(len(words)):
            text = ""
            for word in words[start:]:
                if abs(word.box.top - words[start].box.top) > 1 or not target.startswith(text + word.text):
                    break
                text += word.text
                if text == target:
                    found += 1
                    break
    return found


def words_outside(pages: Iterable[Page], areas_of: Areas, tolerance: float = TOLERANCE) -> list[str]:
    """The words that no one of their page's areas holds whole, described for an assertion."""
    problems = []
    for page in pages:
        areas = areas_of(page)
        problems += [f"page {w.page}: {w.text!r} at {w.box}" for w in page.words
                     if not any(area.holds(w.box, tolerance) for area in areas)]
    return problems


def overlapping(pages: Iterable[Page], share: float = 0.2) -> list[str]:
    """Words printed over one another: pairs whose boxes share more than `share` of the smaller
    one (consecutive lines' boxes touch by a few per cent where the line height is tight)."""
    problems = []
    for page in pages:
        words = sorted(page.words, key=lambda w: w.box.top)
        for i, a in enumerate(words):
            for b in words[i + 1:]:
                if b.box.top >= a.box.bottom:
                    break
                width = min(a.box.right, b.box.right) - max(a.box.left, b.box.left)
                height = min(a.box.bottom, b.box.bottom) - max(a.box.top, b.box.top)
                smaller = min(_area(a.box), _area(b.box))
                if width > 0 and height > 0 and width * height > share * smaller:
                    problems.append(f"page {page.number}: {a.text!r} at {a.box} and {b.text!r} at {b.box}")
    return problems


def _area(box: Box) -> float:
    return (box.right - box.left) * (box.bottom - box.top)


def ink_outside(pdf: bytes, pages: Sequence[Page], areas_of: Areas) -> list[str]:
    """Where anything is drawn outside a page's areas: each page rendered in grey at 72 dpi (a pixel
    a point), its areas painted white, and what ink is left described by its bounding box."""
    problems = []
    with tempfile.TemporaryDirectory() as folder:
        # Greymaps (.pgm): writing PNGs would take most of the time.
        subprocess.run(["pdftoppm", "-r", "72", "-gray", "-", str(Path(folder) / "page")], input=pdf, check=True)
        images = sorted(Path(folder).glob("page-*.pgm"))
        assert len(images) == len(pages), (len(images), len(pages))
        for page, path in zip(pages, images, strict=True):
            with Image.open(path) as image:
                grey = image.convert("L")
            draw = ImageDraw.Draw(grey)
            for area in areas_of(page):
                draw.rectangle((area.left - INK_TOLERANCE, area.top - INK_TOLERANCE,
                                area.right + INK_TOLERANCE, area.bottom + INK_TOLERANCE), fill=255)
            found = grey.point(lambda v: 255 if v < INK else 0).getbbox()
            if found:
                problems.append(f"page {page.number}: ink at {Box(*(float(v) for v in found))}")
    return problems


def assert_on_paper(pdf: bytes, pages: Sequence[Page], areas_of: Areas, *, ink: bool = True) -> None:
    """Every word, and (with `ink`) every drawn pixel, lies inside one of its page's areas, and no
    word is printed over another."""
    problems = words_outside(pages, areas_of) + overlapping(pages)
    if ink:
        problems += ink_outside(pdf, pages, areas_of)
    assert not problems, "printed outside the printable area:\n" + "\n".join(problems[:40])
