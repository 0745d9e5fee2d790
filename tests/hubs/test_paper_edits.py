"""A paper field a person edits in the admin is remembered (Paper.edited_fields), and no
loader's write path (paper_upsert, papers_upsert_bulk) changes it again."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from hubs import services
from hubs.models import Paper
from tests.factories import PaperFactory
from tests.hubs.importers.conftest import FIXTURES

pytestmark = pytest.mark.django_db


def _change_form(paper: Paper, **fields) -> dict:
    data = {
        "title": paper.title,
        "arxiv_id": paper.arxiv_id or "",
        "arxiv_version": paper.arxiv_version or "",
        "doi": paper.doi or "",
        "acl_id": paper.acl_id or "",
        "s2_corpus_id": paper.s2_corpus_id or "",
        "openalex_id": paper.openalex_id or "",
        "authors": json.dumps(paper.authors),
        "abstract": paper.abstract,
        "primary_category": paper.primary_category,
        "categories": json.dumps(paper.categories),
        "submitted": paper.submitted.isoformat() if paper.submitted else "",
        "code_url": paper.code_url,
        "review-TOTAL_FORMS": "1",
        "review-INITIAL_FORMS": "0",
        "review-MIN_NUM_FORMS": "0",
        "review-MAX_NUM_FORMS": "1",
        "review-0-verdict": "unverdicted",
        "review-0-novelty": "",
        "review-0-summary": "",
        "review-0-id": "",
        "review-0-paper": "",
    }
    return {**data, **fields}


def test_an_admin_edit_is_remembered_and_an_import_keeps_it(client, superuser):
    paper = PaperFactory(arxiv_id="1706.03762", title="Attention", abstract="")
    client.force_login(superuser)
    response = client.post(
        reverse("admin:hubs_paper_change", args=[paper.pk]),
        _change_form(paper, title="Attention (as the curators spell it)"),
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    paper.refresh_from_db()
    assert paper.edited_fields == ["title"]

    out = io.StringIO()
    snapshot = str(FIXTURES / "arxiv-snapshot.jsonl")
    call_command("import_papers", snapshot, format="arxiv", stdout=out)
    output = out.getvalue()

    paper.refresh_from_db()
    assert paper.title == "Attention (as the curators spell it)"
    # What nobody edited still comes from the file.
    assert paper.abstract.startswith("The dominant sequence transduction models")
    assert "left alone: 1 paper field edited in the admin" in output


def test_paper_update_remembers_only_what_changed():
    paper = PaperFactory(arxiv_id="1706.03762", title="Attention")
    services.paper_update(paper=paper, changes={"title": "Attention", "abstract": "Mine."})
    assert paper.edited_fields == ["abstract"]
    services.paper_update(paper=paper, changes={"doi": "10.1000/X"})
    assert paper.edited_fields == ["abstract", "doi"]


def test_paper_upsert_keeps_the_fields_a_person_edited():
    paper, _ = services.paper_upsert(arxiv_id="1706.03762", title="Attention", abstract="A.")
    services.paper_update(paper=paper, changes={"title": "Mine", "submitted": None})
    again, created = services.paper_upsert(
        arxiv_id="1706.03762", title="Theirs", abstract="B.", authors=["A. Vaswani"]
    )
    assert not created
    assert (again.title, again.abstract, again.authors) == ("Mine", "B.", ["A. Vaswani"])


def test_a_paper_added_in_the_admin_keeps_its_fields(client, superuser):
    client.force_login(superuser)
    data = _change_form(PaperFactory.build(arxiv_id="1706.03762", title="Attention, by hand"))
    response = client.post(reverse("admin:hubs_paper_add"), {**data, "abstract": ""})
    assert response.status_code == 302, response.context and response.context["errors"]
    paper = Paper.objects.get(arxiv_id="1706.03762")
    assert "title" in paper.edited_fields
    assert "abstract" not in paper.edited_fields

    snapshot = str(FIXTURES / "arxiv-snapshot.jsonl")
    call_command("import_papers", snapshot, format="arxiv", stdout=io.StringIO())

    paper.refresh_from_db()
    assert paper.title == "Attention, by hand"
    assert paper.abstract.startswith("The dominant sequence transduction models")
