"""Roles (app/fairs/roles.py)."""

from app.fairs.roles import Role, parse_role


def test_parse_role():
    assert [parse_role(v) for v in ("uczestniczka", "Notariusz", "organizer", "szef")] == [
        Role.PARTICIPANT, Role.NOTARY, Role.ORGANISER, None]
