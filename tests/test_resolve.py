"""Each creator's view holds their own data, the campaign's shared data, and nothing else."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from briefkit.model import Amount
from briefkit.resolve import resolve_workspace, with_query
from briefkit.validate import check_workspace

from .conftest import FIXTURES, REPO


def briefs(root: Path) -> dict:
    workspace, diagnostics = check_workspace(root)
    assert [d for d in diagnostics if d.is_error] == []
    return {b.creator.handle: b for b in resolve_workspace(workspace)}


def test_fixture_views_hold_final_values() -> None:
    views = briefs(FIXTURES / "basic")
    klara, ben = views["kaffee.klara"], views["ben.brews"]

    # her own fee, the campaign's; in EUR from the defaults of briefkit.yaml
    assert klara.offer.fee == Amount(Decimal(350), "EUR") and ben.offer.fee == Amount(Decimal(300), "EUR")
    assert [d.id for d in klara.deliverables] == ["ig-post"]  # only her platform
    assert [(d.id, d.count) for d in ben.deliverables] == [("ig-post", 1), ("tt-video", 2)]
    assert klara.creator.tier == "micro" and ben.creator.tier == "macro"
    assert klara.creator.locale == "de-DE" and ben.creator.locale == "en-US"
    assert klara.creator.timezone == "Europe/Berlin"
    assert klara.tracking.discount_code == "OAT-kaffee-klara"
    assert ben.tracking.discount_code == "OAT-ben-brews"
    assert [link.url for link in ben.tracking.links] == [
        "https://haferhof.example/barista?utm_source=instagram&utm_medium=influencer"
        "&utm_campaign=launch&utm_content=ben-brews",
        "https://haferhof.example/barista?utm_source=tiktok&utm_medium=influencer"
        "&utm_campaign=launch&utm_content=ben-brews",
    ]
    assert klara.brand.logo == "briefs/launch/assets/logo.svg"  # workspace-relative


def test_no_view_holds_internal_data_or_another_creator() -> None:
    views = briefs(FIXTURES / "basic")
    for handle, view in views.items():
        text = json.dumps(view.model_dump(mode="json"))
        assert "INTERNAL-CANARY" not in text
        others = [v for h, v in views.items() if h != handle]
        for other in others:
            assert other.creator.name not in text
            assert other.tracking.discount_code not in text


def test_example_labels_fill_the_disclosure_placeholder() -> None:
    views = briefs(REPO)
    assert views["lena.hautnah"].disclosure.label == "Werbung"
    assert views["maya.makes"].disclosure.label == "#ad"
    assert views["lena.hautnah"].creative.example_captions[0].startswith("Werbung My 3-step")
    assert [(d.id, d.count) for d in views["lena.hautnah"].deliverables] == [("ig-reel", 1), ("ig-stories", 4)]


def test_tracking_links_are_encoded_and_keep_the_landing_query() -> None:
    url = with_query("https://shop.example/p?ref=a&utm_source=old#top",
                     {"utm_source": "instagram", "utm_content": "zoë & co"})
    assert url == "https://shop.example/p?ref=a&utm_source=instagram&utm_content=zo%C3%AB+%26+co#top"
