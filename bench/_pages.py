"""The pages of a fair built by bench/_scale.py: every GET route of the app as a URL of that fair
(`requests_for`), and logging its staff in (`log_in`). Used by tests/test_query_counts.py and
bench/bigfair.py."""

from __future__ import annotations

from typing import Any

from bench._scale import PASSWORD, BigFair

# --- the pages ------------------------------------------------------------------------------------

# GET routes not requested, and why. Every other GET route of app.url_map is requested: a new
# route is requested too, or fails `requests_for` until it is given a URL or a reason here.
NOT_REQUESTED = {
    "static": "files from disk",
    "people.login_link": "logs the caller in as the link's holder",
    "people.welcome": "an invitation's password form: no invitation at this fair",
    "door.badge_job": "a print run's progress: no print run at this fair (one job's files, not the fair)",
    "door.badge_job_download": "a print run's file: no print run at this fair",
    "main.set_language": "sets a cookie and redirects",
}
# Pages that name an object: which of the fair's objects.
OBJECT = {"agreements.edit": {"agreement_id": "draft_id"}, "partnerships.verify_page": {"code": "partnership_code"},
          "certificates.verify_page": {"code": "certificate_code"}}


def requests_for(app: Any, fair: BigFair) -> dict[str, str]:
    """Every GET route (but NOT_REQUESTED) as a label -> the path with its query to request."""
    from urllib.parse import urlencode

    found: dict[str, str] = {}
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint in NOT_REQUESTED:
            continue
        choices: list[dict[str, Any]] = [{}]
        for name in rule.arguments:
            converter = rule._converters.get(name)
            items = getattr(converter, "items", None)
            if items:  # <any(...):table>: each of them
                choices = [{**c, name: item} for c in choices for item in items]
                continue
            key = OBJECT.get(rule.endpoint, {}).get(name, name)
            value = fair.slug if name == "slug" else fair.sample.get(key)
            if value is None:
                raise KeyError(f"{rule.endpoint}: no value for <{name}>; give one or a reason in NOT_REQUESTED")
            choices = [{**c, name: value} for c in choices]
        query = {"floor.board_cards": {"id": fair.sample["post_ids"]},
                 "agreements.start": {"with": fair.sample["badge_code"]},
                 "agreements.propose": {"with": fair.sample["badge_code"]},
                 "documents.notary_print": {"ids": str(fair.sample["agreement_id"])},
                 # a picker's search: one letter, which most names hold (the most to sort)
                 "ledger.pick": {"q": "a"}, "people.pick_organisation": {"q": "a"}}.get(rule.endpoint)
        for values in choices:
            built = rule.build(values, append_unknown=False)
            assert built is not None, rule.rule
            path = built[1]
            label = rule.endpoint + "".join(f"[{values[k]}]" for k in values
                                            if k not in ("slug",) and isinstance(values[k], str)
                                            and rule._converters.get(k) is not None
                                            and getattr(rule._converters[k], "items", None))
            if label in found:
                label += "[new]" if "oid" not in values else "[edit]"
            found[label] = path + ("?" + urlencode(query, doseq=True) if query else "")
    return dict(sorted(found.items()))


def log_in(client: Any, fair: BigFair, email: str | None = None, password: str = PASSWORD) -> None:
    """Log the organiser (or another staff member by e-mail) in through the login form."""
    import re

    email = email or f"organizator@{fair.slug}.example.org"
    page = client.get(f"/f/{fair.slug}/login").get_data(as_text=True)
    token = re.search(r'name="staff-csrf_token"[^>]*value="([^"]+)"', page)
    r = client.post(f"/f/{fair.slug}/login", headers={"Sec-Fetch-Site": "same-origin"},
                    data={"staff-email": email, "staff-password": password,
                          "staff-csrf_token": token.group(1) if token else ""})
    assert r.status_code == 303, r.data[:300]
