"""Printed badges and login slips: who gets one, what goes on it, and the PDF.

A badge is public: name, organisation, the sector's colour band, the fair, the badge code and a
QR code of the participant's card (`/p/<badge_code>`), which grants nothing. The private login
link goes on a separate slip that only its owner gets, with the badge code and PIN as the
fallback. Both are rendered from plain values (never ORM objects or the request) in chunks of a
few pages, so that a long run can report progress and memory stays flat while laying out.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import quote

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.core.errors import Conflict
from app.core.extensions import db
from app.core.output.pdf import PdfBuilder
from app.core.textkeys import search_key
from app.core.web.urls import card_url, login_page_url, login_url
from app.door.badge_qr import fit_version, qr_data_uri
from app.fairs.models import Fair
from app.fairs.roles import PASSWORD_ROLES, Role
from app.network.sectors import SECTOR_COLOURS, Sector
from app.people.models import Participant

STYLESHEET = "css/badges.css"
CHUNK_PAGES = 10  # pages per WeasyPrint document (100 badges or 60 slips): each document costs its own
# style computation, so fewer, longer chunks lay out faster; progress is reported after each

# Called after each chunk with (items laid out so far, items in the run).
Progress = Callable[[int, int], None]


class PrintKind(enum.StrEnum):
    BADGES = "badges"
    SLIPS = "slips"


class PrintLayout(enum.StrEnum):
    SHEET = "sheet"  # A4 sheets, several per page, with cut marks
    CARD = "card"  # one per page, the page the size of the badge (badge and label printers)


@dataclass(frozen=True)
class Grid:
    """Items of one size tiled edge to edge in the middle of an A4 page; cut along the marks.

    Everything about sizes and positions comes from here, as a stylesheet made once per run;
    static/css/badges.css only says how things look.
    """

    width: float  # mm
    height: float
    cols: int
    rows: int
    band: float = 0.0  # the sector colour band down the left edge (badges only)
    page_width: float = 210.0
    page_height: float = 297.0
    mark_gap: float = 2.0  # between the grid and a cut mark
    mark_length: float = 5.0

    @property
    def per_page(self) -> int:
        return self.cols * self.rows

    @property
    def left(self) -> float:
        return (self.page_width - self.cols * self.width) / 2

    @property
    def top(self) -> float:
        return (self.page_height - self.rows * self.height) / 2

    def position(self, slot: int) -> tuple[float, float]:
        row, col = divmod(slot, self.cols)
        return self.left + col * self.width, self.top + row * self.height

    def css(self, layout: PrintLayout) -> str:
        return _grid_css(self, layout)


BADGE_GRID = Grid(width=90, height=55, cols=2, rows=5, band=7)
SLIP_GRID = Grid(width=95, height=90, cols=2, rows=3)


@functools.cache
def _grid_css(grid: Grid, layout: PrintLayout) -> str:
    rules = [f".item {{ width: {grid.width:g}mm; height: {grid.height:g}mm; }}"]
    if grid.band:
        rules.append(f".badge {{ border-left: {grid.band:g}mm solid #fff; }}")
        rules += [f".sector-{sector.value} {{ border-left-color: {colour}; }}"
                  for sector, colour in SECTOR_COLOURS.items()]
    if layout == PrintLayout.SHEET:
        rules.append(f"@page {{ size: {grid.page_width:g}mm {grid.page_height:g}mm; margin: 0; }}")
        rules.append(f'.sheet {{ width: {grid.page_width:g}mm; height: {grid.page_height:g}mm; '
                     f'background-image: url("{_background(grid, layout)}"); }}')
        for slot in range(grid.per_page):
            x, y = grid.position(slot)
            rules.append(f".slot-{slot} {{ left: {x:g}mm; top: {y:g}mm; }}")
    else:
        rules.append(f"@page {{ size: {grid.width:g}mm {grid.height:g}mm; margin: 0; }}")
        if grid.band:
            rules.append(f'.single {{ background-image: url("{_background(grid, layout)}"); }}')
    return "\n".join(rules)


def _background(grid: Grid, layout: PrintLayout) -> str:
    """An SVG under each page: the cut marks in the margins, in line with every edge of the grid,
    and a hairline along each colour band, so that a white band (business) shows too."""
    lines = []
    if layout == PrintLayout.SHEET:
        page_width, page_height = grid.page_width, grid.page_height
        left, top = grid.left, grid.top
        right, bottom = left + grid.cols * grid.width, top + grid.rows * grid.height
        gap, length = grid.mark_gap, grid.mark_length
        for col in range(grid.cols + 1):
            x = left + col * grid.width
            lines += [(x, top - gap - length, x, top - gap), (x, bottom + gap, x, bottom + gap + length)]
        for row in range(grid.rows + 1):
            y = top + row * grid.height
            lines += [(left - gap - length, y, left - gap, y), (right + gap, y, right + gap + length, y)]
        bands = [(left + col * grid.width + grid.band, top, bottom) for col in range(grid.cols)]
    else:
        page_width, page_height = grid.width, grid.height
        bands = [(grid.band, 0.0, grid.height)]
    path = " ".join(f"M{x1:g} {y1:g}L{x2:g} {y2:g}" for x1, y1, x2, y2 in lines)
    edges = " ".join(f"M{x:g} {y1:g}L{x:g} {y2:g}" for x, y1, y2 in bands) if grid.band else ""
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{page_width:g}mm" height="{page_height:g}mm" '
           f'viewBox="0 0 {page_width:g} {page_height:g}" fill="none">'
           + (f'<path d="{path}" stroke="#000" stroke-width="0.2"/>' if path else "")
           + (f'<path d="{edges}" stroke="#888" stroke-width="0.2"/>' if edges else "")
           + "</svg>")
    return "data:image/svg+xml," + quote(svg)


# --- what goes on a badge and a slip ---------------------------------------------------------


def text_size(length: int, large: int, medium: int) -> str:
    """The size class of a text of `length` characters: "l" up to `large`, "m" up to `medium`, else "s"."""
    return "l" if length <= large else "m" if length <= medium else "s"


def fair_name_size(fair_name: str) -> str:
    """The size class of the fair's name, printed small on every badge and slip (up to 200 characters)."""
    return text_size(len(fair_name), 50, 100)


@dataclass(frozen=True)
class BadgeFace:
    first_name: str
    last_name: str
    organisation: str  # empty for residents, who represent themselves
    sector: Sector
    badge_code: str
    card_url: str
    role: Role = Role.PARTICIPANT  # notaries and organisers are named on their badge

    @property
    def name_size(self) -> str:
        """A font size class that fits the longest word of the name on the badge."""
        longest = max((len(word) for word in f"{self.first_name} {self.last_name}".split()), default=0)
        if longest <= 11:
            return "xl"
        if longest <= 14:
            return "l"
        if longest <= 18:
            return "m"
        return "s"

    @property
    def organisation_size(self) -> str:
        """A font size class that fits the organisation's name, up to its 200 characters, between
        the person's name and the badge's foot."""
        return text_size(len(self.organisation), 60, 110)


@dataclass(frozen=True)
class SlipFace:
    full_name: str
    badge_code: str
    pin: str
    login_url: str

    @property
    def name_size(self) -> str:
        """A font size class that fits the name on one line of the slip, or two at the smallest."""
        if len(self.full_name) <= 26:
            return "xl"
        if len(self.full_name) <= 34:
            return "m"
        return "s"


def printable_people(fair_id: int, ids: Collection[int] | None = None) -> list[Participant]:
    """The fair's current participants (or those of `ids` among them), ordered as on the list page."""
    query = (select(Participant).options(joinedload(Participant.organisation))
             .where(Participant.fair_id == fair_id, Participant.removed_at.is_(None)))
    if ids is not None:
        query = query.where(Participant.id.in_(list(ids)))
    return sorted(db.session.scalars(query),
                  key=lambda p: (search_key(p.last_name), search_key(p.first_name), p.id))


def badge_face(person: Participant, base: str) -> BadgeFace:
    sector = person.organisation.sector
    return BadgeFace(
        first_name=person.first_name,
        last_name=person.last_name,
        organisation="" if sector == Sector.RESIDENT else person.organisation.name,
        sector=sector,
        badge_code=person.badge_code,
        card_url=card_url(person.badge_code, base),
        role=person.role,
    )


def slip_face(person: Participant, base: str) -> SlipFace:
    if person.role in PASSWORD_ROLES:
        raise Conflict(_l("Organisers, notaries and brokers log in with their password and get no login slip."),
                       code="no_slip_for_staff")
    if person.login_revoked:
        raise Conflict(_l("This participant's login is revoked; issue a new one first."),
                       code="login_revoked")
    return SlipFace(
        full_name=person.full_name,
        badge_code=person.badge_code,
        pin=person.pin,
        login_url=login_url(person.fair.slug, person.login_secret, base),
    )


def slip_faces(people: Sequence[Participant], base: str) -> list[SlipFace]:
    """Slips for every participant whose login works (a revoked login gets none; staff log in
    with their password and get none)."""
    return [slip_face(p, base) for p in people if not p.login_revoked and p.role not in PASSWORD_ROLES]


# --- rendering --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Placed:
    face: BadgeFace | SlipFace
    qr: str
    slot: int


def _pages(placed: list[_Placed], per_page: int) -> Iterator[list[_Placed]]:
    for start in range(0, len(placed), per_page):
        yield placed[start:start + per_page]


def qr_images(payloads: Sequence[str], version: int | None = None) -> list[str]:
    """The QR images (data URIs) of a print run's payloads, all of one size: the smallest version
    that holds every payload of the run unless `version` is given."""
    version = version or fit_version(payloads)
    return [qr_data_uri(payload, version) for payload in payloads]


def _run(template: str, faces: Sequence[BadgeFace | SlipFace], payloads: Sequence[str], grid: Grid,
         layout: PrintLayout, target: str | Path | IO[bytes], progress: Progress | None,
         images: Sequence[str] | None = None, **context: object) -> int:
    """Lay out the faces chunk by chunk and write one PDF. Returns the number of pages.

    `images`: the payloads' QR images if made beforehand (`qr_images`); else made chunk by chunk.
    """
    if not faces:
        raise ValueError("nothing to print")
    if images is not None and len(images) != len(faces):
        raise ValueError("one QR image per face")
    per_page = grid.per_page if layout == PrintLayout.SHEET else 1
    chunk = per_page * CHUNK_PAGES
    version = fit_version(payloads) if images is None else None  # one QR size for the whole run
    builder = PdfBuilder(STYLESHEET, grid.css(layout))
    for start in range(0, len(faces), chunk):
        end = start + chunk
        codes = images[start:end] if images is not None else qr_images(payloads[start:end], version)
        placed = [_Placed(face, qr, i % per_page)
                  for i, (face, qr) in enumerate(zip(faces[start:end], codes, strict=True))]
        builder.add(render_template(template, pages=list(_pages(placed, per_page)), layout=layout.value,
                                    **context))
        if progress:
            progress(min(end, len(faces)), len(faces))
    builder.write(target)
    return builder.page_count


def write_badges(faces: Sequence[BadgeFace], target: str | Path | IO[bytes], *, fair_name: str,
                 layout: PrintLayout = PrintLayout.SHEET, progress: Progress | None = None,
                 images: Sequence[str] | None = None) -> int:
    """`images`: the faces' QR images (of their card URLs) when made beforehand, by `qr_images`."""
    return _run("door/badges.html", faces, [f.card_url for f in faces], BADGE_GRID, layout, target,
                progress, images, fair_name=fair_name, fair_size=fair_name_size(fair_name),
                title=_("Badges · %(fair)s", fair=fair_name))


def write_slips(faces: Sequence[SlipFace], target: str | Path | IO[bytes], *, fair_name: str,
                login_page: str, layout: PrintLayout = PrintLayout.SHEET,
                progress: Progress | None = None) -> int:
    return _run("door/slips.html", faces, [f.login_url for f in faces], SLIP_GRID, layout, target,
                progress, fair_name=fair_name, fair_size=fair_name_size(fair_name),
                fallback_size=text_size(len(login_page), 60, 60),  # the address is in it twice
                title=_("Login slips · %(fair)s", fair=fair_name), texts=slip_texts(login_page))


def slip_texts(login_page: str) -> list[dict[str, str]]:
    """The slip's explanation in Polish and in English, whatever the organiser's language."""
    texts = []
    for lang in ("pl", "en"):
        with force_locale(lang):
            texts.append({
                "lang": lang,
                "heading": _("Your private login code"),
                "scan": _("Scan it with your phone's camera to log in to the fair. Keep it to "
                          "yourself: whoever scans it can act in your name."),
                "fallback": _("No camera? Open %(url)s and type your badge code and PIN.", url=login_page),
                "code": _("Badge code"),
                "pin": _("PIN"),
            })
    return texts


# --- what the views, the CLI and the jobs call ------------------------------------------------


def write_for_people(kind: PrintKind, fair: Fair, people: Sequence[Participant],
                     target: str | Path | IO[bytes], *, base: str,
                     layout: PrintLayout = PrintLayout.SHEET, progress: Progress | None = None) -> int:
    """Badges or slips for these participants of `fair`; returns the number of pages."""
    if not people:
        raise Conflict(_l("There is nobody to print for."), code="nobody_to_print")
    if kind == PrintKind.BADGES:
        return write_badges([badge_face(p, base) for p in people], target, fair_name=fair.name,
                            layout=layout, progress=progress)
    faces = slip_faces(people, base)
    if not faces:
        raise Conflict(_l("Nobody here has a working login to print."), code="no_logins")
    return write_slips(faces, target, fair_name=fair.name, login_page=login_page_url(fair.slug, base),
                       layout=layout, progress=progress)
