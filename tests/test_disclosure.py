"""Disclosure rules: labels per region, language and offer; placement; caption lint; validation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from briefkit import disclosure
from briefkit.build import build
from briefkit.disclosure import content_kind, has_platform_tool, jurisdictions, lint_caption, suggested_label
from briefkit.theme import default_theme_folder

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
    ("AR", "es-AR", "paid", "Publicidad", ["#publicidad", "#ad"], ["#sp"]),  # no rules of its own
])
def test_accepted_labels_per_region_language_and_offer(region: str, locale: str, offer: str, first: str,
                                                        also: list[str], not_accepted: list[str]) -> None:
    [rules] = rules_for(region, locale, offer)
    assert rules.accepted[0] == first
    assert set(also) <= set(rules.accepted)
    assert not set(not_accepted) & set(rules.accepted)
    assert rules.sources and all(s.url.startswith("https://") for s in rules.sources)
    assert rules.fallback == (region == "AR")


# One row per region with rules of its own, and the fallback: a creator writing in the
# region's main language, the label suggested for a paid and for a gifted offer, a label
# the region refuses, and a caption that passes and one that fails there.
REGIONS = [
    ("US", "en-US", "#ad", "#ad", "#sp", "#ad Oat latte time", "Oat latte time #sp"),
    ("GB", "en-GB", "#ad", "#ad", "#sponsored", "Ad | Oat latte time", "#sponsored Oat latte time"),
    ("DE", "de-DE", "Werbung", "Werbung", "#ad", "Werbung | Hafer-Latte", "#ad Hafer-Latte"),
    ("AT", "de-AT", "Werbung", "Werbung", "#ad", "Anzeige | Hafer-Latte", "#kooperation Hafer-Latte"),
    ("FR", "fr-FR", "Publicité", "Publicité", "#partenariat", "Publicité | Mon latte", "#partenariat Mon latte"),
    ("CA", "en-CA", "#ad", "#ad", "#gifted", "#ad Oat latte time", "#gifted Oat latte time"),
    ("AU", "en-AU", "#ad", "#ad", "#spon", "#ad Oat latte time", "#spon Oat latte time"),
    ("ES", "es-ES", "Publicidad", "Publicidad", "#ad", "Publicidad | Mi latte de avena", "#ad Mi latte de avena"),
    ("IT", "it-IT", "Pubblicità", "Pubblicità", "Prodotto inviato da Haferhof Oats", "Pubblicità | Il mio latte",
     "#grazie Il mio latte"),
    ("NL", "nl-NL", "#reclame", "#reclame", "#sp", "#spon Mijn haverlatte", "#sp Mijn haverlatte"),
    ("BE", "nl-BE", "#reclame", "#reclame", "#gesponsord", "#reclame Mijn haverlatte", "#gesponsord Mijn haverlatte"),
    ("SE", "sv-SE", "Reklam", "Reklam", "#samarbete", "Reklam | Min havrelatte", "#samarbete Min havrelatte"),
    ("NO", "nb-NO", "Reklame", "Reklame", "#spons", "Reklame | Min havrelatte", "#spons Min havrelatte"),
    ("DK", "da-DK", "Reklame", "Reklame", "#spons", "Annonce | Min havrelatte", "#spons Min havrelatte"),
    ("PL", "pl-PL", "Reklama", "Reklama", "#współpraca", "#reklama Moja owsiana latte", "#współpraca Moja latte"),
    ("IE", "en-IE", "#ad", "#ad", "#gifted", "#ad Oat latte time", "#gifted Oat latte time"),
    ("BR", "pt-BR", "#publicidade", "#publicidade", "#recebidos", "#publi Meu latte de aveia",
     "#recebidos Meu latte de aveia"),
    ("MX", "es-MX", "#Publicidad", "#Publicidad", "#OpinionesPersonales", "#PublicidadPagada Mi latte",
     "#OpinionesPersonales Mi latte"),
    ("IN", "en-IN", "#ad", "#ad", "#spon", "#collaboration Oat latte time", "#spon Oat latte time"),
    ("JP", "ja-JP", "広告", "広告", "#タイアップ", "#PR オーツラテ", "#タイアップ オーツラテ"),
    ("KR", "ko-KR", "광고", "광고", "#체험단", "[광고] 오트 라테", "#체험단 오트 라테"),
    ("NZ", "en-NZ", "#ad", "#ad", "#gifted", "Advert | Oat latte time", "#gifted Oat latte time"),
    ("AR", "es-AR", "Publicidad", "Publicidad", "#sp", "Publicidad | Mi latte", "#sp Mi latte"),
]


def test_the_table_covers_every_region_of_the_rules_file() -> None:
    assert {row[0] for row in REGIONS} == set(disclosure.rules()["regions"]) | {"AR"}


@pytest.mark.parametrize(("region", "locale", "paid", "gifted", "refused", "good", "bad"), REGIONS,
                         ids=[row[0] for row in REGIONS])
def test_each_region_in_its_language(region: str, locale: str, paid: str, gifted: str, refused: str,
                                     good: str, bad: str) -> None:
    assert suggested_label(rules_for(region, locale, "paid")) == paid
    assert suggested_label(rules_for(region, locale, "gifted")) == gifted
    [rules] = rules_for(region, locale)
    assert refused not in rules.accepted and disclosure.refusing(refused, [rules]) == [rules]
    assert rules.fallback == (region == "AR")
    assert rules.sources and all(s.url.startswith(("https://", "http://")) for s in rules.sources)
    no_rules = {"hashtags": [], "mentions": [], "dont": [], "extra": []}
    assert verdicts(good, [rules], **no_rules) == []
    assert verdicts(bad, [rules], **no_rules) == ["weak-label"]


def test_every_requirement_and_kind_has_a_text_in_every_language() -> None:
    data = disclosure.rules()
    used = {r for entry in [*data["regions"].values(), data["fallback"]] for r in entry["requirements"]}
    english = yaml.safe_load((default_theme_folder() / "labels" / "en.yaml").read_text(encoding="utf-8"))["disclosure"]["rule"]
    assert used <= set(english)  # test_labels checks that every language has every English key
    assert set(data["requirement_kinds"]) <= used
    kinds = {kind for kinds in data["requirement_kinds"].values() for kind in kinds}
    assert kinds <= set(data["format_kinds"]) | {"post"}


def test_every_region_says_when_it_was_reviewed_and_what_is_a_reading() -> None:
    for code, entry in disclosure.rules()["regions"].items():
        assert isinstance(entry["reviewed"], dt.date), code
        for source in entry["sources"]:
            assert set(source) <= {"title", "url", "unverified"}, code


def test_fallback_is_marked_and_says_local_rules_apply() -> None:
    [rules] = rules_for("SG", "en-SG")
    assert rules.fallback and rules.region == "SG"
    assert "local_rules_apply" in rules.requirements


@pytest.mark.parametrize(("locale", "first"), [
    ("es-AR", "Publicidad"), ("pl-PL", "Reklama"), ("ja-JP", "広告"), ("pt-BR", "Publicidade"),
    ("zh-TW", "廣告"), ("zh-CN", "广告"), ("ar-EG", "إعلان"), ("en-US", "#ad"), ("sw-KE", "#ad"),
])
def test_the_fallback_suggests_a_plain_label_in_the_creators_language(locale: str, first: str) -> None:
    [rules] = rules_for("ZZ", locale)
    assert rules.accepted[0] == first
    assert "#ad" in rules.accepted  # English counts too, nobody is forced into it


def test_a_label_accepted_in_one_region_is_weak_in_another() -> None:
    no_rules = {"hashtags": [], "mentions": [], "dont": [], "extra": []}
    assert verdicts("#spon Mijn latte", rules_for("NL", "nl-NL"), **no_rules) == []
    assert verdicts("#spon Mein Latte", rules_for("DE", "de-DE"), **no_rules) == ["weak-label"]


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


def test_many_required_hashtags_missing_from_an_example_is_one_warning_per_creator(workspace: Path) -> None:
    """A campaign may list thousands of hashtags: a caption without them is one warning for
    each creator, not one per hashtag (each of which showed its source line)."""
    tags = "".join(f'    - "#tag{i}"\n' for i in range(20_000))
    edit(workspace / "briefs/launch/campaign.yaml", '  hashtags: ["#HaferBarista"]\n',
         f"  hashtags:\n{tags}  example_captions:\n    - \"{{disclosure.label}} Latte @haferhof\"\n")
    status, report = validate_json(workspace)
    assert status == 0
    warnings = [d["message"] for d in report["diagnostics"] if d["code"] == "caption"]
    assert warnings == [f"for {who}, this example fails: the required hashtags #tag0, #tag1, #tag2, #tag3, "
                        "#tag4, #tag5, #tag6, #tag7, #tag8, #tag9 and 19990 more are missing"
                        for who in ("@ben.brews", "@kaffee.klara")]
