"""The `flask fair` commands of the top (app/cli.py): `demo` and `setup-link`."""

from __future__ import annotations

from flask import Flask

from app.core.extensions import db
from app.fairs.models import Fair
from app.people.first_fair import setup_code


def test_demo_if_empty_does_nothing_twice(runner):
    assert runner.invoke(args=["fair", "demo", "--if-empty"]).exit_code == 0
    assert runner.invoke(args=["fair", "demo", "--if-empty"]).exit_code == 0
    kinds = [fair.kind.value for fair in db.session.query(Fair).order_by(Fair.id)]
    assert kinds == ["fair", "network"]  # the demo fair, and the network's space of its coordinator


def test_demo_refuses_existing_slug(runner):
    runner.invoke(args=["fair", "demo"])
    result = runner.invoke(args=["fair", "demo"])
    assert result.exit_code != 0 and "exists" in result.output


def test_the_cli_prints_the_set_up_link(app: Flask, runner: object) -> None:
    result = runner.invoke(args=["fair", "setup-link"])  # type: ignore[attr-defined]
    assert result.exit_code == 0
    assert result.output.strip().endswith(f"/setup?code={setup_code(app.instance_path)}")
