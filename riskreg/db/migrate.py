"""Alembic, driven from the package: finding its config, upgrading, reading the revision.

Imported only by commands that migrate (``init``, ``db upgrade``, first use of the default
database), never on the listing path.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from riskreg.db.engine import make_engine
from riskreg.domain.errors import DatabaseProblem

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def alembic_config(url: str) -> Config:
    """The project's ``alembic.ini`` with ``url`` as the target database."""
    ini = PROJECT_ROOT / "alembic.ini"
    if not ini.is_file():
        raise DatabaseProblem(
            "Migreringarna hittas inte: installera riskreg från källkoden (pip install -e .)."
        )
    config = Config(str(ini))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


def upgrade(url: str, revision: str = "head") -> None:
    """Migrate with foreign keys off (a batch rebuild of a parent table would otherwise
    cascade into its children), then prove no row was orphaned."""
    engine = make_engine(url, foreign_keys=False)
    try:
        with engine.begin() as conn:
            config = alembic_config(url)
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
        check_foreign_keys(engine)
    finally:
        engine.dispose()


def downgrade(url: str, revision: str) -> None:
    engine = make_engine(url, foreign_keys=False)
    try:
        with engine.begin() as conn:
            config = alembic_config(url)
            config.attributes["connection"] = conn
            command.downgrade(config, revision)
    finally:
        engine.dispose()


def check_foreign_keys(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as conn:
        broken = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
    if broken:
        raise DatabaseProblem(
            f"Migreringen lämnade {len(broken)} rader utan giltig koppling; databasen är orörd "
            "men bör kontrolleras."
        )
