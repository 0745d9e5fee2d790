"""schema.org JSON-LD for hub and paper pages, so search engines read them as scholarship."""

from hubs.models import Paper


def _article(paper: Paper, request) -> dict:
    data = {
        "@type": "ScholarlyArticle",
        "name": paper.title,
        "headline": paper.title[:110],
        "author": [{"@type": "Person", "name": name} for name in paper.authors],
        "url": request.build_absolute_uri(paper.get_absolute_url()),
    }
    if paper.sort_date:
        data["datePublished"] = paper.date_label
    if paper.abstract:
        data["abstract"] = paper.abstract
    if paper.primary_category:
        data["about"] = paper.primary_category
    if identifiers := paper.external_ids:
        data["identifier"] = [
            {"@type": "PropertyValue", "propertyID": paper_id.label, "value": str(paper_id)}
            for paper_id in identifiers
        ]
    if paper.abs_url:
        data["sameAs"] = paper.abs_url
    return data


def _cited_by(count: int) -> dict:
    return {
        "@type": "InteractionCounter",
        "interactionType": "https://schema.org/CiteAction",
        "userInteractionCount": count,
    }


def hub(hub, summary, request) -> dict:
    data = {"@context": "https://schema.org", **_article(hub.paper, request)}
    data["url"] = request.build_absolute_uri(hub.get_absolute_url())
    data["interactionStatistic"] = _cited_by(summary.citing_count)
    return data


def paper(paper: Paper, request, *, cited: list[Paper] = (), citing_count: int = 0) -> dict:
    data = {"@context": "https://schema.org", **_article(paper, request)}
    if cited:
        data["citation"] = [_article(work, request) for work in cited]
    data["interactionStatistic"] = _cited_by(citing_count)
    return data
