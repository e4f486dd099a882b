"""The microsite in a real browser (Debian's Chromium via Playwright): accessible, mobile-first, offline."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

from briefkit.build import build

from .conftest import CHROMIUM, CHROMIUM_FLAGS, FIXTURES

WIDTHS = [375, 1280]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


PACKETS = ["spring-glow/maya-makes", "spring-glow/lena-hautnah", "spring-glow/tom-in-london", "spring-glow/sofia-glow"]


def open_page(browser: Browser, path: Path, width: int, requests: list[str], errors: list[str],
              bypass_csp: bool = False) -> Page:
    page = browser.new_page(viewport={"width": width, "height": 800}, bypass_csp=bypass_csp)
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(path.as_uri())
    return page


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("packet", PACKETS)
def test_page_has_no_accessibility_violations(browser: Browser, example: Path, packet: str, width: int) -> None:
    page = open_page(browser, example / packet / "index.html", width, [], [], bypass_csp=True)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": [
        "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}})
    assert results.violations_count == 0, results.generate_report()
    page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_page_fits_the_screen_and_loads_nothing_from_outside(browser: Browser, example: Path, width: int) -> None:
    requests: list[str] = []
    errors: list[str] = []
    page = open_page(browser, example / PACKETS[0] / "index.html", width, requests, errors)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert all(url.startswith(("file:", "data:")) for url in requests), requests
    assert errors == []  # no CSP violation, no missing file
    body_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert body_size >= 16  # readable on a phone without zooming
    page.close()


PHONE = {"width": 375, "height": 812}  # the screen of an iPhone X, 11 Pro or 12 mini


@pytest.mark.parametrize("packet", PACKETS)
def test_the_glance_and_the_reply_by_date_fit_a_phones_first_screen(browser: Browser, example: Path,
                                                                    packet: str) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto((example / packet / "index.html").as_uri())
    glance = page.locator(".glance").bounding_box()
    reply = page.locator("#respond-title").bounding_box()
    assert glance is not None and reply is not None
    assert 0 < glance["y"] < reply["y"]
    assert reply["y"] + reply["height"] <= PHONE["height"], (glance, reply)  # no scrolling to see it
    assert page.locator("#respond-title").is_visible()
    page.close()


def test_keyboard_users_can_skip_to_the_brief_and_see_focus(browser: Browser, example: Path) -> None:
    page = open_page(browser, example / PACKETS[0] / "index.html", 375, [], [])
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to the brief"
    box = page.evaluate("document.activeElement.getBoundingClientRect().top")
    assert box >= 0  # visible when focused
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    page.close()


def test_relative_links_work_from_any_folder(browser: Browser, example: Path, tmp_path: Path) -> None:
    moved = tmp_path / "some" / "sub" / "path"
    shutil.copytree(example / PACKETS[0], moved)
    page = open_page(browser, moved / "index.html", 1280, [], [])
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    local = [h for h in hrefs if h.startswith("file:")]
    assert any(h.endswith("/brief.pdf") for h in local)
    assert any("/assets/" in h for h in local)
    for href in local:
        target = Path(href.removeprefix("file://").split("#")[0])
        assert target.is_file() and moved in target.parents or target == moved / "index.html", href
    page.close()


@pytest.mark.parametrize("colors", ['{primary: "#ffff00", accent: "#ffffff"}', '{primary: "#e63946"}'])
def test_hard_brand_colours_still_pass_contrast(browser: Browser, workspace: Path, colors: str) -> None:
    campaign = workspace / "briefs/launch/campaign.yaml"
    campaign.write_text(campaign.read_text().replace('colors: {primary: "#1D3557", accent: "#E63946"}',
                                                     f"colors: {colors}"))
    assert colors in campaign.read_text()
    assert not build(workspace, pdf=False).failed
    page = open_page(browser, workspace / "output/launch/ben-brews/index.html", 375, [], [], bypass_csp=True)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2aa"]}})
    assert results.violations_count == 0, results.generate_report()
    page.close()


def test_long_words_and_other_scripts_do_not_break_the_phone_layout(browser: Browser, workspace: Path) -> None:
    campaign = workspace / "briefs/launch/campaign.yaml"
    long_word = "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen" * 2
    campaign.write_text(campaign.read_text()
                        .replace("title: Oat Drink Launch", f"title: {long_word} 燕麦饮料 شراب الشوفان 🥛")
                        .replace("format: post", f"format: {long_word}")
                        .replace("landing_page: https://haferhof.example/barista",
                                 f"landing_page: https://haferhof.example/{long_word}"))
    ben = workspace / "briefs/launch/creators/ben.yaml"
    handle = f"@ben.{long_word.lower()}"[:100]  # as long as a handle may be
    ben.write_text(ben.read_text().replace('handle: "@ben.brews"', f'handle: "{handle}"'))
    report = build(workspace)
    assert not report.failed, report.diagnostics
    for packet in report.packets:
        page = open_page(browser, workspace / "output" / packet / "index.html", 375, [], [])
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, packet
        page.close()


def test_copy_buttons_copy_the_code_and_say_so(browser: Browser, example: Path) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto((example / "spring-glow/lena-hautnah/index.html").as_uri())
    button = page.locator("button[data-copy=discount-code]")
    assert button.is_visible() and button.text_content() == "Kopieren"  # Lena reads German
    # A copy button, or the hint to select by hand: not both.
    assert page.locator("button[data-copy=disclosure-label]").is_visible()
    assert page.locator(".select-hint").count() == 1 and not page.locator(".select-hint").is_visible()
    button.click()
    assert page.evaluate("navigator.clipboard.readText()") == "GLOW-lena-hautnah"
    assert button.text_content() == "Kopiert" and page.locator("#copy-status").text_content() == "Kopiert"
    assert errors == []
    context.close()


def test_qr_codes_on_the_page_decode_to_the_links(browser: Browser, example: Path, tmp_path: Path) -> None:
    phone = browser.new_page(viewport={"width": 375, "height": 800})
    phone.goto((example / PACKETS[0] / "index.html").as_uri())
    assert phone.locator(".qr").count() == 2 and not phone.locator(".qr").first.is_visible()  # not on a phone
    phone.close()
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto((example / PACKETS[0] / "index.html").as_uri())
    hrefs = page.eval_on_selector_all(".link__url a", "links => links.map(a => a.href)")
    decoded = []
    for index, code in enumerate(page.locator(".qr").all()):
        image = tmp_path / f"qr-{index}.png"
        code.screenshot(path=str(image))
        decoded += subprocess.run(["zbarimg", "--quiet", "--raw", str(image)],
                                  capture_output=True, text=True).stdout.splitlines()
    assert len(hrefs) == 2 and decoded == hrefs
    page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_team_overview_is_accessible_and_fits_a_phone(browser: Browser, example: Path, width: int) -> None:
    errors: list[str] = []
    page = open_page(browser, example / "_team/index.html", width, [], errors)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert errors == []  # the script ran under the page's CSP
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": [
        "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}})
    assert results.violations_count == 0, results.generate_report()
    page.close()


def test_team_overview_marks_past_deadlines_and_the_next_one_by_the_readers_clock(
        browser: Browser, example: Path) -> None:
    page = browser.new_page()
    page.clock.set_fixed_time("2027-03-04T12:00:00Z")  # after the first drafts were due
    page.goto((example / "_team/index.html").as_uri())
    past = page.locator("tr.is-past td:nth-child(2)").all_text_contents()
    assert [" ".join(text.split()) for text in past] == ["Answer the brief", "Product ships", "Draft of ig-reel"]
    assert " ".join(page.locator("tr.is-next td:nth-child(2)").text_content().split()) == "Draft of tt-video"
    assert page.locator("tr.is-next .state").text_content() == "next"
    page.close()


@pytest.fixture(scope="module")
def stress_team(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The team overview of tests/fixtures/layout: long names, a long product, seven deliverables."""
    root = tmp_path_factory.mktemp("stress") / "ws"
    shutil.copytree(FIXTURES / "layout", root)
    assert not build(root, pdf=False, team=True).failed
    return root / "output/_team/index.html"


@pytest.mark.parametrize("width", [1280, 1100, 1024, 800, 375])
def test_the_team_table_fits_or_becomes_cards_with_no_hidden_column(browser: Browser, stress_team: Path,
                                                                     width: int) -> None:
    page = open_page(browser, stress_team, width, [], [])
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # No table scrolls inside its box: every column is in sight.
    assert page.evaluate("Array.from(document.querySelectorAll('.scroll'))"
                         ".every(box => box.scrollWidth <= box.clientWidth)")
    display = page.evaluate("getComputedStyle(document.querySelector('.creators tr')).display")
    assert display == ("table-row" if width > 1024 else "block")  # cards below a laptop's width
    # Words are not cut to fit a squeezed column ("mi|cro", "pa|ge").
    assert page.evaluate("Math.min(...Array.from(document.querySelectorAll('.creators tbody td'))"
                         ".map(cell => cell.getBoundingClientRect().width))") >= 48
    page.close()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/fixtures/world built once without PDFs: eleven languages and scripts."""
    root = tmp_path_factory.mktemp("world") / "ws"
    shutil.copytree(FIXTURES / "world", root)
    assert not build(root, pdf=False).failed
    return root / "output"


@pytest.mark.parametrize("width", [375, 1280])
def test_contents_pills_do_not_wrap_inside_a_pill_in_any_language(browser: Browser, world: Path,
                                                                    stress_team: Path, width: int) -> None:
    """A row of pills on phones and tablets, each on one line; beside the brief on wide
    screens, a plain list whose entries wrap inside the column. In eleven languages and
    scripts, and in German and Portuguese with every section there is."""
    stress = stress_team.parents[1] / "stress"
    pages = [*sorted(world.glob("*/*/index.html")), stress / "jonas-de/index.html", stress / "bruna-br/index.html"]
    assert len(pages) >= 13
    for path in pages:
        page = open_page(browser, path, width, [], [])
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        entries = page.evaluate("""Array.from(document.querySelectorAll('.contents li a')).map(a => ({
            height: Math.round(a.getBoundingClientRect().height),
            pill: parseFloat(getComputedStyle(a).borderTopLeftRadius) > 10,
            inside: a.scrollWidth <= a.clientWidth + 1}))""")
        assert entries and all(e["inside"] for e in entries), path
        pills = [e["height"] for e in entries if e["pill"]]
        assert (max(pills) == min(pills)) if width < 1152 else not pills, (path, entries)
        page.close()
