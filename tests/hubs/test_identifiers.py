import pytest

from hubs.identifiers import (
    ID_FIELDS,
    identifier_of,
    normalize_doi,
    normalize_ids,
    parse,
    parse_arxiv_id,
    parse_field,
    parse_or_none,
)


@pytest.mark.parametrize(
    ("value", "expected_id", "expected_version"),
    [
        ("2509.08827", "2509.08827", None),
        ("2509.08827v2", "2509.08827", 2),
        ("arXiv:2509.08827v11", "2509.08827", 11),
        ("https://arxiv.org/abs/2509.08827", "2509.08827", None),
        ("0704.0001", "0704.0001", None),
        ("hep-th/9901001v1", "hep-th/9901001", 1),
        ("math.GT/0309136", "math.GT/0309136", None),
    ],
)
def test_parse_arxiv_id(value, expected_id, expected_version):
    parsed = parse_arxiv_id(value)
    assert (parsed.id, parsed.version) == (expected_id, expected_version)


@pytest.mark.parametrize("value", ["", "2509", "2513.00001", "P02-1040", "10.1000/xyz"])
def test_parse_arxiv_id_rejects_other_strings(value):
    with pytest.raises(ValueError, match="not an arXiv identifier"):
        parse_arxiv_id(value)


@pytest.mark.parametrize(
    ("value", "year_month"),
    [("2510.00938", (2025, 10)), ("2601.12538", (2026, 1)), ("hep-th/9901001", (1999, 1))],
)
def test_arxiv_id_gives_year_and_month(value, year_month):
    assert parse_arxiv_id(value).year_month == year_month


@pytest.mark.parametrize(
    "value",
    [
        "10.18653/V1/2020.ACL-MAIN.1",
        "https://doi.org/10.18653/v1/2020.acl-main.1",
        "doi:10.18653/v1/2020.acl-main.1",
    ],
)
def test_normalize_doi(value):
    assert normalize_doi(value) == "10.18653/v1/2020.acl-main.1"


def test_normalize_doi_rejects_non_dois():
    with pytest.raises(ValueError, match="not a DOI"):
        normalize_doi("2509.08827")


# One paper of every kind the site names papers by: the ids it is stored with, the
# identifier its URLs use, and forms people paste that must lead to it.
ID_CASES = [
    pytest.param(
        {"arxiv_id": "2509.08827", "arxiv_version": 2},
        "2509.08827",
        [
            "2509.08827v2",
            "arXiv:2509.08827",
            "arxiv:2509.08827v1",
            "https://arxiv.org/abs/2509.08827v2",
            "https://arxiv.org/pdf/2509.08827",
            "https://arxiv.org/pdf/2509.08827v2.pdf",
            "http://export.arxiv.org/abs/2509.08827",
            "10.48550/arXiv.2509.08827",
            "https://doi.org/10.48550/arXiv.2509.08827",
        ],
        id="arxiv",
    ),
    pytest.param(
        {"arxiv_id": "hep-th/9901001", "submitted": None},
        "hep-th/9901001",
        ["hep-th/9901001v2", "arXiv:hep-th/9901001", "https://arxiv.org/abs/hep-th/9901001v1"],
        id="arxiv-old-style",
    ),
    pytest.param(
        {"arxiv_id": None, "doi": "10.18653/v1/2020.acl-main.1"},
        "10.18653/v1/2020.acl-main.1",
        [
            "10.18653/V1/2020.ACL-MAIN.1",
            "doi:10.18653/v1/2020.acl-main.1",
            "DOI: 10.18653/v1/2020.acl-main.1",
            "https://doi.org/10.18653/v1/2020.ACL-main.1",
            "http://dx.doi.org/10.18653/v1/2020.acl-main.1",
        ],
        id="doi",
    ),
    pytest.param(
        {"arxiv_id": None, "doi": "10.1002/(sici)1097-4571(199806)49:8<693::aid-asi4>3.0.co;2-o"},
        "10.1002/(sici)1097-4571(199806)49:8<693::aid-asi4>3.0.co;2-o",
        ["10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-O"],
        id="doi-with-url-characters",
    ),
    pytest.param(
        {"arxiv_id": None, "doi": "10.1000/a?b#c"},
        "10.1000/a?b#c",
        ["https://doi.org/10.1000/A?B#C"],
        id="doi-with-query-characters",
    ),
    pytest.param(
        {"arxiv_id": None, "acl_id": "P02-1040"},
        "P02-1040",
        [
            "p02-1040",
            "https://aclanthology.org/P02-1040/",
            "https://aclanthology.org/P02-1040.pdf",
            "https://www.aclweb.org/anthology/P02-1040",
        ],
        id="acl",
    ),
    pytest.param(
        {"arxiv_id": None, "acl_id": "2020.acl-main.1"},
        "2020.acl-main.1",
        ["https://aclanthology.org/2020.acl-main.1/"],
        id="acl-new-style",
    ),
    pytest.param(
        {"arxiv_id": None, "openalex_id": "W2741809807"},
        "W2741809807",
        [
            "w2741809807",
            "https://openalex.org/W2741809807",
            "https://openalex.org/works/W2741809807",
        ],
        id="openalex",
    ),
    pytest.param(
        {"arxiv_id": None, "s2_corpus_id": 215416146},
        "CorpusId:215416146",
        [
            "corpusid:215416146",
            "CorpusID:215416146",
            "S2:215416146",
            "s2:215416146",
            "https://api.semanticscholar.org/CorpusID:215416146",
        ],
        id="s2-corpus-id",
    ),
]


def _stored(ids: dict) -> tuple[str, object]:
    field = next(name for name in ID_FIELDS if ids.get(name))
    return field, ids[field]


@pytest.mark.parametrize(("ids", "canonical", "pasted"), ID_CASES)
def test_every_form_parses_to_the_stored_id(ids, canonical, pasted):
    for text in [canonical, *pasted]:
        parsed = parse(text)
        assert (parsed.field, parsed.value) == _stored(ids), text
        assert str(parsed) == canonical, text


@pytest.mark.parametrize(("ids", "canonical", "pasted"), ID_CASES)
def test_identifier_of_a_paper_is_its_canonical_form(ids, canonical, pasted):
    assert identifier_of(ids) == canonical
    assert parse(identifier_of(ids)) == parse(canonical)


@pytest.mark.parametrize(
    "text",
    ["", "2020", "215416146", "hello world", "2509", "W27x", "P02", "10.1/x", "CorpusId:abc"],
)
def test_words_and_bare_numbers_are_not_identifiers(text):
    # A bare number could be any source's id (PubMed, MAG, a year): only a prefixed one
    # names a Semantic Scholar paper.
    with pytest.raises(ValueError, match="not a paper identifier"):
        parse(text)
    assert parse_or_none(text) is None


def test_precedence_arxiv_doi_acl_s2_openalex():
    ids = {
        "openalex_id": "W1",
        "s2_corpus_id": 2,
        "acl_id": "P02-1040",
        "doi": "10.1000/x",
        "arxiv_id": "2509.08827",
    }
    assert ID_FIELDS == ("arxiv_id", "doi", "acl_id", "s2_corpus_id", "openalex_id")
    names = list(ID_FIELDS)
    while names:
        assert identifier_of({name: ids[name] for name in names}) == str(
            parse_field(names[0], ids[names[0]])
        )
        names.pop(0)


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("arxiv_id", "arXiv:2509.08827v3", "2509.08827"),
        ("doi", "https://doi.org/10.1000/ABC", "10.1000/abc"),
        ("acl_id", " p02-1040 ", "P02-1040"),
        ("s2_corpus_id", "CorpusId:12", 12),
        ("s2_corpus_id", 12, 12),
        ("s2_corpus_id", "12", 12),
        ("openalex_id", "https://openalex.org/W12", "W12"),
    ],
)
def test_a_field_takes_any_form_of_its_own_kind(field, value, expected):
    assert parse_field(field, value).value == expected


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("acl_id", "not an acl id"),
        ("acl_id", "W2741809807"),
        ("openalex_id", "P02-1040"),
        ("s2_corpus_id", "W12"),
        ("doi", "2509.08827"),
    ],
)
def test_a_field_refuses_another_kind(field, value):
    with pytest.raises(ValueError):
        parse_field(field, value)


def test_normalize_ids_keeps_what_parses_and_says_what_did_not():
    ids, rejected = normalize_ids(
        {"arxiv_id": "2509.08827v2", "doi": "nonsense", "s2_corpus_id": "CorpusId:7"}
    )
    assert ids == {"arxiv_id": "2509.08827", "arxiv_version": 2, "s2_corpus_id": 7}
    assert rejected == ["'nonsense' is not a DOI"]


def test_normalize_ids_turns_arxivs_datacite_doi_into_the_arxiv_id():
    ids, rejected = normalize_ids({"doi": "10.48550/arXiv.2509.08827"})
    assert (ids, rejected) == ({"arxiv_id": "2509.08827"}, [])
