"""The funder's report as one workbook (app/core/output/spreadsheets.py): a sheet per section, in
the user's language; numbers are numbers, złoty whole numbers shown with "zł", shares shown as
percentages, so that a funder's own sheets can sum them."""

from __future__ import annotations

from flask_babel import gettext as _

from app.agreements.feedback import RATINGS
from app.core.output.spreadsheets import Cell, Grosze, Share, Sheet, Zloty, xlsx_bytes
from app.network.sectors import Sector
from app.reports.funder_pdf import combination_label, stars, step_label
from app.reports.funder_report import FunderReport, Scope, Step, sections
from app.valuation.kinds import RateKey
from app.valuation.money import round_zloty


def _about(report: FunderReport) -> Sheet:
    network = report.scope is Scope.NETWORK
    rows: list[list[Cell]] = [
        [_("Report for the funder"), report.name],
        [_("Period"), report.period if network else report.fair_day],
        [_("As of"), report.generated_at],
    ]
    if not report.closed:
        rows.append([_("Note"), _("Trading is not closed yet, so these figures are provisional.")])
    rows += [[f"{n}. {s.title}", s.note] for n, s in enumerate(sections(report), start=1)]
    return Sheet(_("Report"), [_("Topic"), _("Description")], rows)


def _people(report: FunderReport) -> Sheet:
    organisations = _("Members") if report.scope is Scope.NETWORK else _("Organisations")
    rows: list[list[Cell]] = [[s.label, s.people, s.organisations] for s in report.sectors]
    rows.append([_("Total"), report.participants, report.organisations])
    return Sheet(_("Participants"), [_("Sector"), _("People"), organisations], rows)


def _agreements(report: FunderReport) -> Sheet:
    value = report.value
    rows: list[list[Cell]] = [[_("Fairs held"), report.fairs]] if report.scope is Scope.NETWORK else []
    rows += [
        [_("Agreements"), report.agreements],
        [_("Agreements fulfilled"), report.agreements_fulfilled],
        [_("Obligations"), report.obligations],
        [_("Obligations confirmed"), report.obligations_confirmed],
        [_("Fulfilment rate"), Share(report.fulfilment_rate) if report.fulfilment_rate is not None else None],
        [_("Points pledged"), report.points_pledged],
        [_("Points confirmed"), report.points_confirmed],
        [_("Social value pledged"), Zloty(round_zloty(value.pledged))],
        [_("Social value realised"), Zloty(round_zloty(value.realised))],
        [_("Obligations without an estimate"), value.unvalued],
        [_("Cross-sector agreements"), report.cross_sector_agreements],
        [_("Pairs of repeat partners"), len(report.repeat_partners)],
    ]
    return Sheet(_("Agreements"), [_("Figure"), _("Value")], rows)


def _fulfilment(report: FunderReport) -> Sheet:
    step = _("Week") if report.step is Step.WEEK else _("Month")
    rows: list[list[Cell]] = [[step_label(report, s.index), s.ends_on, s.obligations, s.confirmed, Share(s.rate)]
                              for s in report.fulfilment]
    headers = [step, _("Until"), _("Obligations"), _("Obligations confirmed"), _("Share confirmed")]
    return Sheet(_("Fulfilment"), headers, rows)


def _value_by_category(report: FunderReport) -> Sheet:
    value = report.value
    rows: list[list[Cell]] = [[label, Zloty(round_zloty(row.pledged)), Zloty(round_zloty(row.realised))]
                              for label, row in value.by_category.items()]
    rows.append([_("Total"), Zloty(round_zloty(value.pledged)), Zloty(round_zloty(value.realised))])
    return Sheet(_("Value by category"), [_("Category"), _("Pledged"), _("Realised")], rows)


def _value_by_sector(report: FunderReport) -> Sheet:
    value = report.value
    rows: list[list[Cell]] = [
        [str(s.label), Zloty(round_zloty(value.by_giver_sector[s.value].pledged)),
         Zloty(round_zloty(value.by_giver_sector[s.value].realised))] for s in Sector]
    rows.append([_("Total"), Zloty(round_zloty(value.pledged)), Zloty(round_zloty(value.realised))])
    return Sheet(_("Value by sector"), [_("Giver's sector"), _("Pledged"), _("Realised")], rows)


def _rates(report: FunderReport) -> Sheet:
    rows: list[list[Cell]] = [[str(key.label), Grosze(report.rates[key])] for key in RateKey if key in report.rates]
    return Sheet(_("Rates"), [_("Rate"), _("Amount")], rows)


def _matrix(report: FunderReport) -> Sheet:
    rows: list[list[Cell]] = [[str(a.label), *(report.matrix[a][b] for b in Sector)] for a in Sector]
    return Sheet(_("Between sectors"), [_("Sector"), *(str(s.label) for s in Sector)], rows)


def _partnerships(report: FunderReport) -> Sheet:
    counts = report.partnerships
    rows: list[list[Cell]] = [
        [_("Partnerships"), counts.total],
        [_("of 2–3 members"), counts.by_size["2-3"]],
        [_("of 4 members or more"), counts.by_size["4+"]],
        [_("joining one sector"), counts.by_sector_count["1"]],
        [_("joining two sectors"), counts.by_sector_count["2"]],
        [_("joining three sectors or more"), counts.by_sector_count["3+"]],
    ]
    rows += [[combination_label(key), n] for key, n in counts.combinations.items()]
    return Sheet(_("Partnerships"), [_("Partnerships"), _("Count")], rows)


def _repeat(report: FunderReport) -> Sheet:
    rows: list[list[Cell]] = [[p.a.name, str(p.a.sector.label), p.b.name, str(p.b.sector.label), p.fairs, p.agreements]
                              for p in report.repeat_partners]
    return Sheet(_("Repeat partners"), [_("Member"), _("Sector"), _("Partner"), _("Partner's sector"), _("Fairs"),
                                        _("Agreements")], rows)


def _ratings(report: FunderReport) -> Sheet:
    summary = report.ratings
    rows: list[list[Cell]] = [[stars(n), summary.distribution.get(n, 0)] for n in reversed(RATINGS)]
    rows += [[_("Ratings given"), summary.count],
             [_("Average rating"), round(summary.average, 2) if summary.average is not None else None]]
    return Sheet(_("Ratings"), [_("Rating"), _("Count")], rows)


def _testimonials(report: FunderReport) -> Sheet:
    rows: list[list[Cell]] = [[t.testimonial, t.receiver, str(t.receiver_sector.label), t.description, t.giver,
                               str(t.giver_sector.label), t.confirmed_on, t.rating, t.agreement_number]
                              for t in report.testimonials]
    return Sheet(_("Testimonials"), [_("Testimonial"), _("Author"), _("Author's sector"), _("Obligation"),
                                     _("Given by"), _("Giver's sector"), _("Confirmed on"), _("Rating"),
                                     _("Agreement")], rows)


def funder_sheets(report: FunderReport) -> list[Sheet]:
    return [_about(report), _people(report), _agreements(report), _fulfilment(report), _value_by_category(report),
            _value_by_sector(report), _rates(report), _matrix(report), _partnerships(report), _repeat(report),
            _ratings(report), _testimonials(report)]


def funder_xlsx(report: FunderReport) -> bytes:
    return xlsx_bytes(funder_sheets(report))
