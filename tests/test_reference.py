"""docs/reference.md is generated from the model and kept in step with it."""

from briefkit.reference import disclosure_reference, reference

from .conftest import REPO


def test_committed_reference_matches_the_model() -> None:
    committed = (REPO / "docs" / "reference.md").read_text(encoding="utf-8")
    assert committed == reference(), "run: python -m briefkit.reference > docs/reference.md"


def test_reference_names_every_key_of_the_format() -> None:
    text = reference()
    for key in ("respond_by", "live_window", "commission_percent", "audience_regions",
                "private_links", "example_captions", "turnaround_days", "discount_code"):
        assert f"`{key}`" in text


def test_committed_disclosure_rules_match_the_data_file() -> None:
    committed = (REPO / "docs" / "disclosure.md").read_text(encoding="utf-8")
    assert committed == disclosure_reference(), \
        "run: python -m briefkit.reference disclosure > docs/disclosure.md"


def test_disclosure_docs_name_every_region_with_sources() -> None:
    text = disclosure_reference()
    for heading in ("United States (US)", "United Kingdom (GB)", "Germany (DE)", "France (FR)",
                    "Canada (CA)", "Australia (AU)", "Other regions (fallback)"):
        assert f"## {heading}" in text
    assert text.count("Sources:") == text.count("## ") - 2  # every region; not the two tables
