import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The shared data folder sits beside the repository (in CI too); it is never copied in.
SHARED_DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"


@pytest.fixture
def import_papers():
    """Run `manage.py import_papers` with these arguments; returns what it printed."""

    def run(*args, **options) -> str:
        out = io.StringIO()
        call_command("import_papers", *map(str, args), stdout=out, **options)
        return out.getvalue()

    return run


@pytest.fixture
def fixture_copy(tmp_path):
    """A copy of a fixture file in a temporary folder (to gzip, rename or edit)."""

    def copy(name: str, as_name: str | None = None) -> Path:
        target = tmp_path / (as_name or name)
        shutil.copyfile(FIXTURES / name, target)
        return target

    return copy


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"the shared data folder is absent ({SHARED_DATA.resolve()})")
    return SHARED_DATA.resolve()
