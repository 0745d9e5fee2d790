"""The citation marker in a citing sentence, found from the cited paper's record."""

import pytest

from hubs.contexts import context_marked, first_author_surname
from hubs.models import Paper


def cited(authors=("Kaiyan Zhang", "Yuxin Zuo"), year=2025):
    return Paper(title="A survey", authors=list(authors), year=year)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "RL helps post-training (Guo et al., 2025; Zhang et al., 2025b).",
            "RL helps post-training (Guo et al., 2025; <mark>Zhang et al., 2025b</mark>).",
        ),
        ("As Zhang et al. (2025) show.", "As <mark>Zhang et al. (2025)</mark> show."),
        ("As Zhang and Zuo, 2025 show.", "As <mark>Zhang and Zuo, 2025</mark> show."),
        ("Zhang et al., 2019 is another paper.", "Zhang et al., 2019 is another paper."),
        (
            "Recent advances in RL [1] for LRMs.",
            "Recent advances in RL <mark>[1]</mark> for LRMs.",
        ),
        ("Many [12, 17] and [3].", "Many [12, 17] and [3]."),  # which number is ours?
        (
            "Escaped <b> & (Zhang et al., 2025)",
            "Escaped &lt;b&gt; &amp; (<mark>Zhang et al., 2025</mark>)",
        ),
    ],
)
def test_the_marker_of_the_cited_paper_is_marked(text, expected):
    assert context_marked(text, cited()) == expected


def test_a_paper_with_no_authors_marks_a_single_numeric_marker_only():
    assert context_marked("As in [4].", cited(authors=())) == "As in <mark>[4]</mark>."
    assert context_marked("As Zhang et al. say.", cited(authors=())) == "As Zhang et al. say."


@pytest.mark.parametrize(
    ("authors", "surname"),
    [(["Kaiyan Zhang"], "Zhang"), (["McKeown, Kathleen"], "McKeown"), ([], ""), ([" "], "")],
)
def test_first_author_surname(authors, surname):
    assert first_author_surname(authors) == surname
