"""Configuration (app/core/config.py): the secret key, the database URL."""

from pathlib import Path


def test_secret_key_generated_once_and_kept(tmp_path, monkeypatch):
    from app.core.config import load_config

    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = load_config(tmp_path)["SECRET_KEY"]
    second = load_config(tmp_path)["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert (Path(tmp_path) / "secret_key").stat().st_mode & 0o077 == 0


def test_database_url_spellings(monkeypatch, tmp_path):
    from app.core.config import load_config

    monkeypatch.setenv("DATABASE_URL", "postgres://u@h/db")
    assert load_config(tmp_path)["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"


def test_default_database_is_sqlite_in_instance(monkeypatch, tmp_path):
    from app.core.config import load_config

    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert load_config(tmp_path)["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'gielda.db'}"
