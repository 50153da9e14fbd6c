"""The door area's blueprint: its pages live under the fair's address, /f/<slug>/."""

from flask import Blueprint

bp = Blueprint("door", __name__, url_prefix="/f/<slug>")
