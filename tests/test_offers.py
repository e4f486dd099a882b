"""Every creator's own deal: per-creator offers and currencies inside one campaign,
money that cannot be misread, and the budget through exchange rates.

tests/fixtures/deals is a paid campaign in euros with five creators: Pia on the
campaign's fee, Gus gifted (his product valued in zloty), Aiko on commission,
Yuki paid in yen and Bia on a hybrid deal paid in reais.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from icalendar import Calendar

from briefkit.build import build

from .conftest import FIXTURES, commit, edit, git, parse_html, pdf_text, run_briefkit, validate_json

CAMPAIGN = "briefs/matcha/campaign.yaml"
NBSP = "\xa0"  # money has one between amount and symbol; parsed page text has plain spaces


def deals(root: Path) -> Path:
    shutil.copytree(FIXTURES / "deals", root)
    return root


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = deals(tmp_path_factory.mktemp("deals") / "ws")
    report = build(root, team=True)
    assert not report.failed, report.diagnostics
    return root / "output"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return deals(tmp_path / "ws")


def offer_text(out: Path, slug: str) -> str:
    page = parse_html(out / "matcha" / slug / "index.html")
    return page.text_of("offer")


def calendar_summaries(out: Path, slug: str) -> list[str]:
    calendar = Calendar.from_ical((out / "matcha" / slug / "calendar.ics").read_bytes())
    return [str(event["SUMMARY"]).split(" · ")[0] for event in calendar.walk("VEVENT")]


def team_row(out: Path, handle: str) -> str:
    html = (out / "_team/index.html").read_text(encoding="utf-8")
    [row] = [r for r in re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", html, re.S) if f"@{handle}<" in r]
    return " ".join(re.sub(r"<[^>]+>", " ", row).split())


# what each creator is shown ----------------------------------------------------------


@pytest.mark.parametrize(("slug", "handle", "shown", "never"), [
    ("pia-pours", "pia.pours", ["Bezahlte Kooperation", "400,00 €", "30 days after going live"],
     ["Ceremonial matcha set", "Provision"]),
    ("gus-brews", "gus.brews", ["Gifted product", "Ceremonial matcha set", "PLN280.00"],
     ["Fee", "400", "Commission", "30 days after going live"]),
    ("aiko-tea", "aiko.tea", ["Affiliate partnership", "12%", "30 days after going live"],
     ["Fee", "400", "Ceremonial matcha set", "¥"]),
    ("yuki-whisks", "yuki.whisks", ["Paid partnership", "¥50,000"],
     ["Ceremonial matcha set", "400", "Commission"]),
    ("bia-matcha", "bia.matcha", ["R$ 1.500,00", "Ceremonial matcha set", "€ 64,90"],
     ["400", "Comissão"]),
])
def test_each_creator_reads_only_what_their_own_offer_gives(out: Path, slug: str, handle: str,
                                                            shown: list[str], never: list[str]) -> None:
    offer = offer_text(out, slug)
    pdf = pdf_text(out / "matcha" / slug / "brief.pdf")
    for text in shown:
        assert text in offer, (text, offer)
        assert text in pdf.replace(NBSP, " "), (text, pdf)
    for text in never:
        assert text not in offer, (text, offer)
    page = parse_html(out / "matcha" / slug / "index.html").text
    assert "400,00" not in page or slug == "pia-pours"  # the campaign's fee reaches only who is paid it
    assert "€400.00" not in page


def test_a_gifted_creator_is_shown_no_fee_anywhere(out: Path) -> None:
    gus = out / "matcha/gus-brews"
    texts = [parse_html(gus / "index.html").text, pdf_text(gus / "brief.pdf"),
             (gus / "calendar.ics").read_text(encoding="utf-8"), team_row(out, "gus.brews")]
    for text in texts:
        assert "Fee" not in text and "400" not in text, text
    assert "gifted" in team_row(out, "gus.brews") and "PLN280.00" in team_row(out, "gus.brews")


def test_an_affiliate_creator_is_shown_the_commission_and_no_fee(out: Path) -> None:
    aiko = out / "matcha/aiko-tea"
    for text in (parse_html(aiko / "index.html").text, pdf_text(aiko / "brief.pdf"), team_row(out, "aiko.tea")):
        assert "12%" in text and "Fee" not in text and "400" not in text, text


def test_only_a_creator_who_gets_the_product_has_its_shipping_date(out: Path) -> None:
    assert "Product ships" in calendar_summaries(out, "gus-brews")
    assert "Envio do produto" in calendar_summaries(out, "bia-matcha")  # in Bia's Portuguese
    for slug in ("pia-pours", "aiko-tea", "yuki-whisks"):
        assert not any("ships" in s or "Versand" in s for s in calendar_summaries(out, slug)), slug


def test_the_budget_adds_fees_in_the_campaigns_currency_through_exchange_rates(out: Path) -> None:
    html = " ".join(re.sub(r"<[^>]+>", " ", (out / "_team/index.html").read_text(encoding="utf-8")).split())
    # Pia €400 + Bia R$1,500 × 0.17 + Yuki ¥50,000 × 0.0062 = 400 + 255 + 310
    assert "Fees €965.00 Budget €2,000.00 Left €1,035.00" in html
    # Products are added up per currency: Gus's in zloty, Bia's (the campaign's) in euros
    assert "Products €64.90 + PLN280.00" in html


# the budget and its rates ------------------------------------------------------------


def test_a_fee_in_a_currency_without_a_rate_is_an_error_at_the_creators_currency(workspace: Path) -> None:
    edit(workspace / CAMPAIGN, "  JPY: 0.0062\n", "")
    status, report = validate_json(workspace)
    assert status == 1
    [problem] = [d for d in report["diagnostics"] if d["code"] == "budget"]
    assert (problem["file"], problem["line"], problem["column"], problem["path"]) == (
        "briefs/matcha/creators/yuki.yaml", 7, 11, "currency")
    assert problem["message"] == "@yuki.whisks is paid in JPY, and the campaign has no exchange rate for it"
    assert "`JPY: <what 1 JPY is worth in EUR>` under `exchange_rates:`" in problem["hint"]


def test_a_budget_is_checked_with_the_fees_converted(workspace: Path) -> None:
    edit(workspace / CAMPAIGN, "budget: 2000", "budget: 900")
    status, report = validate_json(workspace)
    assert status == 1
    [problem] = [d for d in report["diagnostics"] if d["code"] == "budget"]
    assert problem["message"] == "creator fees add up to 965.00 EUR, more than the budget of 900 EUR"
    assert (problem["line"], problem["column"]) == (11, 9)


def test_without_a_budget_no_rate_is_needed(workspace: Path) -> None:
    edit(workspace / CAMPAIGN, "budget: 2000\nexchange_rates:\n  JPY: 0.0062\n  BRL: 0.17\n", "")
    status, report = validate_json(workspace)
    assert status == 0 and [d for d in report["diagnostics"] if d["code"] == "budget"] == []
    assert not build(workspace, pdf=False, team=True).failed
    html = " ".join(re.sub(r"<[^>]+>", " ", (workspace / "output/_team/index.html").read_text()).split())
    assert "Fees €400.00 + R$1,500.00 + ¥50,000" in html  # each currency on its own: no rate to add them up


# money that cannot be misread --------------------------------------------------------

MONEY_FIELDS = [  # (file, what the fixture has, the same with {} for the amount), each in a 2-decimal currency
    (CAMPAIGN, "  fee: 400\n", "  fee: {}\n"),
    (CAMPAIGN, "    value: 64.90\n", "    value: {}\n"),
    (CAMPAIGN, "budget: 2000", "budget: {}"),
    (CAMPAIGN, "  BRL: 0.17", "  BRL: {}"),
    ("briefs/matcha/creators/bia.yaml", "  fee: 1500", "  fee: {}"),
    ("briefs/matcha/creators/gus.yaml", "    value: 280\n", "    value: {}\n"),
    ("briefs/matcha/creators/pia.yaml", "locale: de-DE\n", "locale: de-DE\nfee: {}\n"),
    ("briefs/matcha/creators/pia.yaml", "locale: de-DE\n", "locale: de-DE\nproduct:\n  name: Tea\n  value: {}\n"),
]


def place_of(path: Path, written: str) -> tuple[int, int]:
    """Line and column (from 1) where `written` stands in the file, as an editor shows them."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        column = line.find(": " + written)
        if column >= 0:
            return number, column + 3
    raise AssertionError(f"{written!r} not in {path}")


@pytest.mark.parametrize("amount, message, hint", [
    ("1.500", "`1.500` would be read as 1.5: YAML takes the point for a decimal point, not for a thousands "
              "separator", "write 1500 if that is the amount (no separators), or 1.5"),
    ("12.000", "`12.000` would be read as 12: YAML takes the point for a decimal point, not for a thousands "
               "separator", "write 12000 if that is the amount (no separators), or 12"),
    ("1,500", "`1,500` is text to YAML, not a number", "write 1500, without separators"),
])
@pytest.mark.parametrize("field", MONEY_FIELDS, ids=lambda f: f"{Path(f[0]).stem}:{f[1].strip()[:12]}")
def test_an_amount_with_a_separator_is_an_error_at_its_place(workspace: Path, field: tuple, amount: str,
                                                             message: str, hint: str) -> None:
    file, old, new = field
    edit(workspace / file, old, new.format(amount))
    status, report = validate_json(workspace)
    assert status == 1
    line, column = place_of(workspace / file, amount)
    found = [d for d in report["diagnostics"] if (d["file"], d["line"], d["column"]) == (file, line, column)]
    assert [(d["message"], d["hint"]) for d in found] == [(message, hint)], report["diagnostics"]


@pytest.mark.parametrize("field", MONEY_FIELDS, ids=lambda f: f"{Path(f[0]).stem}:{f[1].strip()[:12]}")
def test_an_amount_with_two_decimals_is_fine(workspace: Path, field: tuple) -> None:
    file, old, new = field
    edit(workspace / file, old, new.format("1.50"))
    status, report = validate_json(workspace)
    line, _ = place_of(workspace / file, "1.50")
    assert [d for d in report["diagnostics"] if d["file"] == file and d["line"] == line
            and d["severity"] == "error" and d["code"] != "budget"] == []  # a budget of 1.50 is over, but fine


@pytest.mark.parametrize("amount", ["50000.5", "1.50"])
def test_yen_are_whole_numbers(workspace: Path, amount: str) -> None:
    yuki = workspace / "briefs/matcha/creators/yuki.yaml"
    edit(yuki, "  fee: 50000", f"  fee: {amount}")
    status, report = validate_json(workspace)
    assert status == 1
    [problem] = [d for d in report["diagnostics"] if d["code"] == "money"]
    assert (problem["file"], problem["line"], problem["column"], problem["path"]) == (
        "briefs/matcha/creators/yuki.yaml", 9, 8, "offer.fee")
    assert problem["message"] == f"{amount} JPY: JPY amounts are written in whole numbers"


@pytest.mark.parametrize("written, hint", [
    ('"€450"', "write the number alone, e.g. 450: the currency is set by `currency:`"),
    ('"450 EUR"', "write the number alone, e.g. 450: the currency is set by `currency:`"),
    ("1.500.000", "write 1500000, without separators"),
    ("1 500", "write 1500, without separators"),
])
def test_an_amount_written_as_text_says_how_to_write_it(workspace: Path, written: str, hint: str) -> None:
    edit(workspace / CAMPAIGN, "  fee: 400\n", f"  fee: {written}\n")
    status, report = validate_json(workspace)
    assert status == 1
    [problem] = [d for d in report["diagnostics"] if d["path"] == "offer.fee"]
    assert problem["hint"] == hint and (problem["line"], problem["column"]) == (20, 8)


# offers that do not hold together ------------------------------------------------------


@pytest.mark.parametrize("creator, old, new, where, message, hint", [
    ("pia", "locale: de-DE\n", "locale: de-DE\nfee: 0\n", ("pia.yaml", 2, 1, ""),
     "@pia.pours's offer: a paid offer needs a fee, and this one has a fee of 0", "write `type: gifted`"),
    ("bia", "  fee: 1500\n", "  fee: 1500\n  product: {name: Tea}\n  commission_percent: 5\n", None, "", ""),
    ("gus", "  type: gifted\n", "  type: gifted\n  fee: 100\n", ("gus.yaml", 9, 8, "offer.fee"),
     "the offer is gifted, so this fee is not shown to the creator", "set `type: hybrid`"),
    ("yuki", "currency: JPY\n", "currency: JPY\nfee: 40000\n", ("yuki.yaml", 8, 1, "fee"),
     "`fee` is set twice: here and under `offer:`", "keep one of them"),
])
def test_offers_that_do_not_hold_together(workspace: Path, creator: str, old: str, new: str, where: tuple | None,
                                          message: str, hint: str) -> None:
    path = workspace / f"briefs/matcha/creators/{creator}.yaml"
    edit(path, old, new)
    status, report = validate_json(workspace)
    offers = [d for d in report["diagnostics"] if d["code"] == "offer"]
    if where is None:  # three terms make a fine hybrid offer
        assert status == 0 and offers == []
        return
    found = [(Path(d["file"]).name, d["line"], d["column"], d["path"]) for d in offers]
    assert found == [where], offers
    assert offers[0]["message"].startswith(message) and hint in offers[0]["hint"]


def test_a_hybrid_offer_of_a_fee_alone_is_an_error(workspace: Path) -> None:
    edit(workspace / CAMPAIGN, "  product:\n    name: Ceremonial matcha set\n    value: 64.90\n    ships_by: 2027-05-05\n", "")
    edit(workspace / "briefs/matcha/creators/yuki.yaml", "offer:\n", "offer:\n  type: hybrid\n")
    _, report = validate_json(workspace)
    [problem] = [d for d in report["diagnostics"] if d["file"].endswith("yuki.yaml") and d["code"] == "offer"]
    assert (problem["line"], problem["column"], problem["path"]) == (8, 1, "offer")
    assert problem["message"] == ("@yuki.whisks's offer: a hybrid offer gives two or three of fee, product and "
                                  "commission, and this one gives only the fee")
    assert problem["hint"] == "write `type: paid`, or add a product or `commission_percent`"


def test_the_diff_says_whose_deal_changed_in_their_own_currency(workspace: Path) -> None:
    git(workspace, "init", "-q")
    commit(workspace, "base")
    edit(workspace / CAMPAIGN, "  fee: 400\n", "  fee: 420\n")
    edit(workspace / CAMPAIGN, "  BRL: 0.17\n", "  BRL: 0.17\n  PLN: 0.23\n")
    edit(workspace / "briefs/matcha/creators/gus.yaml", "  type: gifted\n", "  type: hybrid\n  fee: 150\n")
    edit(workspace / "briefs/matcha/creators/yuki.yaml", "  fee: 50000", "  fee: 60000")
    result = run_briefkit("diff", "--workspace", str(workspace))
    assert result.returncode == 0, result.stdout
    lines = result.stdout.splitlines()
    assert "    fee 400 → 420 EUR (@pia.pours)" in lines  # the campaign's fee reaches only who is paid it
    assert ("  @gus.brews: offer type gifted → hybrid; fee 150 PLN (new); "
            "payment terms 30 days after going live (new)") in lines
    assert "  @yuki.whisks: fee 50000 → 60000 JPY" in lines
