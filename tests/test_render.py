"""The render stage's pure parts: locale formats, deadlines, brand colours made readable."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
import segno
from babel import Locale
from hypothesis import given, settings
from hypothesis import strategies as st

from briefkit.model import Amount
from briefkit.render import QR_MASK, Formats, contrast, palette, qr_code, sections, tel, timeline
from briefkit.resolve import resolve_workspace
from briefkit.theme import load_theme
from briefkit.validate import check_workspace


def formats(locale: str, timezone: str = "Europe/Berlin") -> Formats:
    return Formats(Locale.parse(locale, sep="-"), timezone, "Europe/Berlin")


@pytest.mark.parametrize(("locale", "money", "date"), [
    ("de-DE", "1.200,00\xa0€", "Mi., 3. März 2027"),
    ("en-IE", "€1,200.00", "Wed 3 Mar 2027"),
    ("en-US", "€1,200.00", "Wed, Mar 3, 2027"),
    ("fr-FR", "1\u202f200,00\xa0€", "mer. 3 mars 2027"),
])
def test_money_and_dates_follow_the_creators_locale(locale: str, money: str, date: str) -> None:
    fmt = formats(locale)
    assert fmt.money(Amount(Decimal("1200"), "EUR")) == money
    assert fmt.date(dt.date(2027, 3, 3)) == date


@pytest.mark.parametrize(("locale", "amount", "currency", "money"), [
    ("ja-JP", "50000", "JPY", "￥50,000"),  # no decimals: the yen has no minor unit
    ("de-DE", "50000", "JPY", "50.000\xa0¥"),
    ("pt-BR", "1500", "BRL", "R$\xa01.500,00"),
    ("pl-PL", "1500", "PLN", "1\xa0500,00\xa0zł"),
    ("en-US", "1200", "MXN", "MX$1,200.00"),  # a dollar an American would not take for theirs
    ("es-MX", "1200", "MXN", "$1,200.00"),  # a Mexican's own peso
    ("en-US", "1200.50", "USD", "$1,200.50"),  # exact, as written
])
def test_each_amount_is_written_in_its_currency_the_readers_way(locale: str, amount: str, currency: str,
                                                                 money: str) -> None:
    assert formats(locale).money(Amount(Decimal(amount), currency)) == money


def test_a_deadline_with_a_time_is_shown_in_the_creators_time_zone() -> None:
    moment = dt.datetime(2027, 3, 3, 18, 0, tzinfo=dt.timezone.utc)
    assert formats("en-US", "America/New_York").date(moment) == "Wed, Mar 3, 2027, 1:00\u202fPM Eastern Standard Time"
    assert formats("de-DE", "Europe/Berlin").date(moment) == "Mi., 3. März 2027, 19:00 Mitteleuropäische Normalzeit"


@pytest.mark.parametrize(("locale", "timezone", "shown"), [
    ("en-US", "Europe/Berlin", "Wed, Mar 3, 2027"),  # the campaign's own zone: the day is enough
    ("en-US", "America/New_York", "Wed, Mar 3, 2027, 5:59\u202fPM Eastern Standard Time"),
    ("es-MX", "America/Mexico_City", "mié, 3 de mar de 2027, 4:59\u202fp.m. hora estándar central"),
    ("ja-JP", "Asia/Tokyo", "2027年3月4日(木) 7:59 日本標準時"),
])
def test_a_due_day_is_the_end_of_that_day_in_the_campaigns_zone_on_the_creators_clock(
        locale: str, timezone: str, shown: str) -> None:
    fmt = formats(locale, timezone)  # the campaign is in Europe/Berlin
    assert fmt.date(fmt.due(dt.date(2027, 3, 3))) == shown


def test_percent_and_file_sizes() -> None:
    assert formats("en-US").percent(12.5) == "12.5%"
    assert formats("de-DE").percent(15) == "15\xa0%"
    assert formats("en-US").file_size(2_400) == "2 kB"
    assert formats("en-US").file_size(3_250_000) == "3.2 MB"


@pytest.mark.parametrize("primary", ["#2f5d50", "#f2c14e", "#ffffff", "#000000", "#777777", "#e63946"])
def test_brand_colours_are_made_readable(primary: str) -> None:
    colors = palette(primary, "#ffff00")
    assert contrast(colors["primary"], colors["on_primary"]) >= 4.5
    assert contrast(colors["heading"], "#ffffff") >= 4.5
    assert contrast(colors["accent"], colors["on_accent"]) >= 4.5


def test_palette_keeps_a_readable_brand_colour_as_it_is() -> None:
    assert palette("#2f5d50", None) == {"primary": "#2f5d50", "on_primary": "#ffffff", "heading": "#2f5d50",
                                         "accent": "#2f5d50", "on_accent": "#ffffff"}
    assert contrast("#ffffff", "#000000") == 21


def test_deadlines_are_in_time_order_with_plain_labels(workspace: Path) -> None:
    checked, _ = check_workspace(workspace)
    ben = resolve_workspace(checked)[1]
    labels = load_theme(workspace, "default").labels("en-US")
    found = [(d.when.isoformat(), d.label) for d in timeline(ben, labels, formats("en-US"))]
    assert found == [
        ("2027-04-01", "Reply to the brief"),
        ("2027-04-10", "Draft due: Instagram post"),
        ("2027-04-15", "Goes live: Instagram post"),
        ("2027-04-20", "Go-live window opens: TikTok video"),
        ("2027-04-25", "Go-live window closes: TikTok video"),
    ]
    assert [name for _, name in sections(ben, [])] == [
        "why_you", "overview", "offer", "deliverables", "disclosure", "timeline", "creative", "review",
        "tracking", "contact"]


@pytest.mark.parametrize(("phone", "link"), [
    ("+1 (415) 555-0137 ext. 204", "tel:+14155550137;ext=204"),
    ("030 1234567", "tel:0301234567"),
    ("+49 30 123 45 67", "tel:+49301234567"),
    ("555-0100 x12", "tel:5550100;ext=12"),
    ("+٩٧١ ٤ ١٢٣ ٤٥٦٧", "tel:+97141234567"),  # Arabic-Indic digits
    ("call Dana", None),  # nothing to dial: the text is shown without a link
    ("12", None),
])
def test_a_phone_number_as_written_becomes_a_tel_link(phone: str, link: str | None) -> None:
    assert tel(phone) == link


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=600))
def test_a_qr_code_is_the_svg_segno_writes(text: str) -> None:
    """briefkit draws the code's path itself (three times faster); the SVG must stay segno's."""
    written = io.BytesIO()
    segno.make(text, error="m", micro=False, mask=QR_MASK).save(
        written, kind="svg", xmldecl=False, svgns=True, omitsize=True, border=4, svgclass="qr__code")
    assert str(qr_code(text)) == written.getvalue().decode()
