"""Briefs for the whole world: one campaign with creators in eleven languages and scripts
(tests/fixtures/world), each reading their own language, with real glyphs in the PDF,
right to left where the language is written so, and not one English label in between."""

from __future__ import annotations

import re
import shutil
import string
from pathlib import Path

import pytest
import yaml
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from briefkit.build import build
from briefkit.theme import catalogue_chain, default_theme_folder

from .conftest import FIXTURES, edit, parse_html, validate_json

LABELS = default_theme_folder() / "labels"

# slug → (lang of the page, dir, the creator's name, the campaign's overview in their language or None)
CREATORS = {
    "haruka-tea": ("ja-JP", "ltr", "佐藤 遥", "一晩かけて作る、私たちの水出し茶。"),
    "minji-sips": ("ko-KR", "ltr", "김민지", "하룻밤 동안 우려낸 콜드브루 티."),
    "lin-leaf": ("zh-Hans-CN", "ltr", "林小雨", "我们的冷泡茶，浸泡一整夜。"),
    "layla-brews": ("ar-AE", "rtl", "ليلى حسن", "شاي مُحضَّر على البارد طوال الليل."),
    "noa-cups": ("he-IL", "rtl", "נועה לוי", "תה בחליטה קרה שנעשה במשך הלילה."),
    "priya-chai": ("hi-IN", "ltr", "प्रिया शर्मा", "रात भर में बनी हमारी कोल्ड ब्रू चाय।"),
    "nicha-tea": ("th-TH", "ltr", "ณิชา วงศ์ไทย", "ชาสกัดเย็นของเรา แช่ข้ามคืน"),
    "kasia-herbata": ("pl-PL", "ltr", "Katarzyna Wiśniewska", "Nasza herbata cold brew, parzona przez całą noc."),
    "bruna-cha": ("pt-BR", "ltr", "Bruna Conceição", "Nosso chá cold brew, feito durante a noite."),
    "sofia-te": ("es-MX", "ltr", "Sofía Ramírez", "Nuestro té cold brew, preparado durante la noche."),
    "oksana-chai": ("uk-UA", "ltr", "Оксана Коваленко", "Наш чай холодного заварювання, що настоюється всю ніч."),
}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("world") / "ws"
    shutil.copytree(FIXTURES / "world", root)
    report = build(root)
    assert not report.failed, report.diagnostics
    assert not [d for d in report.diagnostics if d.code == "glyph"]  # every character has a font
    return root / "output/tea"


def english_phrases(tag: str) -> list[str]:
    """The English catalogue's texts that the catalogue of `tag` says differently, cut at
    their placeholders into pieces long enough to be telling."""
    def flat(tree: dict, prefix: str = "") -> dict[str, str]:
        found: dict[str, str] = {}
        for key, value in tree.items():
            if isinstance(value, dict):
                found |= flat(value, f"{prefix}{key}.")
            else:
                found[f"{prefix}{key}"] = str(value)
        return found

    english = flat(yaml.safe_load((LABELS / "en.yaml").read_text(encoding="utf-8")))
    own: dict[str, str] = {}
    for code in catalogue_chain(tag)[1:]:
        path = LABELS / f"{code}.yaml"
        if path.is_file():
            own |= flat(yaml.safe_load(path.read_text(encoding="utf-8")))
    pieces = []
    for key, text in english.items():
        if own.get(key) == text:
            continue  # the same in both (a brand's name, "{count} ×")
        for literal, *_ in string.Formatter().parse(text):
            literal = " ".join(literal.split()).strip(" :.·()\"")
            if len(literal) >= 10 and re.search("[a-z]{4}", literal):
                pieces.append(literal)
    return pieces


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


@pytest.mark.parametrize("slug", CREATORS)
def test_each_creator_reads_their_own_language_in_page_and_pdf(out: Path, slug: str) -> None:
    lang, direction, name, overview = CREATORS[slug]
    page = parse_html(out / slug / "index.html")
    [html] = page.all("html")
    assert (html["lang"], html["dir"]) == (lang, direction)
    reader = PdfReader(out / slug / "brief.pdf")
    assert reader.trailer["/Root"]["/Lang"] == lang
    pdf = pdf_text(out / slug / "brief.pdf")
    page_text = " ".join(page.text.split())
    assert name in page_text
    assert "".join(overview.split()) in "".join(page_text.split())  # Markdown's bold is an element of its own
    # pypdf reads right-to-left scripts in their visual order, and WeasyPrint maps Noto Sans
    # Thai's one glyph for า and ำ back to ำ: look for the words as they come out.
    if lang.startswith("th"):
        pdf = pdf.replace("\u0e33", "\u0e32")
    for word in name.split() + overview.split()[:2]:
        assert word in pdf or word[::-1] in pdf, (word, pdf[:300])
    for phrase in english_phrases(lang):
        assert phrase not in page_text, phrase
        assert phrase not in pdf, phrase


@pytest.mark.parametrize("slug", CREATORS)
def test_every_font_in_each_pdf_is_one_the_theme_names(out: Path, slug: str) -> None:
    from .test_fonts import embedded_fonts, named_font_files, postscript_name

    named = {postscript_name(TTFont(path, fontNumber=number))
             for path in named_font_files(default_theme_folder() / "css/print.css")
             for number in range(_faces(path))}
    embedded = embedded_fonts(out / slug / "brief.pdf")
    assert embedded <= named, embedded - named
    assert any(name != "Inter-Regular" for name in embedded)


def _faces(path: Path) -> int:
    from fontTools.ttLib import TTCollection

    return len(TTCollection(str(path), lazy=True).fonts) if path.suffix == ".ttc" else 1


def test_handles_codes_and_links_stay_left_to_right_in_a_right_to_left_page(out: Path) -> None:
    page = parse_html(out / "layla-brews/index.html")
    ltr = {attrs.get("id") or attrs.get("class") for tag, attrs in page.elements if attrs.get("dir") == "ltr"}
    assert {"handle", "discount-code", "link-instagram"} <= ltr


def test_a_character_no_font_has_is_a_warning_naming_the_creator_and_the_field(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(FIXTURES / "world", root)
    edit(root / "briefs/tea/creators/kasia.yaml", "name: Katarzyna Wiśniewska", "name: Katarzyna 🍵 Wiśniewska")
    report = build(root)
    [warning] = [d for d in report.diagnostics if d.code == "glyph"]
    assert warning.location.file == "tea/kasia-herbata/brief.pdf"
    assert "“🍵” (U+1F375) in `creator.name` for @kasia.herbata" in warning.message


def test_a_text_in_several_languages_must_have_the_campaigns(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(FIXTURES / "world", root)
    edit(root / "briefs/tea/campaign.yaml", "    en: Show it your way.\n", "")
    status, report = validate_json(root)
    assert status == 1
    [problem] = [d for d in report["diagnostics"] if d["code"] == "language" and d["severity"] == "error"]
    assert (problem["line"], problem["path"]) == (42, "creative.freedom")
    assert problem["message"] == "this text has no `en` variant, and English is the campaign's language"


def test_one_warning_per_missing_language_counting_the_texts(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(FIXTURES / "world", root)
    _, report = validate_json(root)
    warnings = [d["message"] for d in report["diagnostics"] if d["code"] == "language"]
    assert "3 texts of the campaign have no Korean (`ko`) variant, so @minji.sips reads them in English" in warnings
    assert "1 text of the campaign has no Japanese (`ja`) variant, so @haruka.tea reads it in English" in warnings
    assert len([w for w in warnings if "Korean" in w]) == 1


def test_the_warning_names_the_first_ten_creators_who_read_another_language(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(FIXTURES / "world", root)
    minji = root / "briefs/tea/creators/minji.yaml"
    for number in range(1, 13):
        (minji.parent / f"minji-{number:02}.yaml").write_text(
            minji.read_text().replace("handle: minji.sips", f"handle: minji.sips{number:02}"))
    _, report = validate_json(root)
    [korean] = [d["message"] for d in report["diagnostics"] if d["code"] == "language" and "Korean" in d["message"]]
    handles = ", ".join(f"@minji.sips{n:02}" for n in range(1, 11))  # in file order: minji-01.yaml first
    assert korean.endswith(f"variant, so {handles} and 3 more read them in English")


def test_the_diff_names_the_language_that_changed_and_who_reads_it(tmp_path: Path) -> None:
    from .conftest import commit, git, run_briefkit

    root = tmp_path / "ws"
    shutil.copytree(FIXTURES / "world", root)
    git(root, "init", "-q")
    commit(root, "base")
    edit(root / "briefs/tea/campaign.yaml", "私たちの**水出し茶**。", "**水出し茶**です。")
    result = run_briefkit("diff", "--workspace", str(root))
    assert "    overview (ja) 一晩かけて作る、私たちの**水出し茶**。 → 一晩かけて作る、**水出し茶**です。 (@haruka.tea)" \
        in result.stdout.splitlines()


def test_the_schema_accepts_texts_in_several_languages() -> None:
    import jsonschema

    from briefkit.model import json_schema

    from .conftest import as_json_data

    campaign = as_json_data(FIXTURES / "world/briefs/tea/campaign.yaml")
    jsonschema.validate(campaign, json_schema("campaign"))
    campaign["overview"] = {"english": "no tag"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(campaign, json_schema("campaign"))


def test_the_team_overview_shows_the_campaign_in_its_own_language(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(FIXTURES / "world", root)
    assert not build(root, pdf=False, team=True).failed
    team = (root / "output/_team/index.html").read_text(encoding="utf-8")
    assert '<h2 class="campaign__title" id="tea-title">Cold Brew Tea</h2>' in team
    assert "{&#39;en&#39;" not in team and "{'en'" not in team
