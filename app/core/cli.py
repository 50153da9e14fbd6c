"""The `flask fair` command group; each area adds its commands to it."""

from __future__ import annotations

from flask.cli import AppGroup

fair_cli = AppGroup("fair", help="Fairs: the demo fair, set-up, badges.")
