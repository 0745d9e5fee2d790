import pytest

from hubs.identifiers import normalize_doi, parse_arxiv_id


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
