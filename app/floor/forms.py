"""Forms of the trading floor: a post, and its moderation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from app.core.web.formfields import Form, IdField, IntegerField
from app.core.web.formkeys import KeyedForm
from app.floor.kinds import UNIT_LABELS, PostKind, Unit
from app.floor.posts import PostData


def unit_choices() -> list[SelectChoice]:
    return [SelectChoice("", _l("—"))] + [SelectChoice(u.value, UNIT_LABELS[u]) for u in Unit]


class PostForm(Form):
    kind = RadioField(_l("I…"), choices=[SelectChoice(PostKind.OFFER.value, _l("offer")),
                                         SelectChoice(PostKind.NEED.value, _l("need"))],
                      default=PostKind.OFFER.value)
    category_id = SelectField(_l("Category"), coerce=int, validate_choice=True)
    title = StringField(_l("What"), [DataRequired(message=_l("Give your post a title.")), Length(max=120)],
                        description=_l("e.g. Room for 30 people, Tuesday evenings"))
    details = TextAreaField(_l("Details"), [Optional(), Length(max=2000)])
    quantity = IntegerField(_l("How much"), [Optional(), NumberRange(min=1, max=100_000)])
    unit = SelectField(_l("Unit"), choices=unit_choices, default="")
    available_when = StringField(_l("When"), [Optional(), Length(max=200)],
                                 description=_l("e.g. weekdays after 4 pm, in May"))
    version = IdField()

    def validate_unit(self, field: SelectField) -> None:

        if field.data and self.quantity.data is None:
            raise ValidationError(_l("Give a quantity for the unit."))

    def post_data(self) -> PostData:
        return PostData(kind=PostKind(self.kind.data), category_id=self.category_id.data,
                        title=self.title.data or "", details=self.details.data or "",
                        quantity=self.quantity.data, unit=Unit(self.unit.data) if self.unit.data else None,
                        available_when=self.available_when.data or "")


class NewPostForm(PostForm, KeyedForm):
    """A new post: the post's fields and a one-time key (a double submit posts once)."""


class HidePostForm(Form):
    reason = StringField(_l("Reason"), [DataRequired(message=_l("Say why the post is hidden.")),
                                        Length(max=300)])
