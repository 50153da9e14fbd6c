"""Results pages: the organiser's figures and charts, the PDF report, and the reveal on the big
screen (the display link, no login)."""

from __future__ import annotations

import io
from typing import Any

from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.web.formfields import ConfirmForm
from app.core.web.inputs import same_secret
from app.core.web.refusals import refusal_back_to
from app.fairs.access import fair_or_404, organiser_required
from app.reports.charts import DARK
from app.reports.results import fair_results, reveal_results
from app.reports.results_report import render_report, result_charts, template_context
from app.reports.views.blueprint import bp


@bp.get("/admin/results")
@organiser_required
def results(slug: str) -> Any:
    fair = current_user.fair
    figures = fair_results(fair)
    return render_template(
        "reports/results.html", fair=fair, charts=result_charts(figures, width=440, compact=True),
        confirm=ConfirmForm(),
        reveal_url=url_for("reports.results_reveal_screen", slug=fair.slug, token=fair.display_token),
        rates_url=url_for("valuation.rates", slug=fair.slug), **template_context(figures))


@bp.get("/admin/results/report.pdf")
@organiser_required
def results_report(slug: str) -> Any:
    fair = current_user.fair
    figures = fair_results(fair)
    data = render_report(figures)
    stamp = figures.generated_at.strftime("%Y%m%d-%H%M")
    response = send_file(io.BytesIO(data), mimetype="application/pdf",
                         download_name=f"results-{fair.slug}-{stamp}.pdf")
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.post("/admin/results/reveal")
@organiser_required
@refusal_back_to("reports.results")
def results_reveal(slug: str) -> Any:
    if ConfirmForm().validate_on_submit():
        reveal_results(current_user, current_user.fair_id)
        flash(_("The big screen now shows the results."), "success")
    return redirect(url_for("reports.results", slug=slug), 303)


@bp.get("/screen/<token>/results")
def results_reveal_screen(slug: str, token: str) -> Any:
    fair = fair_or_404(slug)
    if not same_secret(token, fair.display_token):
        abort(404)
    figures = fair_results(fair)
    return render_template(
        "reports/reveal.html", fair=fair, charts=result_charts(figures, DARK, width=760),
        screen_url=url_for("reports.screen", slug=fair.slug, token=token), **template_context(figures))
