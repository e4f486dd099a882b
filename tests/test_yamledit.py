"""Changing YAML in place: every line outside the changed keys stays as written, or the
edit is refused."""

from __future__ import annotations

import datetime as dt

import pytest

from briefkit.yamledit import EditError, set_values

CREATOR = """\
# yaml-language-server: $schema=../../../.briefkit/creator.schema.json
# Maya, from the agency list

handle: '@maya.makes'    # her main account
name: "Maya Lopez"
platforms:
    instagram: {followers: 12500}   # April
why_you: |
    Your reels,
    always sunny.
offer:
    fee: 450
"""


def test_a_changed_value_changes_its_line_only() -> None:
    text, changed = set_values(CREATOR, {"offer": {"fee": 500}, "name": "Maya Lopez"}, "maya.yaml")
    assert changed == ["offer.fee"]
    assert text == CREATOR.replace("fee: 450", "fee: 500")


def test_a_new_mapping_is_added_in_the_files_indentation() -> None:
    text, changed = set_values(CREATOR, {"response": {"status": "accepted", "date": dt.date(2027, 3, 2),
                                                      "revision": "4f3c2a1"}}, "maya.yaml")
    assert changed == ["response.status", "response.date", "response.revision"]
    assert text == CREATOR + "response:\n    status: accepted\n    date: 2027-03-02\n    revision: 4f3c2a1\n"


def test_a_creator_in_a_list_is_changed_where_it_stands() -> None:
    campaign = "id: launch\ncreators:\n  - handle: a   # first\n    name: A\n  - handle: b\n    name: B\nassets: []\n"
    text, _ = set_values(campaign, {"name": "Bea"}, "campaign.yaml", where=lambda d: d["creators"][1])
    assert text == campaign.replace("name: B\n", "name: Bea\n")


def test_a_multi_line_value_is_replaced_whole_in_its_style() -> None:
    text, _ = set_values(CREATOR, {"why_you": "Your recipes."}, "maya.yaml")
    assert text == CREATOR.replace("    Your reels,\n    always sunny.\n", "    Your recipes.\n").replace("|", "|-")


def test_a_file_that_would_be_rewritten_elsewhere_is_refused() -> None:
    mixed = "a:\n  - x\nb:\n- y\nc: 1\n"  # two list styles: ruamel.yaml would write one
    with pytest.raises(EditError, match=r"mixed.yaml cannot be changed in place without rewriting line \d"):
        set_values(mixed, {"c": 2}, "mixed.yaml")


def test_a_removed_key_takes_its_lines_with_it() -> None:
    from briefkit.yamledit import REMOVE

    text, changed = set_values(CREATOR, {"why_you": REMOVE, "platforms": {"tiktok": REMOVE}}, "maya.yaml")
    assert changed == ["why_you"]
    assert text == CREATOR.replace("why_you: |\n    Your reels,\n    always sunny.\n", "")
