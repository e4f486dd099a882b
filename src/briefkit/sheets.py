"""Spreadsheets as briefkit reads and writes them (docs/spreadsheets.md): CSV in the
dialects people's tools write (comma, semicolon as European Excel writes it, tab;
UTF-8 with or without a byte-order mark, or UTF-16 as Excel's "Unicode text") and
XLSX, each cell with its row and column as the spreadsheet shows them.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, Location, UsageError

CellValue = str | int | float | Decimal | dt.date | dt.datetime | bool | None


@dataclass(frozen=True)
class Cell:
    row: int  # from 1, as the spreadsheet numbers rows
    column: int  # from 1: A is 1
    value: CellValue

    @property
    def text(self) -> str:
        """The cell as text, trimmed; a whole number stays whole (`12000`, not `12000.0`)."""
        value = self.value
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return "" if value is None else str(value).strip()


@dataclass(frozen=True)
class Table:
    file: str  # as messages name it: the path given, and `[sheet]` for a workbook
    header: list[Cell]
    rows: list[list[Cell]]  # the rows below the header that hold anything

    def where(self, cell: Cell, header: str = "") -> Location:
        return Location(self.file, cell.row, cell.column, (header,) if header else ())


class SheetError(UsageError):
    """The sheet asked for (`--sheet`) is not in the workbook."""

    def __init__(self, message: str):
        super().__init__(message, option="--sheet")


def read_table(path: Path, shown: str, sheet: str | None = None) -> tuple[Table | None, list[Diagnostic]]:
    """The table in `path` (shown to users as `shown`): its first row that holds anything
    is the header. None, with the reason, when the file cannot be read as a table."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        return None, [Diagnostic(Location(shown, 0, 0), f"cannot read the file: {error.strerror}",
                                 "check the path", code="file")]
    if raw.startswith(b"PK\x03\x04"):  # a zip file: XLSX
        return _xlsx_table(raw, shown, sheet)
    if sheet is not None:
        raise SheetError(f"{shown} is a CSV file, which has no sheets; leave out --sheet")
    text, problem = _csv_text(raw, shown)
    if problem:
        return None, [problem]
    return _table(shown, _csv_rows(text)), []


def _csv_text(raw: bytes, shown: str) -> tuple[str, Diagnostic | None]:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16"), None
    if raw[:400].count(b"\0") > len(raw[:400]) // 4:  # UTF-16 without its mark
        return raw.decode("utf-16-be" if raw[:1] == b"\0" else "utf-16-le", "replace"), None
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        before = raw[:error.start]
        return "", Diagnostic(Location(shown, before.count(b"\n") + 1, len(before) - before.rfind(b"\n")),
                              "the file is neither UTF-8 nor UTF-16 text",
                              "save it as \"CSV UTF-8\" (Excel) or download it as CSV (Google Sheets)",
                              code="encoding")


def _csv_rows(text: str) -> list[list[tuple[int, str]]]:
    """Rows of (line number, text) cells; a cell's line is where its row starts."""
    sample = "\n".join(text.splitlines()[:20])
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:  # one column, or nothing to tell by
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows = []
    line = 1
    for row in reader:
        rows.append([(line, value) for value in row])
        line = reader.line_num + 1
    return rows


def _table(shown: str, rows: list[list[tuple[int, CellValue]]]) -> Table:
    cells = [[Cell(line, column, value if value != "" else None) for column, (line, value) in enumerate(row, 1)]
             for row in rows]
    filled = [row for row in cells if any(cell.text for cell in row)]
    if not filled:
        return Table(shown, [], [])
    return Table(shown, filled[0], filled[1:])


def _xlsx_table(raw: bytes, shown: str, sheet: str | None) -> tuple[Table | None, list[Diagnostic]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (InvalidFileException, KeyError, ValueError, OSError) as error:
        return None, [Diagnostic(Location(shown, 0, 0), f"the file is not a workbook Excel can open ({error})",
                                 "save it again as .xlsx, or as CSV UTF-8", code="file")]
    try:
        names = workbook.sheetnames
        if sheet is not None and sheet not in names:
            raise SheetError(f"{shown} has no sheet {sheet!r}; it has " + ", ".join(repr(n) for n in names))
        chosen = sheet or names[0]
        rows = [[(number, value) for value in row]
                for number, row in enumerate(workbook[chosen].iter_rows(values_only=True), 1)]
    finally:
        workbook.close()
    # Rows keep their own numbers: a blank row in the sheet keeps the numbering right.
    cells = [[Cell(number, column, _trimmed(value)) for column, (number, value) in enumerate(row, 1)]
             for row in rows]
    filled = [row for row in cells if any(cell.text for cell in row)]
    file = f"{shown}[{chosen}]"
    return (Table(file, filled[0], filled[1:]) if filled else Table(file, [], [])), []


def _trimmed(value: Any) -> CellValue:
    return None if isinstance(value, str) and not value.strip() else value


# --- writing ---------------------------------------------------------------------


def csv_bytes(header: list[str], rows: list[list[CellValue]]) -> bytes:
    """A CSV Excel opens as UTF-8 (it needs the byte-order mark), comma-separated."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([["" if value is None else _csv_value(value) for value in row] for row in rows])
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


def _csv_value(value: CellValue) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def xlsx_bytes(sheet: str, header: list[str], rows: list[list[CellValue]], formats: dict[int, str],
               stamp: dt.datetime) -> bytes:
    """A workbook of one sheet with typed cells: numbers as numbers (`formats` gives a
    number format per column, from 0), dates as dates; `stamp` as its creation and
    modification time, so that the same roster makes the same file."""
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    table = workbook.active
    table.title = sheet[:31]  # Excel's limit
    table.append(header)
    for cell in table[1]:
        cell.font = Font(bold=True)
    for row in rows:
        table.append([float(v) if isinstance(v, Decimal) else v for v in row])
    for column, number_format in formats.items():
        for cells in table.iter_rows(min_row=2, min_col=column + 1, max_col=column + 1):
            cells[0].number_format = number_format
    table.freeze_panes = "A2"
    stamp = stamp.replace(tzinfo=None)
    workbook.properties.created = workbook.properties.modified = stamp
    workbook.properties.creator = "briefkit"
    out = io.BytesIO()
    workbook.save(out)
    return _with_fixed_times(out.getvalue(), stamp)


def _with_fixed_times(data: bytes, stamp: dt.datetime) -> bytes:
    """openpyxl stamps `modified` with the time of saving and zips with the clock's time:
    rewrite both, so that the file depends only on the roster."""
    import re
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    when = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + when.encode(), content)
            info = zipfile.ZipInfo(item.filename, date_time=(stamp.year, stamp.month, stamp.day, 0, 0, 0)
                                   if stamp.year >= 1980 else (1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, content)
    return out.getvalue()
