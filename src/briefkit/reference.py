"""Reference docs generated from their sources of truth:

    python -m briefkit.reference > docs/reference.md               (the data model)
    python -m briefkit.reference disclosure > docs/disclosure.md   (rules/disclosure.yaml)
    python -m briefkit.reference spreadsheets > docs/spreadsheets.md   (rules/columns.yaml)
"""

from __future__ import annotations

import datetime as dt
import re
import types
from decimal import Decimal
from typing import Annotated, Any, Literal, Union, get_args, get_origin, get_type_hints

from pydantic import BaseModel, EmailStr

from . import model

_NAMED_TYPES = {
    "Region": "country code (ISO 3166-1 alpha-2, e.g. `DE`)",
    "Currency": "currency code (ISO 4217, e.g. `EUR`)",
    "TimeZone": "time zone (IANA, e.g. `Europe/Berlin`)",
    "LocaleTag": "language tag (BCP 47, e.g. `de-DE`)",
    "Money": "amount (number ≥ 0, without separators: `1500`, not `1.500`)",
    "ExchangeRate": "exchange rate (number > 0)",
    "Percent": "percent (number, more than 0, at most 100)",
    "Deadline": "date (`YYYY-MM-DD`, or date and time with offset)",
    "WebUrl": "web address (`https://…`)",
    "Slug": "slug (`a-z`, `0-9`, `-`)",
    "Color": "colour (`#rrggbb`)",
    "Hashtag": "hashtag (`#…`)",
    "Mention": "account (`@…`)",
    "Handle": "handle (`@` optional)",
    "Markdown": "Markdown text, or one per language ([texts](format.md#texts-in-several-languages))",
    "Text": "text, or one per language ([texts](format.md#texts-in-several-languages))",
    "PlainText": "text",
    "Target": "number ≥ 0",
    "WorkspacePath": "file path (relative to this file)",
    "DeliverableChoice": "deliverable id, or [DeliverableOverride](#deliverableoverride)",
}
_BASIC = {str: "text", int: "whole number", float: "number", bool: "`true` or `false`",
          Decimal: "number", dt.date: "date (`YYYY-MM-DD`)", Any: "anything",
          EmailStr: "e-mail address"}
_MODELS = [model.Settings, model.Campaign, model.Creator]


def type_name(annotation: Any) -> str:
    for name, described in _NAMED_TYPES.items():
        if annotation == getattr(model, name):
            return described
    origin = get_origin(annotation)
    if origin is Annotated:
        return type_name(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        members = [a for a in get_args(annotation) if a is not type(None)]
        return " or ".join(type_name(m) for m in members)
    if origin is Literal:
        return "one of " + ", ".join(f"`{v}`" for v in get_args(annotation))
    if origin is list:
        return f"list of {type_name(get_args(annotation)[0])}"
    if origin is dict:
        key, value = get_args(annotation)
        return f"map of {type_name(key)} → {type_name(value)}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
    return _BASIC.get(annotation, getattr(annotation, "__name__", str(annotation)))


def _nested(cls: type[BaseModel]) -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []

    def visit(annotation: Any) -> None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation not in found and annotation not in _MODELS:
                found.append(annotation)
                for declared in _declared(annotation).values():
                    visit(declared)
        for arg in get_args(annotation):
            visit(arg)

    for annotation in _declared(cls).values():
        visit(annotation)
    return found


def _declared(cls: type[BaseModel]) -> dict[str, Any]:
    """Field types as written, with their `Annotated` names (pydantic strips those)."""
    hints = get_type_hints(cls, include_extras=True)
    return {name: hints[name] for name in cls.model_fields}


def _default(field: Any) -> str:
    if field.is_required():
        return "**required**"
    value = field.default
    if value is None or value == [] or value == {}:
        return "optional"
    if isinstance(value, BaseModel):
        return "see below"
    return f"default `{str(value).lower() if isinstance(value, bool) else value}`"


def _table(cls: type[BaseModel]) -> list[str]:
    lines = [f"### {cls.__name__}", "", "| key | type | | meaning |", "|---|---|---|---|"]
    declared = _declared(cls)
    for name, field in cls.model_fields.items():
        lines.append(f"| `{name}` | {type_name(declared[name])} | {_default(field)} | "
                     f"{field.description} |")
    return lines + [""]


def reference() -> str:
    lines = ["# Reference: every key", "",
             "Generated from the data model (`src/briefkit/model.py`) by "
             "`python -m briefkit.reference`; do not edit by hand.", "",
             "Files: `briefkit.yaml` is [Settings](#settings); `briefs/<campaign>/campaign.yaml` "
             "is [Campaign](#campaign); `briefs/<campaign>/creators/*.yaml` is [Creator](#creator).",
             ""]
    seen: list[type[BaseModel]] = []
    for cls in _MODELS:
        lines += [f"## {cls.__name__}", ""] + _table(cls)[2:]
        for nested in _nested(cls):
            if nested not in seen:
                seen.append(nested)
                lines += _table(nested)
    return "\n".join(lines).rstrip() + "\n"


def disclosure_reference() -> str:
    """Every disclosure rule with its source and its review date, for people to review."""
    from .disclosure import rules
    from .theme import default_theme_folder, load_theme

    data = rules()
    texts = load_theme(default_theme_folder(), "default").labels("en")
    scope = data["requirement_kinds"]
    regions = sorted(data["regions"].items(), key=lambda item: item[1]["name"])
    lines = ["# Disclosure rules", "",
             "Generated from `src/briefkit/rules/disclosure.yaml` by "
             "`python -m briefkit.reference disclosure`; do not edit by hand. "
             "This is guidance for briefs, not legal advice.", "",
             f"{len(regions)} regions have rules of their own: "
             + ", ".join(f"[{entry['name']}](#{_anchor(entry['name'], code)})" for code, entry in regions)
             + ". Every other region gets [the fallback](#other-regions-fallback).", "",
             "A creator gets the rules of their `region` and of every `audience_regions` entry. "
             "Labels are offered in the creator's language when the region has labels in it "
             "(Canada: English or French; `pt-BR` reads `pt`, `zh-TW` reads `zh-Hant`), otherwise in "
             "the region's own language. The first label is the one briefkit suggests. "
             "`{brand}` stands for the brand's name (without spaces in hashtags). "
             "A campaign's own `disclosure.label` may be one label per language "
             "([texts in several languages](format.md#texts-in-several-languages)); each creator's "
             "variant is checked against the creator's regions.", "",
             f"Captions must show the label within the first {data['visible_characters']} characters "
             "(Instagram's cut-off before \"more\"). A brief shows only the rules about the content "
             "its creator makes: a podcast or a blog gets no caption, hashtag or story rules "
             "([kinds of content](#kinds-of-content)).", "",
             "Each region says when it was last reviewed, and, under *Our reading*, where an entry "
             "is our reading rather than the source's words and what could not be checked. A source "
             "marked *(address not checked)* is cited by name; its address could not be opened when "
             "the region was reviewed.", ""]
    for code, entry in [*regions, ("other", data["fallback"])]:
        title = f"{entry['name']} ({code})" if code != "other" else f"{entry['name']} (fallback)"
        lines += [f"## {title}", "", f"Authority: {entry['authority']}", "",
                  f"Reviewed: {entry['reviewed']}", ""]
        for language, lists in entry["labels"].items():
            for kind, labels in lists.items():
                which = "every offer" if kind == "any" else f"{kind} offers, in addition"
                lines.append(f"- Accepted ({language}, {which}): " + ", ".join(f"`{x}`" for x in labels))
        lines.append("- Not enough on its own: " + ", ".join(f"`{x}`" for x in entry.get("weak", [])))
        for key, label in entry.get("extra_labels", {}).items():
            lines.append(f"- With `disclosure.{key}: true`: also `{label}` on the image or video")
        lines += ["", "Where and how:", ""]
        lines += [f"- {texts.text('disclosure.rule.' + rule)}"
                  + (f" *({', '.join(scope[rule])})*" if rule in scope else "") for rule in entry["requirements"]]
        lines += ["", "Sources:", ""]
        lines += [f"- [{source['title']}]({source['url']})" + (" *(address not checked)*" if source.get("unverified") else "")
                  for source in entry["sources"]]
        if entry.get("reading"):
            lines += ["", "<details><summary>Our reading</summary>", "", entry["reading"].rstrip(), "", "</details>"]
        lines.append("")
    lines += ["## Platform tools", "",
              "Switched on in addition to the label, never instead of it.", "",
              "| platform | tool |", "|---|---|"]
    lines += [f"| {p} | {'yes' if p in data['platform_tools'] else 'none: the label does all the work'} |"
              for p in model.Platform.__args__]  # type: ignore[attr-defined]
    lines += ["", "## Kinds of content", "",
              "A deliverable's `format` words decide how it carries the label; the platform decides when none match.",
              "A rule marked with kinds in italics above is shown only to creators with content of one of those kinds.", ""]
    lines += [f"- {kind} ({', '.join(words)}): {texts.text('disclosure.kind.' + kind)}"
              for kind, words in data["format_kinds"].items()]
    lines += [f"- {kind} (on {platform}, when no word matches)" for platform, kind in data["platform_kinds"].items()]
    lines.append(f"- post (anything else): {texts.text('disclosure.kind.post')}")
    return "\n".join(lines).rstrip() + "\n"


def spreadsheets_reference() -> str:
    """How `import` and `export` read and write sheets, with every header `import` knows."""
    from .importing import columns

    data = columns()
    lines = ["# Spreadsheets", "",
             "Generated from `src/briefkit/rules/columns.yaml` by "
             "`python -m briefkit.reference spreadsheets`; do not edit by hand.", "",
             "    briefkit import FILE --campaign ID [--sheet NAME] [--number-locale TAG] [--update] [--dry-run]",
             "    briefkit export --campaign ID [--format csv|xlsx] [--output FILE]", "",
             "## Import", "",
             "`import` reads a CSV file (comma, semicolon as European Excel writes it, or tab, found by "
             "looking; UTF-8 with or without a byte-order mark, or UTF-16 as Excel's \"Unicode text\" "
             "writes it) or an XLSX workbook (its first sheet, or `--sheet NAME`). The first row that "
             "holds anything is the header; each row below it is a creator, written to "
             "`briefs/<campaign>/creators/<slug>.yaml` with the schema modeline editors use.", "",
             "- Every problem is reported at once, at `FILE:ROW:COLUMN` (columns count from 1: A is 1), "
             "with the column's header as the key path, in the formats of `validate` (`--format "
             "text|json|github`). The imported creators are validated together with the campaign "
             "before anything is written: with any error, nothing is written (exit status 1).",
             "- An existing creator (the same handle) is left alone unless `--update`, which changes only "
             "the keys the sheet has, where the creator is written (their file under `creators/`, or "
             "their item in campaign.yaml), and keeps every other line as it was: comments, order, "
             "quoting. A file that cannot be changed without rewriting other lines (two list styles "
             "in one file, for one) is an error, not rewritten. `--dry-run` says what would be created "
             "or changed, per file and key.",
             "- What a creator gets from the campaign anyway is not written into their file: the same "
             "language, currency, offer type, fee, commission, product or discount code as the "
             "campaign's. So an exported roster imports back without fixing every creator to "
             "today's campaign values, and a creator keeps following the campaign when it changes.",
             "- Countries may be codes (`BR`) or names in English, in the country's own language or in "
             "one of the sheet languages below (`Brazil`, `Brasil`, `Brésil`, `日本`). Languages may be "
             "tags (`pt-BR`, `pt_BR`) or names in the same languages (`Portuguese`, `português`, "
             "`portugués`); a language alone takes the creator's country (`de` in AT → `de-AT`). The sheet "
             "languages: " + ", ".join(f"`{code.replace('_', '-')}`" for code in data["name_languages"]) + ".",
             "- Followers may be written `12000`, `12.000`, `12,000`, `12 000`, `12k` or `1.2M`.",
             "- Money is read the way `--number-locale` writes numbers (default: the campaign's locale): "
             "`1.234,56` in `de-DE`. A value that could be read two ways (`1.500`: fifteen hundred, or "
             "one and a half) is an error unless `--number-locale` says how the sheet writes numbers; "
             "write `1500`, or pass `--number-locale de-DE`. A currency written with the amount (`€450`, "
             "`450 EUR`) sets the creator's currency.",
             "- An `Offer` cell may say `paid`, `gifted`, `affiliate` or `hybrid` in English or in the "
             "sheet's language (`Bezahlt`, `Geschenk`, `afiliado`…).",
             "- A sheet may have a column of followers per platform (`Instagram followers`, `TikTok`), or "
             "one row per creator and platform (`Platform` and `Followers` columns; the rows of one "
             "handle become one creator).",
             "- A column briefkit does not know is a warning and left out.", "",
             "### Columns", "",
             "Headers compare without case, spaces, punctuation or accents. `{platform}` stands for a "
             "platform's name: " + "; ".join(f"{p}: {', '.join(words)}" for p, words in data["platform_words"].items())
             + ".", "",
             "| reads | meaning | headers |", "|---|---|---|"]
    for name, spec in data["columns"].items():
        headers = ", ".join(f"`{h}`" for h in spec["headers"])
        lines.append(f"| {name} | {spec['help']} | {headers} |")
    lines += ["", "Offer words: " + "; ".join(f"**{kind}**: {', '.join(words)}"
                                               for kind, words in data["offer_words"].items()), "",
              "Read past without a word (an export writes them): " + ", ".join(f"`{h}`" for h in data["ignored"]),
              "", "## Export", "",
              "`export` writes the campaign's roster for finance and fulfilment: per creator the handle, "
              "name, e-mail, country, language, tier, offer, fee and its currency, commission, product "
              "and its value, discount code, followers and tracking link per platform, the packet's "
              "address (under `base_url` when set, else its path in the output folder), the creator's "
              "answer and its day (docs/answers.md) and the dates (respond by, first draft due, first "
              "go-live).", "",
              "- XLSX: numbers are numbers and dates are dates, so the sheet can add up fees per currency; "
              "the same roster makes the same file.",
              "- CSV: UTF-8 with a byte-order mark, which Excel needs to read it as UTF-8; comma-separated.",
              "- Without `--output`, the file is `<campaign>-roster.csv` (or `.xlsx`) in the current folder.",
              "- An export imports back (`briefkit import`) as the same creators."]
    return "\n".join(lines).rstrip() + "\n"


def _anchor(name: str, code: str) -> str:
    """The heading's anchor as MkDocs and GitHub make it: `united-states-us`."""
    return re.sub(r"[^\w\- ]", "", f"{name} ({code})".lower()).replace(" ", "-")


if __name__ == "__main__":
    import sys

    pages = {"disclosure": disclosure_reference, "spreadsheets": spreadsheets_reference}
    print(pages[sys.argv[1]]() if sys.argv[1:] else reference(), end="")
