"""Run PostgreSQL's client tools (pg_dump, pg_restore) against a configured database.

DATABASE_URL's forms (a Unix socket directory as host, a password) are what Django
parsed into settings; the tools get them as libpq's PG* variables, so a password never
appears on a command line.
"""

import os
import shutil
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError


def pg_tool(name: str) -> str:
    """The tool from PG_BIN, else the newest /usr/lib/postgresql/*/bin, else the PATH."""
    candidates = []
    if os.environ.get("PG_BIN"):
        candidates.append(Path(os.environ["PG_BIN"]) / name)
    candidates += sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda path: int(path.parts[-3]) if path.parts[-3].isdecimal() else 0,
        reverse=True,
    )
    for candidate in candidates:
        if candidate.is_file():
            return str(candidate)
    found = shutil.which(name)
    if not found:
        raise CommandError(f"{name} not found: install PostgreSQL's client tools or set PG_BIN.")
    return found


def pg_environment(alias: str = "default") -> dict[str, str]:
    """os.environ plus the PG* variables that name the database `alias`."""
    database = settings.DATABASES[alias]
    if "postgresql" not in database["ENGINE"]:
        raise CommandError(
            f"Backups need PostgreSQL: DATABASE_URL names {database['ENGINE'].rsplit('.', 1)[-1]}."
        )
    environment = dict(os.environ)
    for variable, key in [
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ]:
        if database.get(key):
            environment[variable] = str(database[key])
    if database.get("OPTIONS", {}).get("sslmode"):
        environment["PGSSLMODE"] = database["OPTIONS"]["sslmode"]
    return environment
