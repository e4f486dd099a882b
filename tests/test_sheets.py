"""Spreadsheets in and out (docs/spreadsheets.md): `briefkit import` reads the sheets
people's tools make into creator files, reports every bad cell at its row and column
and writes nothing then; `--update` keeps a file's comments and other keys; `briefkit
export` writes a roster that opens typed in Excel and imports back."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
from pathlib import Path

import openpyxl
import pytest

from .conftest import edit, run_briefkit, validate_json

CREATORS = "briefs/launch/creators"


@pytest.fixture
def campaign(workspace: Path) -> Path:
    """The basic workspace without a budget, so that imported fees fit."""
    edit(workspace / "briefs/launch/campaign.yaml", "budget: 2000\n", "")
    return workspace


def xlsx(path: Path, rows: list[list]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Creadores"
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


# Sheets as tools make them, each with the creator files it must give.
SHEETS = {
    "google-sheets.csv": lambda p: p.write_bytes(
        b'Username,Full name,Email,Country,Instagram followers,TikTok,Fee,Currency,Offer,Product,Discount code,'
        b'Why you\r\n'
        b'@maya.makes,Maya Lopez,maya@example.com,Brasil,"12,500",3.4k,450,EUR,paid,,MAYA10,'
        b'"Your reels, always sunny"\r\n'
        b'sam.eats,Sam Ito,,Japan,1.2M,,,,gifted,Oat sampler,,\r\n'),
    "excel-semicolon.csv": lambda p: p.write_bytes(codecs.BOM_UTF8 + (
        "Benutzername;Name;Land;Sprache;Instagram Follower;Honorar;Angebot;Produkt\r\n"
        "lena.liebt;Lena Vogel;Österreich;Deutsch;12.000;1.234,56;Bezahlt;\r\n"
        "jonas.isst;Jonas Berg;Deutschland;de;8 500;0,00;Geschenk;Haferbox\r\n").encode("utf-8")),
    "excel-unicode.txt": lambda p: p.write_bytes(codecs.BOM_UTF16_LE + (
        "Handle\tName\tCountry\tLanguage\tPlatform\tFollowers\r\n"
        "aiko.tea\t佐藤 愛子\t日本\t日本語\tInstagram\t52000\r\n"
        "aiko.tea\t佐藤 愛子\t日本\t日本語\tTikTok\t9100\r\n").encode("utf-16-le")),
    "agencia.xlsx": lambda p: xlsx(p, [
        ["Nombre de usuario", "Nombre", "País", "Idioma", "Seguidores Instagram", "Tarifa", "Moneda", "Notas"],
        ["sofia.cocina", "Sofía Ramírez", "México", "español", 24000, 5200, "MXN", "pide pago por adelantado"],
    ]),
}


@pytest.mark.parametrize("name", SHEETS)
def test_a_sheet_imports_to_the_expected_creator_files(campaign: Path, name: str, golden) -> None:
    sheet = campaign / name
    SHEETS[name](sheet)
    args = ["import", str(sheet), "--campaign", "launch", "--workspace", str(campaign)]
    if name == "excel-semicolon.csv":
        args += ["--number-locale", "de-DE"]
    result = run_briefkit(*args)
    assert result.returncode == 0, result.stderr
    written = sorted(set((campaign / CREATORS).glob("*.yaml")) - {campaign / CREATORS / "ben.yaml"})
    assert written, result.stdout
    golden(f"import/{Path(name).stem}.yaml", "".join(f"--- {p.name}\n{p.read_text()}" for p in written))
    status, report = validate_json(campaign)
    assert status == 0, report["diagnostics"]
    assert (campaign / ".briefkit/creator.schema.json").is_file()  # the modeline's target


BAD = "Handle,Name,Email,Country,Instagram followers,Fee,Commission,Offer,Language,Folowers\n"
# (row, column, header, part of the message); each row has one mistake.
# (the row, its column with the mistake, that column's header, part of the message): each
# row has one mistake; the first row is good, so that the second can repeat its handle.
BAD_CELLS = [
    ("lu.first,Lu,,US,1000,100,,paid,en,big", 10, "Folowers", "is not imported"),  # said at its header
    ("lu.first,Lou,,US,1000,100,,paid,en,", 1, "Handle", "also used"),
    ("ana.one,Ana,ana@example.com,Atlantis,1000,100,,paid,en,", 4, "Country", "'Atlantis' is not a country code"),
    ("bo.two,Bo,not-an-email,US,1000,100,,paid,en,", 3, "Email", "is not an e-mail address"),
    ("cy.four,Cy,,US,1000,\"1,500\",,paid,en,", 6, "Fee", "could be read two ways"),
    ("di.five,,,US,1000,100,,paid,en,", 2, "Name", "expected text, found nothing"),
    ("ed.six,Ed,,US,lots,100,,paid,en,", 5, "Instagram followers", "is not a number of followers"),
    ("fay.seven,Fay,,US,1000,100,,sometimes,en,", 8, "Offer", "expected one of paid, gifted, affiliate, hybrid"),
    ("gus.eight,Gus,,US,1000,100,150,affiliate,en,", 7, "Commission", "at most 100"),
    ("hal.nine,Hal,,US,1000,-5,,paid,en,", 6, "Fee", "must not be negative"),
    ("ivy.ten,Ivy,,US,1000,100,,paid,Gibberish,", 9, "Language", "not a language tag"),
    ("jo.eleven,Jo,,US,1000,abc,,paid,en,", 6, "Fee", "is not an amount"),
    ("kai twelve@x,Kai,,US,1000,100,,paid,en,", 1, "Handle", "expected"),
]


def test_every_bad_cell_is_reported_at_its_row_and_column_and_nothing_is_written(campaign: Path) -> None:
    sheet = campaign / "bad.csv"
    sheet.write_text(BAD + "".join(row + "\n" for row, *_ in BAD_CELLS))
    before = sorted(p.name for p in (campaign / CREATORS).iterdir())
    result = run_briefkit("import", str(sheet), "--campaign", "launch", "--format", "json",
                          "--workspace", str(campaign))
    assert result.returncode == 1
    found = json.loads(result.stdout)["diagnostics"]
    for row, (_, column, header, message) in enumerate(BAD_CELLS, 2):
        row = 1 if header == "Folowers" else row  # a column no field has: said once, at the header
        at = [d for d in found if (d["file"], d["line"], d["column"]) == (str(sheet), row, column)]
        assert at, (row, column, [(d["line"], d["column"], d["message"]) for d in found])
        assert any(d["path"] == header and message in d["message"] for d in at), (header, message, at)
    assert sorted(p.name for p in (campaign / CREATORS).iterdir()) == before  # nothing written


def test_a_sheet_without_the_needed_columns_says_which(campaign: Path) -> None:
    sheet = campaign / "thin.csv"
    sheet.write_text("Name,Notes\nAna,hello\n")
    result = run_briefkit("import", str(sheet), "--campaign", "launch", "--workspace", str(campaign))
    assert result.returncode == 1
    assert f"{sheet}:1:1: error: the sheet has no column for the creator's handle" in result.stderr
    assert "the sheet has no column for the creator's region" in result.stderr
    assert "the sheet has no column of followers" in result.stderr


def test_update_changes_only_the_keys_the_sheet_has_and_keeps_the_rest_byte_for_byte(campaign: Path) -> None:
    ben = campaign / CREATORS / "ben.yaml"
    original = ("# Ben, from the agency list\n"
                + ben.read_text().replace("region: US", "region: US   # New York")
                .replace("why_you:", "# why we picked him\nwhy_you:"))
    ben.write_text(original)
    sheet = campaign / "update.csv"
    sheet.write_text("Handle,Name,Country,Instagram followers,Fee\n@ben.brews,Ben Carter,US,150000,400\n")
    args = ["import", str(sheet), "--campaign", "launch", "--workspace", str(campaign)]
    untouched = run_briefkit(*args)
    assert untouched.returncode == 0 and ben.read_text() == original
    assert untouched.stdout == "0 creator files written, 1 left alone (they exist; --update changes them)\n"
    dry = run_briefkit(*args, "--update", "--dry-run")
    assert dry.stdout.splitlines()[0] == ("  would update briefs/launch/creators/ben.yaml: "
                                          "platforms.instagram.followers, offer.fee")
    assert ben.read_text() == original
    assert run_briefkit(*args, "--update").returncode == 0
    after = ben.read_text()
    expected = original.replace("instagram: {followers: 120000}", "instagram: {followers: 150000}")
    assert after == expected + "offer:\n  fee: 400\n"  # every other byte as it was
    assert validate_json(campaign)[0] == 0


def test_export_opens_typed_in_excel_and_its_csv_reads_back(campaign: Path, tmp_path: Path) -> None:
    book_path, csv_path = tmp_path / "roster.xlsx", tmp_path / "roster.csv"
    for path, kind in ((book_path, "xlsx"), (csv_path, "csv")):
        result = run_briefkit("export", "--campaign", "launch", "--format", kind, "--output", str(path),
                              "--workspace", str(campaign))
        assert result.returncode == 0, result.stderr
    sheet = openpyxl.load_workbook(book_path).active
    header = [c.value for c in sheet[1]]
    rows = {r[0]: dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True)}
    klara = rows["@kaffee.klara"]
    assert klara["Fee"] == 350 and isinstance(klara["Fee"], (int, float)) and klara["Currency"] == "EUR"
    assert klara["Respond by"] == dt.datetime(2027, 4, 1)  # a date cell, not text
    assert klara["Instagram followers"] == 15000 and klara["Discount code"] == "OAT-kaffee-klara"
    assert klara["Packet"] == "output/launch/kaffee-klara/index.html"
    data = csv_path.read_bytes()
    assert data.startswith(codecs.BOM_UTF8)  # so that Excel reads it as UTF-8
    read = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["Handle"] for r in read] == list(rows)
    assert read[0]["Fee"] == str(klara["Fee"]) or float(read[0]["Fee"]) == klara["Fee"]
    again = tmp_path / "again.xlsx"
    run_briefkit("export", "--campaign", "launch", "--format", "xlsx", "--output", str(again),
                 "--workspace", str(campaign))
    assert again.read_bytes() == book_path.read_bytes()  # the same roster, the same file


def test_an_export_imports_back_into_an_empty_campaign_as_the_same_creators(campaign: Path, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    run_briefkit("export", "--campaign", "launch", "--output", str(roster), "--workspace", str(campaign))
    copy = campaign / "briefs/copy"
    copy.mkdir()
    campaign_text = (campaign / "briefs/launch/campaign.yaml").read_text()
    (copy / "campaign.yaml").write_text(campaign_text[:campaign_text.index("creators:")]
                                        + campaign_text[campaign_text.index("assets:"):])
    (copy / "assets").symlink_to(campaign / "briefs/launch/assets")
    result = run_briefkit("import", str(roster), "--campaign", "copy", "--workspace", str(campaign))
    assert result.returncode == 0, result.stderr
    assert "is not imported" not in result.stderr  # every column of an export is known
    status, report = validate_json(campaign)
    assert status == 0, report["diagnostics"]
    again = tmp_path / "again.csv"
    run_briefkit("export", "--campaign", "copy", "--output", str(again), "--workspace", str(campaign))
    first = list(csv.DictReader(io.StringIO(roster.read_text(encoding="utf-8-sig"))))
    second = list(csv.DictReader(io.StringIO(again.read_text(encoding="utf-8-sig"))))
    for row in first + second:  # the packet's folder and the links' utm_campaign name the campaign
        for column in [c for c in row if c == "Packet" or c.endswith(" link")]:
            row.pop(column)
    assert sorted(first, key=lambda r: r["Handle"]) == sorted(second, key=lambda r: r["Handle"])


def test_an_export_imported_over_its_own_campaign_changes_nothing(campaign: Path, tmp_path: Path) -> None:
    """The roster has every creator's language, currency, offer type and discount code,
    most of them the campaign's: writing those into the files would change what follows
    the campaign."""
    roster = tmp_path / "roster.xlsx"
    run_briefkit("export", "--campaign", "launch", "--format", "xlsx", "--output", str(roster),
                 "--workspace", str(campaign))
    before = {p: p.read_bytes() for p in (campaign / CREATORS).iterdir()}
    result = run_briefkit("import", str(roster), "--campaign", "launch", "--update", "--workspace", str(campaign))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "0 creator files written, 2 unchanged\n"
    assert {p: p.read_bytes() for p in (campaign / CREATORS).iterdir()} == before


def test_no_header_means_two_things() -> None:
    from briefkit.importing import columns, header_key

    owner: dict[str, str] = {}
    for field, spec in columns()["columns"].items():
        for header in spec["headers"]:
            key = header_key(header)
            assert key, header  # a header of punctuation alone would match an empty one
            if "{platform}" not in header:
                assert owner.setdefault(key, field) == field, (header, field, owner[key])


@pytest.mark.parametrize(("written", "count"), [
    ("12000", 12000), ("12.000", 12000), ("12,000", 12000), ("12 000", 12000), ("12\u00a0000", 12000),
    ("12k", 12000), ("12K", 12000), ("1.2M", 1_200_000), ("1,2 Mio", 1_200_000), ("3.4k", 3400),
    ("1.234.567", 1_234_567), ("12 mil", 12000), ("lots", None), ("12.5", None), ("-5", None),
])
def test_followers_as_people_write_them(written: str, count: int | None) -> None:
    from briefkit.importing import follower_count
    from briefkit.sheets import Cell

    assert follower_count(Cell(2, 1, written)) == count


@pytest.mark.parametrize(("written", "locale", "amount", "currency"), [
    ("1500", "de-DE", "1500", None), ("1.234,56", "de-DE", "1234.56", None), ("1,234.56", "en-US", "1234.56", None),
    ("12,50", "de-DE", "12.50", None), ("€450", "de-DE", "450", "EUR"), ("450 EUR", "en-US", "450", "EUR"),
    ("R$ 1.200,00", "pt-BR", "1200.00", "BRL"), ("$300", "en-US", "300", "USD"),
])
def test_money_as_people_write_it(written: str, locale: str, amount: str, currency: str | None) -> None:
    from decimal import Decimal

    from briefkit.importing import money
    from briefkit.sheets import Cell

    assert money(Cell(2, 1, written), locale) == (Decimal(amount), currency)


@pytest.mark.parametrize("written", ["1.500", "1,500", "12.000"])
def test_money_that_reads_two_ways_is_refused(written: str) -> None:
    from briefkit.importing import money
    from briefkit.sheets import Cell

    with pytest.raises(ValueError, match="could be read two ways"):
        money(Cell(2, 1, written), "de-DE")


@pytest.mark.parametrize(("written", "locale", "amount"), [
    ("1.500", "de-DE", "1500"), ("1.500", "es-ES", "1500"), ("1,500", "en-US", "1500"), ("1.500", "en-US", "1.500"),
])
def test_a_chosen_number_locale_decides_what_reads_two_ways(written: str, locale: str, amount: str) -> None:
    from decimal import Decimal

    from briefkit.importing import money
    from briefkit.sheets import Cell

    assert money(Cell(2, 1, written), locale, chosen=True) == (Decimal(amount), None)


@pytest.mark.parametrize(("written", "code"), [
    ("Alemania", "DE"), ("Allemagne", "DE"), ("Deutschland", "DE"), ("Germany", "DE"), ("ドイツ", "DE"),
    ("Brasil", "BR"), ("Brésil", "BR"), ("méxico", "MX"), ("de", "DE"), ("Narnia", "Narnia"),
])
def test_countries_by_name_in_the_sheets_languages(written: str, code: str) -> None:
    from briefkit.importing import region_code

    assert region_code(written) == code


@pytest.mark.parametrize(("written", "region", "tag"), [
    ("alemán", "DE", "de-DE"), ("Deutsch", "AT", "de-AT"), ("German", None, "de"), ("portugués", "BR", "pt-BR"),
    ("français", "CA", "fr-CA"), ("pt_br", None, "pt-BR"), ("日本語", "JP", "ja-JP"),
])
def test_languages_by_name_in_the_sheets_languages(written: str, region: str | None, tag: str) -> None:
    from briefkit.importing import locale_tag

    assert locale_tag(written, region) == tag


def test_an_unknown_header_is_told_the_spelling_it_is_close_to() -> None:
    from briefkit.importing import _columns
    from briefkit.sheets import Cell, Table

    table = Table("s.csv", [Cell(1, 1, "Handle"), Cell(1, 2, "Name"), Cell(1, 3, "Countyr"),
                                                 Cell(1, 4, "Instagram followers")], [])
    problems: list = []
    _columns(table, problems)
    assert [(p.message, p.hint.split("?")[0]) for p in problems] == [
        ("column 'Countyr' is not imported", "did you mean 'country'"),
        ("the sheet has no column for the creator's region", "add a column named 'region' (or 'country')")]


def test_update_reaches_a_creator_written_in_campaign_yaml(campaign: Path) -> None:
    settings = campaign / "briefs/launch/campaign.yaml"
    before = settings.read_text()
    sheet = campaign / "klara.csv"
    sheet.write_text("Handle,Name,Country,Instagram followers,Fee\nkaffee.klara,Klara Schmidt,DE,16500,380\n")
    result = run_briefkit("import", str(sheet), "--campaign", "launch", "--update", "--workspace", str(campaign))
    assert result.returncode == 0, result.stderr
    assert "updated briefs/launch/campaign.yaml: platforms.instagram.followers, fee" in result.stdout
    # her fee stays where her file has it (`fee:`, not a second one under `offer:`)
    assert settings.read_text() == before.replace("{followers: 15000}", "{followers: 16500}").replace(
        "    fee: 350\n", "    fee: 380\n")
    assert validate_json(campaign)[0] == 0
