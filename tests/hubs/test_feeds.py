import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from hubs.models import Citation
from tests.factories import HubFactory, PaperFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def test_feed_lists_citing_papers_newest_added_first(client):
    hub = HubFactory()
    first = Citation.objects.create(citing=PaperFactory(title="Added first"), cited=hub.paper)
    Citation.objects.create(citing=PaperFactory(title="Added second"), cited=hub.paper)
    Citation.objects.create(citing=PaperFactory(title="Elsewhere"), cited=PaperFactory())
    response = client.get(reverse("hubs:hub-feed", args=[hub.slug]))
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    titles = [entry.find(f"{ATOM}title").text for entry in feed.iter(f"{ATOM}entry")]
    assert titles == ["Added second", "Added first"]
    assert f"pithsite:citation:{first.pk}" in response.content.decode()


def test_feed_of_a_draft_hub_is_404(client):
    hub = HubFactory(is_published=False)
    assert client.get(reverse("hubs:hub-feed", args=[hub.slug])).status_code == 404


SCRIPT = '<script>alert("x")</script><b>bold</b>'


def _summaries(response) -> list[ET.Element]:
    return list(ET.fromstring(response.content).iter(f"{ATOM}summary"))


@pytest.mark.parametrize("source", ["abstract", "context", "review"])
def test_imported_text_reaches_the_feed_as_text_not_markup(client, source):
    from tests.factories import CitationContextFactory, ReviewFactory

    hub = HubFactory()
    citing = PaperFactory(abstract=f"Abstract {SCRIPT}" if source == "abstract" else "")
    citation = Citation.objects.create(citing=citing, cited=hub.paper)
    if source == "context":
        CitationContextFactory(citation=citation, text=f"Context {SCRIPT}")
    if source == "review":
        ReviewFactory(paper=citing, summary=f"Review {SCRIPT}")
    response = client.get(reverse("hubs:hub-feed", args=[hub.slug]))
    [summary] = _summaries(response)
    # type="text": a feed reader shows the characters; it never runs or renders them.
    assert summary.get("type") == "text"
    assert SCRIPT in summary.text
    assert 'type="html"' not in response.content.decode()
