"""Disclosure rules: labels per region, language and offer; placement; caption lint; validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefkit import disclosure
from briefkit.build import build
from briefkit.disclosure import content_kind, has_platform_tool, jurisdictions, lint_caption, suggested_label

from .conftest import edit, parse_html, pdf_text, run_briefkit, run_briefkit_process, validate_json

BRAND = "Haferhof Oats"


def rules_for(region: str, locale: str = "en-US", offer: str = "paid", audience: list[str] | None = None):
    return jurisdictions(region, audience or [], locale, offer, BRAND)


@pytest.mark.parametrize(("region", "locale", "offer", "first", "also", "not_accepted"), [
    ("US", "en-US", "paid", "#ad", ["Sponsored", "Paid partnership with Haferhof Oats"], ["#sp", "#collab"]),
    ("US", "en-US", "gifted", "#ad", ["Thanks to Haferhof Oats for the free product"], ["thanks"]),
    ("GB", "en-GB", "paid", "#ad", ["Advert", "Advertisement feature"], ["#sponsored", "gifted", "PR"]),
    ("GB", "en-GB", "affiliate", "#ad", ["Ad"], ["#affiliate", "thanks to"]),
    ("DE", "de-DE", "paid", "Werbung", ["Anzeige"], ["#ad", "#sponsored"]),
    ("DE", "en-US", "paid", "Werbung", ["Anzeige"], ["#ad"]),  # German rules want German labels
    ("AT", "de-AT", "gifted", "Werbung", ["Anzeige"], ["#ad"]),
    ("FR", "fr-FR", "paid", "Publicité", ["Collaboration commerciale"], ["#ad", "#partenariat"]),
    ("CA", "en-CA", "paid", "#ad", ["#sponsored", "#HaferhofOatsPartner"], ["#pub", "#gifted"]),
    ("CA", "fr-CA", "paid", "#pub", ["#publicité", "#HaferhofOatsPartenaire"], ["#ad"]),
    ("CA", "en-CA", "gifted", "#ad", [], ["#gifted"]),  # a brief asks for posts: #gifted is not enough
    ("AU", "en-AU", "paid", "#ad", ["Advertising", "Paid partnership", "Branded content"], ["#sp", "gifted"]),
    ("NO", "nb-NO", "paid", "#ad", ["Ad"], ["#sp"]),
])
def test_accepted_labels_per_region_language_and_offer(region: str, locale: str, offer: str, first: str,
                                                        also: list[str], not_accepted: list[str]) -> None:
    [rules] = rules_for(region, locale, offer)
    assert rules.accepted[0] == first
    assert set(also) <= set(rules.accepted)
    assert not set(not_accepted) & set(rules.accepted)
    assert rules.sources and all(s.url.startswith("https://") for s in rules.sources)
    assert rules.fallback == (region == "NO")


def test_fallback_is_marked_and_says_local_rules_apply() -> None:
    [rules] = rules_for("SE", "sv-SE")
    assert rules.fallback and rules.region == "SE"
    assert "local_rules_apply" in rules.requirements


@pytest.mark.parametrize(("region", "locale", "audience", "label"), [
    ("US", "en-US", [], "#ad"),
    ("US", "en-US", ["GB", "AU"], "#ad"),  # #ad satisfies all three
    ("US", "en-US", ["DE"], "#ad | Werbung"),
    ("FR", "fr-FR", ["US"], "Publicité | #ad"),
    ("CA", "fr-CA", ["FR"], "#publicité"),  # one label both accept beats two
    ("CA", "en-CA", ["US"], "#ad"),
])
def test_a_creator_gets_one_label_per_region_it_must_satisfy(region: str, locale: str, audience: list[str],
                                                             label: str) -> None:
    applying = rules_for(region, locale, audience=audience)
    assert suggested_label(applying) == label
    assert disclosure.refusing(label, applying) == []


def test_france_adds_retouched_and_virtual_image_labels() -> None:
    applying = rules_for("FR", "fr-FR")
    assert disclosure.extra_labels(applying, True, False) == ["Images retouchées"]
    assert disclosure.extra_labels(applying, True, True) == ["Images retouchées", "Images virtuelles"]
    assert disclosure.extra_labels(rules_for("US"), True, True) == []


@pytest.mark.parametrize(("platform", "format_", "kind", "tool"), [
    ("instagram", "reel", "video", True),
    ("instagram", "story", "story", True),
    ("instagram", "carousel post", "post", True),
    ("tiktok", "post", "video", True),
    ("youtube", "live stream", "live", True),
    ("podcast", "mid-roll", "audio", False),
    ("blog", "review", "article", False),
    ("pinterest", "idea pin", "post", True),
])
def test_placement_by_kind_of_content_and_platform_tool(platform: str, format_: str, kind: str, tool: bool) -> None:
    assert content_kind(platform, format_) == kind
    assert has_platform_tool(platform) == tool


REQUIRED = {"hashtags": ["#HaferBarista"], "mentions": ["@haferhof"],
            "dont": ['Make health claims ("cures", "detox")'], "extra": []}


def verdicts(caption: str, applying: list, **changes) -> list[str]:
    return [f.code for f in lint_caption(caption, applying, **(REQUIRED | changes))]


@pytest.mark.parametrize(("region", "locale", "caption", "codes"), [
    ("US", "en-US", "#ad My oat latte with @haferhof #HaferBarista", []),
    ("US", "en-US", "Ad | My oat latte with @haferhof #HaferBarista", []),
    ("US", "en-US", "My oat latte with @haferhof #HaferBarista", ["no-label"]),
    ("US", "en-US", "I saw an ad for oat milk @haferhof #HaferBarista", ["no-label"]),  # a word, not a label
    ("US", "en-US", "My oat latte with @haferhof #HaferBarista #ad", ["buried"]),
    ("US", "en-US", "x" * 130 + " #ad and more @haferhof #HaferBarista", ["late"]),
    ("US", "en-US", "#sp My oat latte @haferhof #HaferBarista", ["weak-label"]),
    ("GB", "en-GB", "#sponsored My oat latte @haferhof #HaferBarista", ["weak-label"]),
    ("AU", "en-AU", "#gifted My oat latte @haferhof #HaferBarista", ["weak-label"]),
    ("DE", "de-DE", "#ad Mein Hafer-Latte @haferhof #HaferBarista", ["weak-label"]),
    ("DE", "de-DE", "Werbung Mein Hafer-Latte @haferhof #HaferBarista", []),
    ("DE", "de-DE", "Anzeige | Mein Hafer-Latte @haferhof #HaferBarista", []),
    ("CA", "fr-CA", "#ad Mon latte @haferhof #HaferBarista", ["language"]),
    ("CA", "fr-CA", "#pub Mon latte @haferhof #HaferBarista", []),
    ("CA", "en-CA", "#pub My latte @haferhof #HaferBarista", ["language"]),
    ("FR", "fr-FR", "Publicité Mon latte @haferhof #HaferBarista", []),
    ("US", "en-US", "#ad My oat latte #HaferBarista", ["mention"]),
    ("US", "en-US", "#ad My oat latte @haferhof", ["hashtag"]),
    ("US", "en-US", "#ad This latte cures Mondays @haferhof #HaferBarista", ["claim"]),
    ("US", "en-US", "#ad My oat latte @haferhof #haferbarista", []),  # hashtags compare without case
])
def test_caption_verdicts(region: str, locale: str, caption: str, codes: list[str]) -> None:
    assert verdicts(caption, rules_for(region, locale)) == codes


def test_every_region_of_the_creator_must_be_satisfied() -> None:
    applying = rules_for("US", audience=["DE"])
    assert verdicts("#ad Oat latte @haferhof #HaferBarista", applying) == ["weak-label"]  # for DE
    assert verdicts("#ad | Werbung | Oat latte @haferhof #HaferBarista", applying) == []


def test_french_extra_labels_are_linted() -> None:
    applying = rules_for("FR", "fr-FR")
    assert verdicts("Publicité Latte @haferhof #HaferBarista", applying,
                    extra=["Images retouchées"]) == ["extra-label"]
    assert verdicts("Publicité · Images retouchées · Latte @haferhof #HaferBarista", applying,
                    extra=["Images retouchées"]) == []


# --- in the workspace -------------------------------------------------------


def set_label(workspace: Path, label: str) -> None:
    edit(workspace / "briefs/launch/campaign.yaml", "review:\n", f"disclosure:\n  label: \"{label}\"\nreview:\n")


def test_a_campaign_label_a_creators_region_refuses_is_an_error(workspace: Path) -> None:
    set_label(workspace, "#ad")
    status, report = validate_json(workspace)
    assert status == 1
    errors = [d for d in report["diagnostics"] if d["code"] == "disclosure"]
    assert [(d["line"], d["path"]) for d in errors] == [(33, "disclosure.label")]
    assert errors[0]["message"] == ("`#ad` is not a disclosure label accepted in DE (Germany): "
                                    "@kaffee.klara publishes from DE")
    assert errors[0]["hint"].startswith("accepted in DE: Werbung, #Werbung, Anzeige, #Anzeige;")


def test_a_weak_campaign_label_is_one_error_naming_every_creator_and_region(workspace: Path) -> None:
    set_label(workspace, "#sp")
    status, report = validate_json(workspace)
    assert status == 1
    [refused] = [d for d in report["diagnostics"] if d["code"] == "disclosure"]  # one mistake, one message
    assert refused["message"] == ("`#sp` is not a disclosure label accepted in "
                                  "DE (Germany): @kaffee.klara publishes from DE; "
                                  "US (United States): @ben.brews publishes from US")
    assert "in DE: Werbung, #Werbung" in refused["hint"] and "in US: #ad, Ad, Advertisement" in refused["hint"]


def test_a_failing_example_caption_is_a_warning_naming_the_creator(workspace: Path) -> None:
    campaign = workspace / "briefs/launch/campaign.yaml"
    campaign.write_text(campaign.read_text().replace(
        '  mentions: ["@haferhof"]\n',
        '  mentions: ["@haferhof"]\n  example_captions:\n'
        '    - "{disclosure.label} Mein Latte mit @haferhof #HaferBarista"\n'
        '    - "Latte with @haferhof #HaferBarista #ad"\n'))
    status, report = validate_json(workspace)
    assert status == 0
    warnings = [(d["line"], d["message"]) for d in report["diagnostics"] if d["code"] == "caption"]
    assert warnings == [
        (34, "for @ben.brews, this example fails: “#ad” is only in the hashtags at the end"),
        (34, "for @kaffee.klara, this example fails: “#ad” does not count as disclosure in DE (Germany)"),
    ]  # and none for line 33: {disclosure.label} becomes each creator's own label


def test_each_brief_shows_how_its_creator_discloses(workspace: Path) -> None:
    assert not build(workspace).failed
    klara = parse_html(workspace / "output/launch/kaffee-klara/index.html").text
    ben = parse_html(workspace / "output/launch/ben-brews/index.html").text
    assert "So kennzeichnest du Kennzeichne jeden Beitrag" in klara  # in Klara's language, de-DE
    assert "Deine Kennzeichnung Werbung" in klara and "Die Medienanstalten" in klara
    assert "Storys" not in klara and "Posts: die Kennzeichnung ganz an den Anfang" in klara
    assert "Your label #ad" in ben and "Federal Trade Commission" in ben and "Medienanstalten" not in ben
    assert "Switch on as well: the content disclosure setting (Branded content)" in ben
    assert "guidance, not legal advice" in ben
    pdf = pdf_text(workspace / "output/launch/kaffee-klara/brief.pdf")
    assert "Deine Kennzeichnung Werbung" in pdf and "Reicht allein nicht #ad" in pdf


def test_lint_caption_command(workspace: Path, tmp_path: Path) -> None:
    args = ["lint-caption", "--campaign", "launch", "--creator", "@kaffee.klara", "--workspace", str(workspace)]
    good = run_briefkit_process(*args, stdin="Werbung Mein Latte mit @haferhof #HaferBarista\n")
    assert good.returncode == 0, good.stdout
    assert good.stdout == "fine for @kaffee.klara (DE): label first, hashtags and mentions present\n"
    draft = tmp_path / "draft.txt"
    draft.write_text("Mein Latte mit @haferhof #ad")
    bad = run_briefkit(*args, str(draft))
    assert bad.returncode == 1
    assert bad.stdout.splitlines() == [
        "problem: “#ad” does not count as disclosure in DE (Germany)",
        "    fix: start the caption with “Werbung” (accepted: Werbung, #Werbung, Anzeige, #Anzeige)",
        "problem: the required hashtag #HaferBarista is missing",
        "    fix: add #HaferBarista",
        "2 problems for @kaffee.klara (DE)",
    ]
    unknown = run_briefkit("lint-caption", "--campaign", "launch", "--creator", "nobody",
                           "--workspace", str(workspace), stdin="x")
    assert unknown.returncode == 2 and "has no creator 'nobody'" in unknown.stderr


def test_a_french_creator_is_told_to_mark_retouched_images(workspace: Path) -> None:
    campaign = workspace / "briefs/launch/campaign.yaml"
    campaign.write_text(campaign.read_text().replace(
        "review:\n", "disclosure:\n  retouched_images: true\nreview:\n"))
    (workspace / "briefs/launch/creators/lea.yaml").write_text(
        "handle: lea.cafe\nname: Léa Martin\nregion: FR\nlocale: fr-FR\n"
        "platforms:\n  instagram: {followers: 9000}\n")
    report = build(workspace, pdf=False)
    assert not report.failed, report.diagnostics
    lea = parse_html(workspace / "output/launch/lea-cafe/index.html").text
    assert "Ta mention Publicité" in lea
    assert "Ajoute aussi ces mots sur l'image ou la vidéo elle-même : Images retouchées" in lea
    ben = parse_html(workspace / "output/launch/ben-brews/index.html").text
    assert "Images retouchées" not in ben
