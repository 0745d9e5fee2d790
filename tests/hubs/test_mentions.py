"""hubs/mentions.py: the span of a citing sentence that names the cited paper."""

import pytest

from hubs.mentions import marked as marked_html
from hubs.mentions import mention_span, surname
from hubs.models import Paper

SURVEY = {"authors": ["Kaiyan Zhang", "Yuxin Zuo"], "year": 2025, "title": "A Survey of RL"}


def marked(text: str, **paper) -> str | None:
    span = mention_span(text, **{**SURVEY, **paper})
    return text[span[0] : span[1]] if span else None


@pytest.mark.parametrize(
    ("text", "mention"),
    [
        ("RL plays a crucial role [Zhang et al., 2025b].", "Zhang et al., 2025b"),
        ("Following Zhang et al. (2025), we train.", "Zhang et al. (2025)"),
        # In a list of author-year citations, only ours; the list's bracket is not ours.
        ("(Guo et al., 2025a; Zhang et al., 2025c; Shao et al., 2024).", "Zhang et al., 2025c"),
        ("(Jaech et al., 2024; Zhang et al., 2025c)", "Zhang et al., 2025c"),
        ("as Zhang and Zuo, 2025 argue", "Zhang and Zuo, 2025"),
        ("the recent survey on RL for reasoning models [41], which", "[41]"),
        ("As A Survey of RL shows, ...", "A Survey of RL"),
    ],
)
def test_the_cited_papers_marker_or_mention(text, mention):
    assert marked(text) == mention


@pytest.mark.parametrize(
    "text",
    [
        # Several numeric markers: which one is ours is not known, so none is guessed.
        "Benefiting from RLVR [12, 17, 27], the performance of MLLMs [41] improved.",
        # The same surname with another year is another paper.
        "As Zhang et al. (2019) showed, ...",
        "No marker at all.",
    ],
)
def test_no_highlight_rather_than_a_guess(text):
    assert marked(text) is None


def test_without_authors_or_year_the_title_or_marker_is_used():
    assert marked("See [3].", authors=[], year=None) == "[3]"
    assert marked("Zhang et al. say so.", year=None) == "Zhang et al."


@pytest.mark.parametrize(
    ("author", "expected"), [("Kaiyan Zhang", "Zhang"), ("Zhang, Kaiyan", "Zhang"), ("", "")]
)
def test_surname(author, expected):
    assert surname(author) == expected


def test_the_marked_sentence_is_escaped_around_its_mark():
    paper = Paper(title="A Survey of RL", authors=["Kaiyan Zhang"], year=2025)
    assert (
        marked_html("Escaped <b> & (Zhang et al., 2025)", paper)
        == "Escaped &lt;b&gt; &amp; (<mark>Zhang et al., 2025</mark>)"
    )
    assert marked_html("No <i>marker</i>.", paper) == "No &lt;i&gt;marker&lt;/i&gt;."
