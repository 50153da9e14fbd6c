"""The organisers' page of social value rates (the coordinator's at the network's space)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import StringField
from wtforms.validators import Length

from app.core.errors import ValidationError
from app.core.web.formfields import Form
from app.core.web.refusals import refusal_flashed
from app.fairs.access import organiser_required
from app.valuation import rates as rate_services
from app.valuation.kinds import DEFAULT_RATES, RateKey
from app.valuation.money import zloty

bp = Blueprint("valuation", __name__, url_prefix="/f/<slug>")


class RatesForm(Form):
    pass


for _key in RateKey:
    setattr(RatesForm, _key.value, StringField(_key.label, [Length(max=20)]))


def _inherited(fair_is_network: bool) -> dict[RateKey, int]:
    return dict(DEFAULT_RATES) if fair_is_network else rate_services.network_rates()


@bp.route("/admin/values", methods=["GET", "POST"])
@organiser_required
def rates(slug: str) -> Any:
    fair = current_user.fair
    form = RatesForm()
    inherited = _inherited(fair.is_network)
    failed = False
    if form.validate_on_submit():
        amounts: dict[RateKey, int | None] = {}
        for key in RateKey:
            field = getattr(form, key.value)
            try:
                amounts[key] = rate_services.parse_amount(field.data or "")
            except ValidationError as e:
                field.errors = [str(e.message)]
                failed = True
        if not failed:
            with refusal_flashed():
                rate_services.set_rates(current_user, fair.id, amounts)
                flash(_("Rates saved. Agreements signed from now on are valued with them."), "success")
                return redirect(url_for("valuation.rates", slug=slug), 303)
            failed = True
    elif not form.is_submitted():
        own = rate_services.own_rates(fair.id)
        for key in RateKey:
            if key in own:
                getattr(form, key.value).data = f"{own[key] / 100:.2f}".replace(".", ",")
    else:
        failed = True
    return render_template("valuation/rates.html", fair=fair, form=form, keys=list(RateKey),
                           inherited={k: zloty(v) for k, v in inherited.items()},
                           in_force=rate_services.effective_rates(fair.id),
                           ), 422 if failed else 200
