"""`briefkit import`: creators from a spreadsheet (docs/spreadsheets.md).

A sheet's columns are matched by header (rules/columns.yaml), each row becomes a
creator as a campaign file would hold it, with the cell of every value as its
location, and the campaign is validated with them: every problem, the sheet's and
the model's, is reported at its `FILE:ROW:COLUMN`. Only when there is none are the
creator files written: `creators/<slug>.yaml` for a new creator; an existing file
only with `--update`, which changes just the keys the sheet has and keeps the rest
of the file, its comments and its quoting.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, KeyPath, Location, error, errors_first, warning
from .load import CampaignSource, deep_merge, load_workspace
from .model import country_names, handle_key, plain_name, slug_from_handle
from .scaffold import write_schemas
from .sheets import Cell, Table, read_table
from .validate import validate_workspace
from .write import write_atomically
from .yamledit import EditError, creator_node, dump, equal_values, set_values
from .yamlfile import Sourced, plain_data, value_at

COLUMNS_FILE = Path(__file__).parent / "rules" / "columns.yaml"
SCHEMA_LINE = "# yaml-language-server: $schema=../../../.briefkit/creator.schema.json\n"
REQUIRED = ("handle", "name", "region")


@cache
def columns() -> dict[str, Any]:
    return plain_data(COLUMNS_FILE.read_text(encoding="utf-8"))


def header_key(text: str) -> str:
    """How headers compare: without case, accents, spaces or punctuation."""
    return re.sub(r"[\W_]+", "", plain_name(text))


@cache
def _headers() -> dict[str, tuple[str, str | None, str]]:
    """Every known header (compared as `header_key`) → (field, platform or None, the header
    as docs/spreadsheets.md spells it); the field is "ignored" for the columns an export
    writes that import reads past."""
    data = columns()
    found: dict[str, tuple[str, str | None, str]] = {}
    for name, headers in [*((n, spec["headers"]) for n, spec in data["columns"].items()),
                          ("ignored", data["ignored"])]:
        for header in headers:
            if "{platform}" in header:
                for platform, words in data["platform_words"].items():
                    for word in words:
                        spelled = header.replace("{platform}", word)
                        found.setdefault(header_key(spelled), (name, platform, spelled))
            else:
                found.setdefault(header_key(header), (name, None, header))
    return found


@dataclass(frozen=True)
class Column:
    cell: Cell  # the header's cell
    field: str
    platform: str | None = None

    @property
    def header(self) -> str:
        return self.cell.text


@dataclass
class ImportedCreator:
    """One creator from the sheet: its data, where each value came from, and the row."""

    row: int
    source: Sourced
    handle_cell: Cell

    @property
    def handle(self) -> str:
        return str(self.source.data.get("handle", ""))


@dataclass
class Change:
    """What an import does to one creator file, for the report and `--dry-run`."""

    path: Path
    action: str  # "create", "update", "unchanged", "left alone"
    keys: list[str] = field(default_factory=list)
    text: str = ""  # the file's new text


@dataclass
class ImportReport:
    diagnostics: list[Diagnostic]
    changes: list[Change]

    @property
    def failed(self) -> bool:
        return any(d.is_error for d in self.diagnostics)


def import_creators(root: Path, sheet_path: Path, shown: str, campaign_id: str, sheet: str | None = None,
                    number_locale: str | None = None, update: bool = False, dry_run: bool = False) -> ImportReport:
    """Read the sheet, validate its creators with the campaign, and (unless there is an
    error or `dry_run`) write their files."""
    from .build import SelectionError

    workspace = load_workspace(root)
    target = next((c for c in workspace.campaigns if c.id == campaign_id), None)
    if target is None:
        known = ", ".join(c.id for c in workspace.campaigns) or "none"
        raise SelectionError(f"there is no campaign {campaign_id!r} (campaigns: {known})")
    table, problems = read_table(sheet_path, shown, sheet)
    if table is None:
        return ImportReport(problems, [])
    locale = number_locale or _campaign_locale(target)
    creators = _creators(table, locale, number_locale is not None, problems)
    source = load_workspace(root, only=[root / target.folder])
    campaign = source.campaigns[0]
    changes = _merge(root, campaign, creators, update, problems)
    _, found = validate_workspace(source)
    # Loading said the campaign had no creators; now it has the imported ones.
    problems += [d for d in found if not (d.code == "no-creators" and campaign.creators)]
    report = ImportReport(errors_first(_deduplicated(problems)), changes)
    if not report.failed and not dry_run:
        for change in changes:
            if change.action in ("create", "update"):
                write_atomically(change.path, change.text.encode("utf-8"))
        if any(change.action == "create" for change in changes):
            write_schemas(root)  # what the new files' modeline points editors at
    return report


def _campaign_locale(source: CampaignSource) -> str:
    """The campaign's locale when Babel knows it (validation reports it otherwise)."""
    from babel import Locale, UnknownLocaleError

    written = str(source.campaign.data.get("locale") or "en-US")
    try:
        Locale.parse(written.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return "en-US"
    return written


def _deduplicated(problems: list[Diagnostic]) -> list[Diagnostic]:
    return list(dict.fromkeys(problems))


# --- the sheet → creators -------------------------------------------------------


def _columns(table: Table, problems: list[Diagnostic]) -> list[Column]:
    known = _headers()
    found: list[Column] = []
    for cell in table.header:
        if not cell.text:
            continue
        match = known.get(header_key(cell.text))
        if match is None:
            close = difflib.get_close_matches(header_key(cell.text), list(known), n=1, cutoff=0.8)
            hint = (f"did you mean {known[close[0]][2]!r}? " if close else "") + \
                "the columns briefkit reads are listed in docs/spreadsheets.md; this one is left out"
            problems.append(warning(table.where(cell, cell.text), f"column {cell.text!r} is not imported",
                                    hint, "column"))
            continue
        column = Column(cell, *match[:2])
        if column.field == "ignored":
            continue
        twin = next((c for c in found if (c.field, c.platform) == (column.field, column.platform)), None)
        if twin:
            problems.append(error(table.where(cell, cell.text),
                                  f"column {cell.text!r} says the same as column {twin.header!r}",
                                  "keep one of them", "column"))
            continue
        found.append(column)
    fields = {c.field for c in found}
    where = Location(table.file, table.header[0].row if table.header else 1, 1)
    for name in REQUIRED:
        if name not in fields:
            headers = columns()["columns"][name]["headers"]
            problems.append(error(where, f"the sheet has no column for the creator's {name}",
                                  f"add a column named {headers[0]!r} (or {headers[1]!r})", "column"))
    if not fields & {"platform_followers"} and not {"platform", "followers"} <= fields:
        problems.append(error(where, "the sheet has no column of followers",
                              "add a column such as 'Instagram followers', or 'Platform' and 'Followers'",
                              "column"))
    return found


def _creators(table: Table, locale: str, chosen: bool, problems: list[Diagnostic]) -> list[ImportedCreator]:
    found = _columns(table, problems)
    creators: list[ImportedCreator] = []
    first_rows: dict[str, ImportedCreator] = {}  # for sheets with a row per creator and platform
    for row in table.rows:
        cells = {c.column: c for c in row}
        built = _Row(table, locale, chosen, problems)
        for column in found:
            cell = cells.get(column.cell.column) or Cell(row[0].row, column.cell.column, None)
            if cell.text:
                built.take(column, cell)
            elif column.field in REQUIRED:  # empty: the model says so, at this cell
                built.put((column.field,), None, cell, column)
        if built.handle_cell is None:
            first = next(c for c in row if c.text)
            handle_column = next((c for c in found if c.field == "handle"), None)
            column_number = handle_column.cell.column if handle_column else first.column
            problems.append(error(Location(table.file, first.row, column_number, ("handle",)),
                                  "this row has no handle", "fill in the creator's handle, or delete the row",
                                  "empty-cell"))
            continue
        creator = built.creator()
        key = handle_key(creator.handle)
        if built.per_platform and key in first_rows:
            _join(first_rows[key], creator, problems)
            continue
        first_rows.setdefault(key, creator)
        creators.append(creator)  # a handle twice without platforms: validation says so, at both
    return creators


class _Row:
    """One row's values, put where a creator file holds them, each with its cell."""

    def __init__(self, table: Table, locale: str, chosen: bool, problems: list[Diagnostic]):
        self.table, self.locale, self.chosen, self.problems = table, locale, chosen, problems
        self.data: dict[str, Any] = {}
        self.values: dict[KeyPath, Location] = {}
        self.handle_cell: Cell | None = None
        self.region: str | None = None
        self.platform: tuple[str, Cell] | None = None
        self.followers: tuple[Cell, Column] | None = None
        self.per_platform = False

    def put(self, path: KeyPath, value: Any, cell: Cell, column: Column) -> None:
        parent = self.data
        for step in path[:-1]:
            parent = parent.setdefault(step, {})
        parent[path[-1]] = value
        where = self.table.where(cell, column.header)
        for end in range(1, len(path) + 1):
            self.values.setdefault(path[:end], where)

    def problem(self, cell: Cell, column: Column, message: str, hint: str) -> None:
        self.problems.append(error(self.table.where(cell, column.header), message, hint, "cell"))

    def take(self, column: Column, cell: Cell) -> None:
        text = cell.text
        name = column.field
        if name == "handle":
            self.handle_cell = cell
            self.put(("handle",), text.replace(" ", ""), cell, column)
        elif name in ("name", "email", "timezone", "why_you", "discount_code"):
            self.put((name,), text, cell, column)
        elif name == "region":
            self.region = region_code(text)
            self.put(("region",), self.region, cell, column)
        elif name == "locale":
            self.put(("locale",), locale_tag(text, self.region), cell, column)
        elif name == "currency":
            self.put(("currency",), text.upper(), cell, column)
        elif name == "platform":
            platform = platform_named(text)
            if platform is None:
                self.problem(cell, column, f"{text!r} is not a platform briefkit knows",
                             "write one of " + ", ".join(columns()["platform_words"]))
                return
            self.platform = (platform, cell)
            self.per_platform = True
            if self.followers:
                self._platform_followers()
        elif name == "followers":
            self.followers = (cell, column)
            if self.platform:
                self._platform_followers()
        elif name == "platform_followers":
            self._followers(column.platform or "", cell, column)
        elif name == "platform_handle":
            self.put(("platforms", column.platform, "handle"), text, cell, column)
        elif name == "fee":
            self._fee(cell, column)
        elif name == "commission":
            number = percent(cell)
            if number is None:
                self.problem(cell, column, f"{text!r} is not a percentage", "write it as 15 or 15 %")
            else:
                self.put(("offer", "commission_percent"), number, cell, column)
        elif name == "offer":
            self.put(("offer", "type"), offer_type(text), cell, column)
        elif name == "product":
            self.put(("offer", "product", "name"), text, cell, column)
        elif name == "deliverables":
            self.put(("deliverables",), [part.strip() for part in re.split(r"[,;\n]", text) if part.strip()],
                     cell, column)
        elif name == "notes":
            self.put(("internal", "notes"), text, cell, column)

    def _platform_followers(self) -> None:
        assert self.platform and self.followers
        cell, column = self.followers
        self._followers(self.platform[0], cell, column)

    def _followers(self, platform: str, cell: Cell, column: Column) -> None:
        count = follower_count(cell)
        if count is None:
            self.problem(cell, column, f"{cell.text!r} is not a number of followers",
                         "write it as 12000, 12.000, 12,000, 12 000, 12k or 1.2M")
            return
        self.put(("platforms", platform, "followers"), count, cell, column)

    def _fee(self, cell: Cell, column: Column) -> None:
        try:
            amount, currency = money(cell, self.locale, self.chosen)
        except ValueError as problem:
            self.problem(cell, column, problem.args[0], problem.args[1] if len(problem.args) > 1 else "")
            return
        self.put(("offer", "fee"), amount, cell, column)
        if currency:
            self.put(("currency",), currency, cell, column)

    def creator(self) -> ImportedCreator:
        assert self.handle_cell is not None
        root = self.values.get(("handle",))
        values = {(): root, **self.values} if root else dict(self.values)
        return ImportedCreator(self.handle_cell.row, Sourced(self.data, values, dict(values)), self.handle_cell)


def _join(first: ImportedCreator, later: ImportedCreator, problems: list[Diagnostic]) -> None:
    """A later row of the same creator (a sheet with a row per platform): its platforms
    join the first row's; another value that differs is an error at its cell."""
    for platform, account in later.source.data.get("platforms", {}).items():
        first.source.data.setdefault("platforms", {})[platform] = account
        for path, where in later.source.values.items():
            if path[:2] == ("platforms", platform):
                first.source.values[path] = first.source.keys[path] = where
    for key, value in later.source.data.items():
        if key != "platforms" and key in first.source.data and first.source.data[key] != value:
            problems.append(error(later.source.values[(key,)],
                                  f"{key} differs from row {first.row} of the same creator",
                                  f"write the same {key} on every row of {first.handle}", "cell"))


# --- cells → values ---------------------------------------------------------------


def region_code(text: str) -> str:
    """`BR`, `br`, `Brazil`, `Brasil` or `Brésil` → `BR`; anything else as written
    (validation says why)."""
    if re.fullmatch(r"[A-Za-z]{2}", text):
        return text.upper()
    return _country_names().get(plain_name(text), text)


@cache
def _country_names() -> dict[str, str]:
    """The model's country names, and every country's name in the `name_languages`."""
    from babel import Locale

    names = dict(country_names())
    known = set(names.values())
    for language in columns()["name_languages"]:
        for code, name in Locale.parse(language).territories.items():
            if code in known:
                names.setdefault(plain_name(name), code)
    return names


@cache
def _language_names() -> dict[str, str]:
    """Languages by name, in English, in their own words and in the `name_languages`:
    `german`, `deutsch`, `aleman` → `de`."""
    from babel import Locale, UnknownLocaleError

    names = {}
    for code, english in Locale("en").languages.items():
        if "_" in code:
            continue
        names.setdefault(plain_name(english), code)
        try:
            own = Locale.parse(code).get_display_name(code)
        except (UnknownLocaleError, ValueError):
            continue
        if own:
            names.setdefault(plain_name(own), code)
    for language in columns()["name_languages"]:
        for code, name in Locale.parse(language).languages.items():
            if "_" not in code:
                names.setdefault(plain_name(name), code)
    return names


def locale_tag(text: str, region: str | None) -> str:
    """`pt-BR`, `pt_BR`, `Portuguese` or `português` → a locale tag; a language alone
    takes the creator's region when CLDR knows that pair (`de` in AT → `de-AT`)."""
    from babel import Locale, UnknownLocaleError

    written = text.strip().replace("_", "-")
    if re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", written):
        parts = written.split("-")
        tag = "-".join([parts[0].lower()] + [p.upper() if len(p) == 2 else p.title() if len(p) == 4 else p
                                             for p in parts[1:]])
    else:
        tag = _language_names().get(plain_name(written), written)
    if "-" not in tag and region and re.fullmatch(r"[A-Z]{2}", region):
        try:
            Locale.parse(f"{tag}_{region}")
            return f"{tag}-{region}"
        except (UnknownLocaleError, ValueError):
            pass
    return tag


def platform_named(text: str) -> str | None:
    key = header_key(text)
    return next((platform for platform, words in columns()["platform_words"].items()
                 if key in {header_key(w) for w in words}), None)


def offer_type(text: str) -> str:
    key = plain_name(text)
    return next((kind for kind, words in columns()["offer_words"].items()
                 if key in {plain_name(w) for w in words}), text)


_SCALED = re.compile(r"(\d+(?:[.,]\d+)?)\s*(k|tsd|mil|m|mio|mln)\.?", re.IGNORECASE)
_GROUPED = re.compile(r"\d{1,3}(?:([.,' \u00a0\u202f])\d{3})(?:\1\d{3})*")
_SCALE = {"k": 1000, "tsd": 1000, "mil": 1000, "m": 10 ** 6, "mio": 10 ** 6, "mln": 10 ** 6}


def follower_count(cell: Cell) -> int | None:
    """12000 from `12000`, `12.000`, `12,000`, `12 000`, `12k` or `0.012M`; None otherwise."""
    if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
        return int(cell.value) if float(cell.value).is_integer() and cell.value >= 0 else None
    text = cell.text
    if scaled := _SCALED.fullmatch(text):
        return int(Decimal(scaled[1].replace(",", ".")) * _SCALE[scaled[2].lower()])
    if _GROUPED.fullmatch(text) or text.isdigit():
        return int(re.sub(r"\D", "", text))
    return None


def percent(cell: Cell) -> Decimal | None:
    if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
        return Decimal(str(cell.value))
    match = re.fullmatch(r"(\d+(?:[.,]\d+)?)\s*%?", cell.text)
    return Decimal(match[1].replace(",", ".")) if match else None


_AMBIGUOUS = re.compile(r"[-+]?\d{1,3}[.,]\d{3}")
_CURRENCY = re.compile(r"^\s*([A-Za-z]{3}|[^\d\s.,'+-]+)?\s*([-+]?[\d.,' \u00a0\u202f]+?)\s*([A-Za-z]{3}|[^\d\s.,'+-]+)?\s*$")


def money(cell: Cell, locale: str, chosen: bool = False) -> tuple[Decimal, str | None]:
    """An amount and the currency written with it (`€`, `EUR`), read the way `locale`
    writes numbers; ValueError(message, hint) when it is no amount, or when it could be
    read two ways (`1.500`: fifteen hundred, or one and a half) and the locale is only
    the campaign's guess, not `chosen` with --number-locale."""
    from babel.numbers import NumberFormatError, parse_decimal

    if isinstance(cell.value, (int, float, Decimal)) and not isinstance(cell.value, bool):
        return Decimal(str(cell.value)), None
    match = _CURRENCY.fullmatch(cell.text)
    if not match:
        raise ValueError(f"{cell.text!r} is not an amount", "write the number, e.g. 1500 or 1500,00")
    before, number, after = match.groups()
    currency = _currency_of(before or after, locale) if (before or after) else None
    if (before or after) and currency is None:
        raise ValueError(f"{cell.text!r} is not an amount", "write the number, and the currency in its own column")
    if _AMBIGUOUS.fullmatch(number) and not chosen:
        whole, fraction = re.split(r"[.,]", number)
        raise ValueError(f"{cell.text!r} could be read two ways: {whole}{fraction} or {whole}.{fraction}",
                         f"write {whole}{fraction}, or say how the sheet writes numbers with --number-locale "
                         f"(e.g. de-DE, where {whole}.{fraction} is {whole}{fraction})")
    try:
        amount = parse_decimal(re.sub(r"[' \u00a0\u202f]", "", number), locale=locale.replace("-", "_"),
                               strict=True)
    except (NumberFormatError, ValueError, InvalidOperation):
        raise ValueError(f"{cell.text!r} is not an amount the way {locale} writes numbers",
                         "write the number without separators, e.g. 1500.50, or pass --number-locale") from None
    return amount, currency


def _currency_of(mark: str, locale: str) -> str | None:
    from babel.numbers import get_currency_symbol, list_currencies

    mark = mark.strip()
    if mark.upper() in list_currencies():
        return mark.upper()
    symbols = {"€": "EUR", "$": None, "£": "GBP", "¥": "JPY", "₩": "KRW", "R$": "BRL", "zł": "PLN",
               "kr": None, "₹": "INR", "CHF": "CHF", "A$": "AUD", "C$": "CAD", "MX$": "MXN", "US$": "USD"}
    if mark in symbols and symbols[mark]:
        return symbols[mark]
    # `$` or `kr` name a currency only together with the locale ($ in en-US, kr in sv-SE).
    for code in list_currencies():
        if get_currency_symbol(code, locale=locale.replace("-", "_")) == mark:
            return code
    return None


# --- creators → files ----------------------------------------------------------------


def _merge(root: Path, campaign: CampaignSource, imported: list[ImportedCreator], update: bool,
           problems: list[Diagnostic]) -> list[Change]:
    """Put the imported creators into the campaign's source (to be validated with it) and
    say what each does to its file."""
    folder = root / campaign.folder / "creators"
    existing = {handle_key(str(c.data.get("handle", ""))): (index, c) for index, c in enumerate(campaign.creators)}
    changes: list[Change] = []
    seen: set[str] = set()
    for creator in imported:
        key = handle_key(creator.handle)
        written = existing[key][1].data if key in existing else {}
        _place_like(creator.source, written)
        _drop_inherited(creator.source, campaign, written)
        if key in seen:  # twice in the sheet: validation says so, at the later row
            campaign.creators.append(creator.source)
            continue
        seen.add(key)
        if key in existing:
            index, current = existing[key]
            path = root / current.locate(()).file
            if not update:
                changes.append(Change(path, "left alone"))
                continue
            campaign.creators[index] = deep_merge(current, creator.source)
            # The file may have been changed already, for another creator in campaign.yaml.
            earlier = next((c for c in changes if c.path == path), None)
            text = earlier.text if earlier else path.read_text(encoding="utf-8")
            shown = current.locate(()).file
            try:
                text, keys = set_values(text, creator.source.data, shown, where=creator_node(path.parent != folder, creator.handle),
                                        same=_same)
            except EditError as refused:
                problems.append(error(_handle_place(creator), str(refused), "change the file by hand, or remove "
                                      "the row", "import"))
                continue
            if earlier:
                changes.remove(earlier)
                keys = earlier.keys + keys
            changes.append(Change(path, "update" if keys else "unchanged", keys, text))
            continue
        slug = str(creator.source.data.get("slug") or slug_from_handle(creator.handle))
        path = folder / f"{slug or 'creator'}.yaml"
        if path.exists() or any(c.path == path for c in changes):
            problems.append(error(_handle_place(creator), f"creators/{path.name} exists already, for another creator",
                                  "give this creator another handle, or remove the row", "import"))
            continue
        campaign.creators.append(creator.source)
        changes.append(Change(path, "create", sorted(creator.source.data), new_text(creator.source.data)))
    return changes


def _place_like(source: Sourced, written: dict[str, Any]) -> None:
    """Put the offer's values where the creator's file has them: a file that says `fee:`
    (docs/offers.md's shortcut) gets its fee there, not a second one under `offer:`."""
    for key in ("fee", "commission_percent", "product"):
        if key in written and value_at(source.data, ("offer", key)) is not None:
            source.data[key] = source.data["offer"][key]
            for path in [p for p in source.values if p[:2] == ("offer", key)]:
                source.values[path[1:]] = source.values.pop(path)
            _remove(source, ("offer", key))


def _drop_inherited(source: Sourced, campaign: CampaignSource, written: dict[str, Any]) -> None:
    """Leave out what a creator gets from the campaign anyway (docs/offers.md): the same
    language, currency, offer type, fee, commission, product or discount code. An exported
    roster has all of them on every row; writing them into a creator's file would stop the
    creator following the campaign when it changes. A key the creator's file already
    sets is kept, so that `--update` can change it."""
    from .placeholders import fill, values_of

    data, settings = source.data, campaign.campaign.data
    handle = str(data.get("handle", ""))
    slug = str(data.get("slug") or slug_from_handle(handle))
    pattern = value_at(settings, ("tracking", "discount_code"))
    inherited: dict[KeyPath, Any] = {
        ("locale",): settings.get("locale"),
        ("currency",): settings.get("currency"),
        ("offer", "type"): value_at(settings, ("offer", "type")),
        ("offer", "commission_percent"): value_at(settings, ("offer", "commission_percent")),
        ("offer", "product", "name"): value_at(settings, ("offer", "product", "name")),
        ("discount_code",): fill(pattern, values_of(campaign.id, handle, str(data.get("name", "")), slug))
        if isinstance(pattern, str) else None,
    }
    currency = data.get("currency") or written.get("currency") or settings.get("currency")
    if currency == settings.get("currency"):  # a campaign's fee is in the campaign's currency
        inherited[("offer", "fee")] = value_at(settings, ("offer", "fee"))
    for path, value in inherited.items():
        if value is not None and value_at(data, path) == value and value_at(written, path) is None:
            _remove(source, path)


def _remove(source: Sourced, path: KeyPath) -> None:
    """Remove the value at `path`, and the mappings it leaves empty."""
    for end in range(len(path), 0, -1):
        parent = value_at(source.data, path[:end - 1])
        del parent[path[end - 1]]
        source.values.pop(path[:end], None)
        if parent or end == 1:
            return


def _handle_place(creator: ImportedCreator) -> Location:
    return creator.source.values[("handle",)]


_ORDER = ["handle", "slug", "name", "email", "region", "audience_regions", "locale", "timezone", "platforms",
          "deliverables", "currency", "offer", "discount_code", "why_you", "internal"]


def new_text(data: dict[str, Any]) -> str:
    """A creator file as `briefkit import` writes it: the schema modeline, then the keys in
    the order a person reads them."""
    return SCHEMA_LINE + "\n" + dump(_ordered(data, _ORDER))


def _ordered(data: dict[str, Any], order: list[str]) -> dict[str, Any]:
    ordered = {key: data[key] for key in sorted(data, key=lambda k: order.index(k) if k in order else len(order))}
    if isinstance(ordered.get("offer"), dict):
        ordered["offer"] = _ordered(ordered["offer"], ["type", "fee", "commission_percent", "product"])
    return ordered


def _same(path: tuple[str, ...], written: Any, value: Any) -> bool:
    """Whether the file already says `value` (`@maya` and `maya` are one handle)."""
    if path == ("handle",) and isinstance(written, str):
        return handle_key(written) == handle_key(str(value))
    return equal_values(path, written, value)
