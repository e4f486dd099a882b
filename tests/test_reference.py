"""docs/reference.md is generated from the model and kept in step with it."""

import re

from briefkit import disclosure
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
    for code in [*disclosure.rules()["regions"], "fallback"]:
        section = re.search(rf"^## [^\n]*\({code}\)\n(.*?)(?=^## )", text, re.MULTILINE | re.DOTALL)
        assert section, code
        body = section.group(1)
        assert re.search(r"^Reviewed: \d{4}-\d\d-\d\d$", body, re.MULTILINE), code
        assert re.search(r"^Sources:\n\n- \[.+\]\(https?://", body, re.MULTILINE), code
        assert "- Accepted (" in body and "Where and how:" in body, code


def test_committed_spreadsheet_docs_match_the_columns_file() -> None:
    from briefkit.reference import spreadsheets_reference

    committed = (REPO / "docs" / "spreadsheets.md").read_text(encoding="utf-8")
    assert committed == spreadsheets_reference(), \
        "run: python -m briefkit.reference spreadsheets > docs/spreadsheets.md"
