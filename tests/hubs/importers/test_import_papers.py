"""What `import_papers` promises whatever the format: dry runs, strict runs, batches that
commit on their own, curated fields that survive, streaming and quiet output."""

import gzip
import io

import pytest
from django.core.management.base import CommandError
from django.db import DatabaseError

from hubs import services
from hubs.importers import sources
from hubs.importers.progress import Progress
from hubs.models import Citation, Paper, Review
from tests.factories import HubFactory, PaperFactory
from tests.hubs.importers.conftest import FIXTURES
from tests.hubs.records import snapshot

pytestmark = pytest.mark.django_db

WORKS = FIXTURES / "openalex-works.jsonl"
SNAPSHOT = FIXTURES / "arxiv-snapshot.jsonl"


def test_dry_run_writes_nothing_and_says_what_it_would_do(import_papers):
    before = snapshot()
    output = import_papers(WORKS, format="openalex", dry_run=True)
    assert snapshot() == before
    assert "Nothing was written" in output
    assert "papers              3" in output


def test_strict_stops_at_the_first_bad_record_and_writes_nothing(import_papers):
    # Batches of one: without --strict the first line would already be committed.
    with pytest.raises(CommandError, match=r"openalex-works.jsonl:3: broken JSON.*--strict"):
        import_papers(WORKS, format="openalex", strict=True, batch_size=1)
    assert not Paper.objects.exists()


def test_without_strict_bad_records_are_skipped_and_the_rest_imported(import_papers):
    output = import_papers(WORKS, format="openalex", batch_size=1)
    assert Paper.objects.count() == 3
    assert "3 bad record(s), skipped:" in output


def test_each_batch_commits_on_its_own_and_a_rerun_resumes(import_papers, monkeypatch):
    write = services.papers_upsert_bulk
    calls = []

    def failing_second_batch(*, records):
        calls.append(records)
        if len(calls) == 2:
            raise DatabaseError("disk full")
        return write(records=records)

    monkeypatch.setattr(services, "papers_upsert_bulk", failing_second_batch)
    with pytest.raises(CommandError, match=r"arxiv-snapshot.jsonl:2 to line 2 failed.*resume"):
        import_papers(SNAPSHOT, format="arxiv", batch_size=1)
    assert list(Paper.objects.values_list("arxiv_id", flat=True)) == ["0704.0001"]
    monkeypatch.setattr(services, "papers_upsert_bulk", write)
    output = import_papers(SNAPSHOT, format="arxiv", batch_size=1)
    assert "papers              2          0          1          0" in output
    assert Paper.objects.count() == 3


def test_curated_fields_survive_a_later_import(import_papers, curator, tmp_path):
    import_papers(WORKS, format="openalex")
    lstm = Paper.objects.get(openalex_id="W2064675550")
    services.review_set(paper=lstm, verdict="accept", novelty="9.5", summary="Gates.", by=curator)
    citation = Citation.objects.get(citing__openalex_id="W3000000001", cited=lstm)
    services.citation_classify(
        citation=citation, role="builds_on", polarity="supporting", by=curator
    )
    newer = tmp_path / "newer.jsonl"
    newer.write_text(
        WORKS.read_text(encoding="utf-8").replace(
            '"title": "Long Short-Term Memory"', '"title": "Long short-term memory"'
        ),
        encoding="utf-8",
    )
    import_papers(newer, format="openalex")
    lstm.refresh_from_db()
    citation.refresh_from_db()
    assert lstm.title == "Long short-term memory"
    review = Review.objects.get(paper=lstm)
    assert (review.verdict, str(review.novelty), review.summary, review.curator) == (
        "accept",
        "9.5",
        "Gates.",
        curator,
    )
    assert (citation.role, citation.polarity, citation.classification_source) == (
        "builds_on",
        "supporting",
        "curator",
    )


def test_a_second_run_changes_no_row_and_no_history(import_papers):
    hub = HubFactory(paper=PaperFactory(arxiv_id="1409.0473"))
    import_papers(FIXTURES / "s2-graph-citations.jsonl", format="s2", hub=hub.slug)
    first = snapshot()
    output = import_papers(FIXTURES / "s2-graph-citations.jsonl", format="s2", hub=hub.slug)
    assert snapshot() == first
    assert "citations           0          0          4          0" in output


def test_gzip_is_recognised_by_its_magic_bytes(import_papers, tmp_path):
    packed = tmp_path / "snapshot.jsonl"  # no .gz in the name
    packed.write_bytes(gzip.compress(SNAPSHOT.read_bytes()))
    import_papers(packed, format="arxiv")
    assert Paper.objects.count() == 3


def test_the_format_is_guessed_when_not_given(import_papers):
    import_papers(SNAPSHOT)
    assert Paper.objects.count() == 3


def test_a_line_over_the_limit_is_reported_without_being_read_whole(
    import_papers, tmp_path, monkeypatch
):
    monkeypatch.setattr(sources, "MAX_LINE_BYTES", 1_000_000)
    lines = SNAPSHOT.read_text(encoding="utf-8").splitlines(keepends=True)
    huge = '{"id": "2101.00002", "title": "' + "x" * 3_000_000 + '"}\n'
    path = tmp_path / "with-a-huge-line.jsonl"
    path.write_text(lines[0] + huge + lines[1], encoding="utf-8")
    output = import_papers(path, format="arxiv")
    assert f"{path}:2: line longer than 1,000,000 bytes; skipped" in output
    assert set(Paper.objects.values_list("arxiv_id", flat=True)) == {"0704.0001", "1706.03762"}


def test_quiet_when_not_on_a_terminal(import_papers, capsys):
    import_papers(SNAPSHOT)
    assert capsys.readouterr().err == ""


def test_progress_shows_share_rate_and_eta():
    screen = io.StringIO()
    progress = Progress(screen)
    progress.start("works.jsonl", size=1000)
    progress.position = 250
    progress.drawn = 0  # as if the last redraw was long ago
    progress.tick(500)
    progress.finish()
    line = screen.getvalue()
    assert "works.jsonl:  25.0%  500 records" in line
    assert "/s  ETA " in line


def test_missing_file_and_unknown_format_are_refused(import_papers, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        import_papers(tmp_path / "absent.jsonl")
    mystery = tmp_path / "mystery.txt"
    mystery.write_text("hello\n")
    with pytest.raises(CommandError, match="give --format"):
        import_papers(mystery)


def test_an_unknown_hub_is_refused(import_papers):
    with pytest.raises(CommandError, match="No hub with the slug 'nope'"):
        import_papers(SNAPSHOT, hub="nope")


def test_citations_per_second_are_reported(import_papers):
    output = import_papers(WORKS, format="openalex")
    assert "Citations: 5 in" in output
    assert "per second" in output
