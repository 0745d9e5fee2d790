"""`manage.py db_backup PATH`: the whole database (DATABASE_URL) to one file, pg_dump's
custom format (compressed; `make restore` or pg_restore reads it)."""

import os
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pithsite.pgtools import pg_environment, pg_tool


class Command(BaseCommand):
    help = "Back up the database to PATH (pg_dump, custom format)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *, path: Path, **options):
        # Written beside the target and renamed: a failed dump never replaces a good file.
        partial = path.with_name(path.name + ".partial")
        result = subprocess.run(
            [
                pg_tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={partial}",
            ],
            env=pg_environment(),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            partial.unlink(missing_ok=True)
            raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        os.replace(partial, path)
        self.stdout.write(f"backed up to {path} ({path.stat().st_size:,} bytes)")
