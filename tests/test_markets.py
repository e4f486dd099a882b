"""A Spanish brand with creators in Spain, Mexico, Brazil, Poland and Japan
(tests/fixtures/markets): one disclosure label per language, each checked against the
regions of the creators who read it, and guidance that fits a podcast and a blog."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefkit.build import build
from briefkit.theme import default_theme_folder, load_theme

from .conftest import FIXTURES, edit, parse_html, pdf_text, run_briefkit, validate_json

CAMPAIGN = "briefs/avena/campaign.yaml"
LABEL_LINE = "  label: {es: Publicidad, pt: \"#publi\", pl: \"#reklama\", ja: 広告}\n"


def texts(locale: str):
    return load_theme(default_theme_folder(), "default").labels(locale)


@pytest.fixture
def markets(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(FIXTURES / "markets", root)
    return root


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("markets") / "ws"
    shutil.copytree(FIXTURES / "markets", root)
    report = build(root)
    assert not report.failed, report.diagnostics
    return root / "output/avena"


def test_one_label_per_language_validates(markets: Path) -> None:
    status, report = validate_json(markets)
    assert status == 0, report["diagnostics"]
    assert report["diagnostics"] == []


@pytest.mark.parametrize(("slug", "label"), [
    ("lucia-desayuna", "Publicidad"), ("diego-cocina", "Publicidad"), ("pablo-mesa", "Publicidad"),
    ("bia-manha", "#publi"), ("kasia-kawa", "#reklama"), ("haruka-asa", "広告"),
])
def test_each_creator_gets_the_label_of_their_language(out: Path, slug: str, label: str) -> None:
    page = parse_html(out / slug / "index.html")
    assert page.text_of("disclosure-label") == label


def test_a_variant_a_region_refuses_is_an_error_at_that_language(markets: Path) -> None:
    edit(markets / CAMPAIGN, 'pl: "#reklama"', 'pl: "#współpraca"')
    status, report = validate_json(markets)
    assert status == 1
    [error] = [d for d in report["diagnostics"] if d["code"] == "disclosure"]
    column = LABEL_LINE.index('"#reklama"') + 1
    assert (error["path"], error["line"], error["column"]) == ("disclosure.label.pl", 53, column)
    assert error["message"] == ("`#współpraca` is not a disclosure label accepted in "
                                "PL (Poland): @kasia.kawa publishes from PL")
    assert error["hint"].startswith("accepted in PL: Reklama, #reklama, [REKLAMA], Reklama marki Avena Sol,")


def test_a_creator_without_their_language_reads_the_campaigns_and_is_told_to_add_it(markets: Path) -> None:
    edit(markets / CAMPAIGN, ", ja: 広告}", "}")
    status, report = validate_json(markets)
    assert status == 1
    [error] = [d for d in report["diagnostics"] if d["code"] == "disclosure"]
    assert error["path"] == "disclosure.label.es"  # what Haruka reads instead of Japanese
    assert error["message"] == ("`Publicidad` is not a disclosure label accepted in "
                                "JP (Japan): @haruka.asa publishes from JP")
    assert error["hint"] == ("accepted in JP: 広告, #広告, PR, #PR, プロモーション, #プロモーション, 宣伝, #宣伝, "
                             "Avena Solのプロモーションに参加しています, Avena Solから商品の提供を受けて投稿しています; "
                             "or add `ja: …` for creators who read another language")


def test_one_label_for_every_language_is_refused_where_it_is_foreign(markets: Path) -> None:
    edit(markets / CAMPAIGN, LABEL_LINE, "  label: Publicidad\n")
    status, report = validate_json(markets)
    assert status == 1
    [error] = [d for d in report["diagnostics"] if d["code"] == "disclosure"]
    assert error["message"] == ("`Publicidad` is not a disclosure label accepted in "
                                "BR (Brazil): @bia.manha publishes from BR; JP (Japan): @haruka.asa publishes from JP; "
                                "PL (Poland): @kasia.kawa publishes from PL")
    assert "give one label per language (`label: {es: …, pl: …}`)" in error["hint"]


def disclosure_text(out: Path, slug: str) -> str:
    return parse_html(out / slug / "index.html").text_of("disclosure")


CAPTION_RULES = ["upfront", "not_in_hashtag_block", "every_story_frame", "hashtag_first_or_last"]


def test_a_podcast_is_told_to_say_it_aloud_and_gets_no_caption_advice(out: Path) -> None:
    polish = texts("pl-PL")
    section = disclosure_text(out, "kasia-kawa")
    assert polish.text("disclosure.kind.audio") in section
    assert polish.text("disclosure.no_tool") in section
    assert polish.text("disclosure.rule.name_brand") in section  # rules about all content stay
    for key in [*(f"disclosure.rule.{r}" for r in CAPTION_RULES + ["platform_tool_in_addition"]),
                "disclosure.kind.post", "disclosure.kind.story", "disclosure.kind.video"]:
        assert polish.text(key) not in section, key
    assert "125" not in section  # no "within the first 125 characters"
    assert polish.text("disclosure.label_first", count=125)[:20] not in section


def test_a_blog_is_told_the_top_of_the_article(out: Path) -> None:
    spanish = texts("es-ES")
    section = disclosure_text(out, "pablo-mesa")
    assert spanish.text("disclosure.kind.article") in section
    for rule in CAPTION_RULES + ["platform_tool_in_addition"]:
        assert spanish.text(f"disclosure.rule.{rule}") not in section, rule
    assert "125" not in section


def test_instagram_keeps_its_caption_and_story_advice(out: Path) -> None:
    portuguese = texts("pt-BR")
    section = disclosure_text(out, "bia-manha")
    for key in ["disclosure.kind.video", "disclosure.kind.story", "disclosure.rule.upfront",
                "disclosure.rule.every_story_frame", "disclosure.rule.platform_tool_in_addition"]:
        assert portuguese.text(key) in section, key
    assert portuguese.text("disclosure.label_first", count=125) in section


def test_a_show_name_stands_for_the_handle(out: Path) -> None:
    page = parse_html(out / "kasia-kawa" / "index.html")
    assert "Kawa z Kasią" in page.text_of("deliverables")
    assert "Kawa z Kasią" in page.text_of("why-you") and "@kasia.kawa" not in page.text_of("why-you")
    pdf = pdf_text(out / "kasia-kawa" / "brief.pdf")
    assert "Kawa z Kasią" in pdf
    assert texts("pl-PL").text("disclosure.kind.audio") in " ".join(pdf.split())


def test_the_region_says_when_its_rules_were_reviewed(out: Path) -> None:
    section = disclosure_text(out, "haruka-asa")
    assert texts("ja-JP").text("disclosure.reviewed", date="2026年12月2日") in section


def test_lint_caption_in_the_creators_language(markets: Path) -> None:
    args = ["lint-caption", "--campaign", "avena", "--creator", "bia.manha", "--workspace", str(markets)]
    assert run_briefkit(*args, stdin="#publi Meu café da manhã com aveia\n").returncode == 0
    weak = run_briefkit(*args, stdin="#recebidos Meu café da manhã com aveia\n")
    assert weak.returncode == 1
    assert weak.stdout.splitlines()[0] == "problem: “#recebidos” does not count as disclosure in BR (Brazil)"
    assert weak.stdout.splitlines()[1].startswith("    fix: start the caption with “#publicidade” (accepted: ")
