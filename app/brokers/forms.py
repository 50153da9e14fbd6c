"""The brokers' forms: an introduction (one per tap, thanks to its one-time key)."""

from __future__ import annotations

from app.core.web.formfields import IdField
from app.core.web.formkeys import KeyedForm


class IntroduceForm(KeyedForm):
    """Introduce two people (their participant ids), optionally over a post of each."""

    first = IdField(required=True)
    second = IdField(required=True)
    first_post = IdField()
    second_post = IdField()
