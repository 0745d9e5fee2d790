"""`manage.py db_restore PATH`: replace the database's contents (DATABASE_URL) with a
`db_backup` file, all or nothing (one transaction; on any error nothing changes)."""

import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pithsite.pgtools import pg_environment, pg_tool


class Command(BaseCommand):
    help = "Restore the database from PATH (pg_restore), dropping what is there first."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *, path: Path, **options):
        if not path.is_file():
            raise CommandError(f"no backup at {path}")
        environment = pg_environment()
        result = subprocess.run(
            [
                pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={environment['PGDATABASE']}",
                str(path),
            ],
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise CommandError(f"pg_restore failed, nothing changed: {result.stderr.strip()}")
        self.stdout.write(f"restored {environment['PGDATABASE']} from {path}")
