"""Downloads of a hub's citing list: whole list, current filters, four formats, streamed."""

import csv
import io
import json

import pytest
from django.urls import reverse

from hubs.exports import bibtex_entry, bibtex_escape
from tests.factories import HubFactory, PaperFactory, hub_with_citing_papers

pytestmark = pytest.mark.django_db


def download(client, hub, fmt, **params):
    response = client.get(reverse("hubs:hub-export", args=[hub.slug, fmt]), params)
    assert response.status_code == 200
    assert response.streaming
    return b"".join(response.streaming_content).decode(), response


def test_csv_has_every_citing_paper(client, demo):
    body, response = download(client, demo, "csv")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 36
    assert response["Content-Disposition"] == (
        'attachment; filename="rl-for-large-reasoning-models-citing.csv"'
    )
    flawed = next(row for row in rows if row["arxiv_id"] == "2510.00938")
    assert (flawed["role"], flawed["polarity"], flawed["date"]) == (
        "background",
        "neutral",
        "2025-10-01",
    )
    assert flawed["authors"].startswith("ShengYun Peng; Eric Smith")


def test_exports_honour_the_explorer_filters(client, demo):
    body, _ = download(client, demo, "csv", year="2025", category="cs.CV")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows and all(
        row["primary_category"] == "cs.CV" and row["date"].startswith("2025") for row in rows
    )
    explorer = client.get(demo.get_absolute_url(), {"year": "2025", "category": "cs.CV"})
    assert len(rows) == explorer.context["explorer"].matching


def test_json_export(client, demo):
    body, response = download(client, demo, "json", verdict="conditional")
    data = json.loads(body)
    assert response["Content-Type"] == "application/json"
    assert data["hub"] == "rl-for-large-reasoning-models"
    assert sorted(paper["arxiv_id"] for paper in data["citing_papers"]) == [
        "2603.12554",
        "2605.09640",
        "2605.19282",
    ]


def test_bibtex_export(client, demo):
    body, _ = download(client, demo, "bibtex")
    assert body.count("@misc{") == 36
    assert "eprint = {2510.00938}" in body
    assert "archivePrefix = {arXiv}" in body


def test_ris_export(client, demo):
    body, _ = download(client, demo, "ris")
    assert body.count("ER  - ") == 36
    assert "TI  - Large Reasoning Models Learn Better Alignment from Flawed Thinking" in body


def test_export_has_no_cap(client):
    hub = hub_with_citing_papers(1200)
    body, _ = download(client, hub, "csv")
    assert len(body.strip().splitlines()) == 1201


def test_bad_filter_is_a_400(client, demo):
    response = client.get(reverse("hubs:hub-export", args=[demo.slug, "csv"]), {"year": "soon"})
    assert response.status_code == 400
    assert "year" in response.content.decode()


def test_unknown_format_is_404(client, demo):
    assert client.get(reverse("hubs:hub-export", args=[demo.slug, "docx"])).status_code == 404


def test_draft_hub_exports_are_404(client):
    hub = HubFactory(is_published=False)
    assert client.get(reverse("hubs:hub-export", args=[hub.slug, "csv"])).status_code == 404


def test_bibtex_escapes_special_characters():
    assert bibtex_escape("50% of {R&D}_x") == r"50\% of \{R\&D\}\_x"
    entry = bibtex_entry(PaperFactory(title="Cost & benefit", arxiv_id="2501.00001"))
    assert entry.startswith("@misc{2501_00001,")
    assert r"title = {{Cost \& benefit}}" in entry


def test_a_suggestion_below_the_threshold_is_exported_as_one(client, demo):
    from hubs.models import Citation

    Citation.objects.filter(citing__arxiv_id="2605.09640").update(
        role="uses_method", polarity="supporting", classification_source="model", confidence=0.64
    )
    body, _ = download(client, demo, "csv")
    row = next(r for r in csv.DictReader(io.StringIO(body)) if r["arxiv_id"] == "2605.09640")
    assert (row["role"], row["classified"], row["confidence"]) == ("uses_method", "False", "0.64")
    curated = next(r for r in csv.DictReader(io.StringIO(body)) if r["arxiv_id"] == "2510.00938")
    assert curated["classified"] == "True"
