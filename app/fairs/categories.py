"""Categories of resources: seeded per fair from the method, editable by organisers."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select

from app.core.errors import Conflict, NotFound, ValidationError
from app.core.extensions import db
from app.core.storage.transactions import service
from app.core.textkeys import name_key, tidy
from app.fairs.models import Category
from app.fairs.roles import Actor, Role, require_role

# (key, Polish name as stored, label shown in the user's language while not renamed)
SEED: list[tuple[str, str, LazyString]] = [
    ("rooms", "Sale i pomieszczenia", _l("Rooms")),
    ("equipment", "Sprzęt", _l("Equipment")),
    ("volunteers", "Wolontariusze i czas", _l("Volunteers and time")),
    ("catering", "Catering", _l("Catering")),
    ("promotion", "Promocja", _l("Promotion")),
    ("it_service", "Serwis komputerowy i IT", _l("IT service")),
    ("art_classes", "Zajęcia artystyczne", _l("Art classes")),
    ("trainings", "Szkolenia", _l("Trainings")),
    ("workshops", "Warsztaty", _l("Workshops")),
    ("expertise", "Wiedza i doradztwo", _l("Expertise and advice")),
    ("transport", "Transport", _l("Transport")),
    ("other", "Inne", _l("Other")),
]
_SEED_BY_KEY = {key: (stored, label) for key, stored, label in SEED}


def category_label(category: Category) -> str:
    """A seeded category speaks the user's language until an organiser renames it."""
    seeded = _SEED_BY_KEY.get(category.key or "")
    if seeded and seeded[0] == category.name:
        return str(seeded[1])
    return category.name


def seed_categories(fair_id: int) -> None:
    """Inside the caller's transaction (fair creation)."""
    for position, (key, stored, _label) in enumerate(SEED):
        db.session.add(Category(fair_id=fair_id, key=key, name=stored, name_key=name_key(stored),
                                position=position))


# Built once (the board, the post form and every post read them): see fairs.queries._BY_SLUG.
_CATEGORIES = (select(Category).where(Category.fair_id == bindparam("fair_id"))
               .order_by(Category.position, Category.id))
_ACTIVE_CATEGORIES = _CATEGORIES.where(Category.archived.is_(False))


def fair_categories(fair_id: int, include_archived: bool = False) -> list[Category]:
    query = _CATEGORIES if include_archived else _ACTIVE_CATEGORIES
    return list(db.session.scalars(query, {"fair_id": fair_id}))


def get_category(fair_id: int, category_id: int) -> Category:
    category = db.session.get(Category, category_id)
    if category is None or category.fair_id != fair_id:
        raise NotFound(_l("This category does not exist."), code="category_not_found")
    return category


def _check_name(fair_id: int, name: str, ignore_id: int | None = None) -> str:
    clean = tidy(name)
    if not clean or len(clean) > 80:
        raise ValidationError(_l("A category needs a name of at most 80 characters."),
                              code="invalid_category_name")
    same = db.session.scalar(select(Category).where(Category.fair_id == fair_id,
                                                    Category.name_key == name_key(clean)))
    if same is not None and same.id != ignore_id:
        raise Conflict(_l("This fair already has a category called %(name)s.", name=clean),
                       code="duplicate_category")
    return clean


@service
def add_category(actor: Actor, fair_id: int, name: str) -> Category:
    require_role(actor, fair_id, Role.ORGANISER)
    clean = _check_name(fair_id, name)
    last = db.session.scalar(select(func.max(Category.position)).where(Category.fair_id == fair_id))
    category = Category(fair_id=fair_id, name=clean, name_key=name_key(clean), position=(last or 0) + 1)
    db.session.add(category)
    db.session.flush()
    return category


@service
def rename_category(actor: Actor, fair_id: int, category_id: int, name: str) -> Category:
    require_role(actor, fair_id, Role.ORGANISER)
    category = get_category(fair_id, category_id)
    clean = _check_name(fair_id, name, ignore_id=category.id)
    category.name = clean
    category.name_key = name_key(clean)
    return category


@service
def set_category_archived(actor: Actor, fair_id: int, category_id: int, archived: bool) -> Category:
    """Archived categories take no new posts; existing posts keep them."""
    require_role(actor, fair_id, Role.ORGANISER)
    category = get_category(fair_id, category_id)
    category.archived = archived
    return category
