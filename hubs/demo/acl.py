"""The second demo: real ACL Anthology papers and their hand-labelled citation polarity.

Reads the AAN metadata and the Athar (2011) sentiment corpus from the shared data folder
(never copied into the repository), imports them with the acl importer, and makes the
most-cited papers published hubs. Safe to repeat, like every import: it writes what is
missing or what the files own, never what a person set (labels, edited paper fields, a
hub's note and published flag), and counts what it left alone.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db.models import Count
from django.utils.text import slugify

from hubs import services
from hubs.importers import acl
from hubs.importers.progress import Progress
from hubs.importers.report import ImportReport
from hubs.importers.runner import ImportOptions, run_import
from hubs.models import Hub, Paper

SHARED_DATA_ENV = "PITHSITE_SHARED_DATA"
FILES = (
    Path("aan-metadata") / "acl-metadata.txt",
    Path("citation-sentiment-athar2011") / "citation_sentiment_corpus.txt",
)
HUB_COUNT = 5
CURATOR_NOTE = (
    "One of the most-cited papers of the Athar (2011) citation sentiment corpus: real "
    "citing sentences from the ACL Anthology Network, each labelled positive, negative or "
    "objective by hand by the corpus's author."
)


@dataclass
class AclDemoReport:
    imported: ImportReport
    hubs_created: list[str] = field(default_factory=list)


def shared_data_dir() -> Path:
    """$PITHSITE_SHARED_DATA, else the shared/data folder beside the repository."""
    configured = os.environ.get(SHARED_DATA_ENV)
    return Path(configured) if configured else settings.BASE_DIR.parent / "shared" / "data"


def acl_demo_files(data_dir: Path) -> list[Path]:
    """The two files the demo reads; FileNotFoundError naming the first one missing."""
    paths = [data_dir / name for name in FILES]
    for path in paths:
        if not path.is_file():
            raise FileNotFoundError(path)
    return paths


def load_acl_demo(*, data_dir: Path, hubs: int = HUB_COUNT) -> AclDemoReport:
    """Import the ACL papers and polarity-labelled citations; publish the most-cited as hubs."""
    paths = acl_demo_files(data_dir)
    options = ImportOptions(progress=Progress.for_terminal())
    report = AclDemoReport(imported=run_import(reader=acl, paths=paths, options=options))
    most_cited = (
        Paper.objects.filter(acl_id__isnull=False)
        .annotate(citing=Count("citations"))
        .order_by("-citing", "acl_id")[:hubs]
    )
    for paper in most_cited:
        hub, created = services.hub_create_missing(
            paper=paper,
            slug=_slug(paper),
            is_published=True,
            curator_note=CURATOR_NOTE,
            left_alone=report.imported.left_alone,
        )
        if created:
            report.hubs_created.append(hub.slug)
    return report


def _slug(paper: Paper) -> str:
    """The title's first words, cut at a word; the ACL id is added if the slug is taken."""
    slug = slugify(paper.title)
    if len(slug) > 60:
        slug = slug[:60].rsplit("-", 1)[0]
    slug = slug or slugify(paper.acl_id)
    if Hub.objects.filter(slug=slug).exists():
        slug = f"{slug}-{slugify(paper.acl_id)}"
    return slug
