"""docs/reference.md is generated from the model and kept in step with it."""

from briefkit.reference import reference

from .conftest import REPO


def test_committed_reference_matches_the_model() -> None:
    committed = (REPO / "docs" / "reference.md").read_text(encoding="utf-8")
    assert committed == reference(), "run: python -m briefkit.reference > docs/reference.md"


def test_reference_names_every_key_of_the_format() -> None:
    text = reference()
    for key in ("respond_by", "live_window", "commission_percent", "audience_regions",
                "private_links", "example_captions", "turnaround_days", "discount_code"):
        assert f"`{key}`" in text
