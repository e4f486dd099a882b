"""Read one YAML file into plain Python data that remembers where every value came from.

The rules are those of docs/format.md ("How briefkit reads YAML"): safe loading, duplicate keys are errors, YAML 1.2
core scalars (only true/false are booleans, `NO` and `1:30` stay text), ISO dates,
bounded alias expansion, bounded size and depth.

We compose the data ourselves from libyaml's parse events instead of using
PyYAML's composer: libyaml's own composer recurses in C and crashes on deeply
nested input, while its event parser does not, and one pass over the events gives
us positions, limits and duplicate detection at once.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic, KeyPath, Location

try:
    from yaml.cyaml import CParser as _Parser, CSafeLoader as _SafeLoader
except ImportError:  # PyYAML built without libyaml: slower, same events
    from yaml import Loader as _Parser, SafeLoader as _SafeLoader  # type: ignore[assignment]


def plain_data(text: str) -> Any:
    """YAML as plain data, without positions: briefkit's own files (the disclosure rules,
    five times faster read by libyaml) and files it only looks into."""
    return yaml.load(text, Loader=_SafeLoader)  # noqa: S506 - a safe loader

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 50
MAX_ALIAS_VALUES = 100_000  # values produced by expanding aliases, per file

_NULL = re.compile(r"^(?:~|null|Null|NULL)?$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?$"
)
_STR_TAGS = {"!", "tag:yaml.org,2002:str"}
_TAB_HINT = "YAML does not allow tabs for indentation; indent with spaces"


@dataclass
class Sourced:
    """Data with the location of every value (and of every mapping key) by key path."""

    data: Any
    values: dict[KeyPath, Location] = field(default_factory=dict)
    keys: dict[KeyPath, Location] = field(default_factory=dict)
    # One-line `text: more text` mappings by path, as written. Where the model
    # expects text, the writer meant the whole line (see `validate.py`).
    plain_pairs: dict[KeyPath, str] = field(default_factory=dict)

    def locate(self, path: KeyPath, *, key: bool = False) -> Location:
        """Where the value (or its key) at `path` stands, else its closest known parent."""
        if key and path in self.keys:
            return self.keys[path]
        for end in range(len(path), -1, -1):
            found = self.values.get(path[:end])
            if found is not None:
                return found
        return Location(next(iter(self.values.values())).file if self.values else "?")


def value_at(data: Any, path: KeyPath) -> Any:
    """The value loaded data holds at `path` (mapping keys and list indices), or None."""
    for key in path:
        if isinstance(key, int) and isinstance(data, list) and 0 <= key < len(data):
            data = data[key]
        elif isinstance(key, str) and isinstance(data, dict):
            data = data.get(key)
        else:
            return None
    return data


class _Stop(Exception):
    """A problem that makes the rest of the file unreadable."""

    def __init__(self, diagnostic: Diagnostic):
        self.diagnostic = diagnostic


def load_yaml(path: Path, relative: str) -> tuple[Sourced | None, list[Diagnostic]]:
    """Read `path` (shown to users as `relative`); return data and diagnostics.

    The data is None when the file cannot be read at all.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Diagnostic(Location(relative), f"cannot read the file: {exc.strerror}",
                                 "check that the file exists and is readable", code="file")]
    if len(raw) > MAX_FILE_BYTES:
        return None, [Diagnostic(
            Location(relative),
            f"the file is {len(raw) / 1048576:.1f} MB; briefkit reads YAML files up to "
            f"{MAX_FILE_BYTES // 1048576} MB",
            "split creators into one file each under creators/", code="file")]
    text, problem = _decode(raw, relative)
    if problem:
        return None, [problem]
    if not text.strip() or all(line.lstrip().startswith("#") or not line.strip()
                               for line in text.splitlines()):
        return None, [Diagnostic(Location(relative), "the file is empty",
                                 "write the campaign or creator keys into it, or delete it",
                                 code="empty-file")]
    composer = _Composer(relative)
    try:
        data = composer.compose(text)
    except _Stop as stop:
        return None, composer.problems + [stop.diagnostic]
    return Sourced(data, composer.values, composer.keys, composer.plain_pairs), composer.problems


def _decode(raw: bytes, relative: str) -> tuple[str, Diagnostic | None]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or raw[:200].count(b"\0") > len(raw[:200]) // 4:
        return "", Diagnostic(Location(relative), "the file is UTF-16 text; briefkit reads YAML as UTF-8",
                              "save the file as UTF-8 in your editor (\"Save with encoding\" → UTF-8)",
                              code="encoding")
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        return "", Diagnostic(
            Location(relative, line, column),
            f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x} cannot be decoded)",
            "save the file as UTF-8 in your editor (\"Save with encoding\" → UTF-8)",
            code="encoding")


class _Composer:
    """Builds plain data from parse events, recording positions as it goes."""

    def __init__(self, file: str):
        self.file = file
        self.values: dict[KeyPath, Location] = {}
        self.keys: dict[KeyPath, Location] = {}
        self.problems: list[Diagnostic] = []
        self.plain_pairs: dict[KeyPath, str] = {}
        self.text = ""
        # anchor name -> (value, recorded positions relative to the anchored node)
        self.anchors: dict[str, tuple[Any, list[tuple[KeyPath, Location]],
                                      list[tuple[KeyPath, Location]], int]] = {}
        self.open_anchors: set[str] = set()
        self.alias_values = 0
        # every position in the order recorded: (path, location, is_key), so an
        # anchor can replay the positions of its subtree wherever it is aliased
        self._recorded: list[tuple[KeyPath, Location, bool]] = []

    # -- events -----------------------------------------------------------

    def compose(self, text: str) -> Any:
        self.text = text
        parser = _Parser(text)
        try:
            self._expect(parser, yaml.StreamStartEvent)
            if isinstance(self._peek(parser), yaml.StreamEndEvent):
                return None
            self._expect(parser, yaml.DocumentStartEvent)
            data = self._node(parser, (), 0)
            self._expect(parser, yaml.DocumentEndEvent)
            extra = self._peek(parser)
            if not isinstance(extra, yaml.StreamEndEvent):
                raise _Stop(self._diag(extra.start_mark, (),
                                       "the file holds more than one YAML document",
                                       "remove the `---` line; one file holds one campaign or creator",
                                       code="yaml-syntax"))
            return data
        except yaml.MarkedYAMLError as exc:
            raise _Stop(self._syntax_error(exc)) from None
        except yaml.reader.ReaderError as exc:  # a character YAML does not allow in a file
            raise _Stop(self._unreadable_character(exc)) from None
        finally:
            dispose = getattr(parser, "dispose", None)
            if dispose:
                dispose()

    def _unreadable_character(self, error: Any) -> Diagnostic:
        before = self.text[:error.position]
        line, column = before.count("\n") + 1, error.position - (before.rfind("\n") + 1) + 1
        character = chr(error.character) if isinstance(error.character, int) else str(error.character)
        return Diagnostic(Location(self.file, line, column),
                          f"the file holds the control character U+{ord(character):04X}, which YAML does not allow",
                          "delete it (it often comes with text pasted from another program); "
                          "a tab or a line break is fine", code="encoding")

    @staticmethod
    def _peek(parser: Any) -> Any:
        return parser.peek_event()

    @staticmethod
    def _expect(parser: Any, kind: type) -> Any:
        event = parser.get_event()
        assert isinstance(event, kind), (event, kind)
        return event

    def _node(self, parser: Any, path: KeyPath, depth: int) -> Any:
        event = parser.get_event()
        location = self.values[path] = self._loc(event.start_mark, path)
        if depth > MAX_DEPTH:
            raise _Stop(self._too_deep(location))
        mark_index = len(self._recorded)
        anchor = event.anchor  # every node event has one, most None
        if anchor or self.open_anchors:  # positions are replayed only inside an anchor
            self._recorded.append((path, location, False))
        if isinstance(event, yaml.AliasEvent):
            return self._alias(event, path)
        if anchor:
            self.open_anchors.add(anchor)
        if isinstance(event, yaml.ScalarEvent):
            value = self._scalar(event, path)
        elif isinstance(event, yaml.SequenceStartEvent):
            self._check_collection_tag(event, "tag:yaml.org,2002:seq", path)
            value = []
            while not isinstance(parser.peek_event(), yaml.SequenceEndEvent):
                value.append(self._node(parser, path + (len(value),), depth + 1))
            parser.get_event()
        elif isinstance(event, yaml.MappingStartEvent):
            self._check_collection_tag(event, "tag:yaml.org,2002:map", path)
            value = self._mapping(parser, path, depth)
        else:  # pragma: no cover - libyaml never yields anything else here
            raise _Stop(self._diag(event.start_mark, path, "unexpected YAML structure", ""))
        if anchor:
            self.open_anchors.discard(anchor)
            self.anchors[anchor] = (value, path, self._recorded[mark_index:], _count(value))
        return value

    def _mapping(self, parser: Any, path: KeyPath, depth: int) -> dict:
        value: dict[str, Any] = {}
        merges: list[tuple[Any, Any]] = []
        one_line_text = None
        while not isinstance(key_event := parser.get_event(), yaml.MappingEndEvent):
            if not isinstance(key_event, yaml.ScalarEvent) or key_event.anchor:
                raise _Stop(self._diag(key_event.start_mark, path,
                                       "a key must be plain text",
                                       "write keys as `name: value`", code="yaml-syntax"))
            key = key_event.value
            if key == "<<" and key_event.style == "":
                merges.append((self._node(parser, path + ("<<",), depth + 1), key_event))
                continue
            child = path + (key,)
            if key in value:
                first = self.keys[child]
                self.problems.append(self._diag(
                    key_event.start_mark, child, f"duplicate key `{key}`",
                    f"`{key}` is already set on line {first.line}; keep only one of them",
                    code="duplicate-key"))
                self._node(parser, path + (f"{key} (duplicate)",), depth + 1)
                continue
            location = self.keys[child] = self._loc(key_event.start_mark, child)
            if self.open_anchors:
                self._recorded.append((child, location, True))
            one_line_text = self._one_line_text(key_event, parser.peek_event())
            value[key] = self._node(parser, child, depth + 1)
        if len(value) == 1 and one_line_text and not merges:
            self.plain_pairs[path] = one_line_text
        for merged, event in merges:
            self._merge(value, merged, path, event)
        return value

    def _one_line_text(self, key_event: Any, value_event: Any) -> str | None:
        """`Vitamin C: gentle` as written, when key and value are plain text on one line."""
        plain = (key_event.style == "" and isinstance(value_event, yaml.ScalarEvent)
                 and value_event.style == "" and not value_event.tag and not value_event.anchor)
        if plain and key_event.start_mark.line == value_event.end_mark.line and value_event.value:
            return self.text[key_event.start_mark.index:value_event.end_mark.index]
        return None

    def _merge(self, target: dict, merged: Any, path: KeyPath, event: Any) -> None:
        """YAML merge keys (`<<: *base`): keys written here win over merged ones."""
        merge_path = path + ("<<",)
        sources = [(merged, merge_path)] if isinstance(merged, dict) else [
            (item, merge_path + (i,)) for i, item in enumerate(merged if isinstance(merged, list) else [merged])]
        for source, source_path in sources:
            if not isinstance(source, dict):
                self.problems.append(self._diag(
                    event.start_mark, path, "`<<` must refer to a mapping",
                    "write `<<: *anchor` where the anchor names a mapping", code="yaml-syntax"))
                return
            for key, item in source.items():
                if key in target:
                    continue
                target[key] = item
                self._move_positions(source_path + (key,), path + (key,))

    def _move_positions(self, old: KeyPath, new: KeyPath) -> None:
        for table in (self.values, self.keys):
            for recorded in [p for p in table if p[: len(old)] == old]:
                table.setdefault(new + recorded[len(old):], table[recorded])

    def _alias(self, event: Any, path: KeyPath) -> Any:
        name = event.anchor
        if name in self.open_anchors:
            raise _Stop(self._diag(event.start_mark, path,
                                   f"alias *{name} refers to a value that contains itself",
                                   "remove the alias; recursive data cannot be read",
                                   code="yaml-limit"))
        if name not in self.anchors:
            raise _Stop(self._diag(event.start_mark, path, f"alias *{name} has no anchor &{name}",
                                   f"define `&{name}` before using `*{name}`",
                                   code="yaml-syntax"))
        value, origin, recorded, size = self.anchors[name]
        self.alias_values += size
        if self.alias_values > MAX_ALIAS_VALUES:
            raise _Stop(self._diag(
                event.start_mark, path,
                f"aliases expand to more than {MAX_ALIAS_VALUES:,} values",
                "this looks like a \"billion laughs\" file; use fewer nested aliases",
                code="yaml-limit"))
        for rec_path, location, is_key in recorded:
            new_path = path + rec_path[len(origin):]
            target = self.keys if is_key else self.values
            target.setdefault(new_path, location)
        return value

    def _scalar(self, event: Any, path: KeyPath) -> Any:
        text = event.value
        tag = event.tag
        if tag and tag not in _STR_TAGS:
            self.problems.append(self._diag(
                event.start_mark, path, f"the YAML tag `{tag}` is not supported",
                "remove the tag; briefkit reads plain values only", code="yaml-tag"))
            return text
        if tag or event.style != "":
            return text
        if text == "":
            self._comment_taken_for_a_value(event, path)
        return resolve_plain_scalar(text)

    def _comment_taken_for_a_value(self, event: Any, path: KeyPath) -> None:
        """`label: #ad` is a key whose value is empty and a comment: the writer meant the
        hashtag. A comment with a word right after its `#` is reported (one with a space
        after the `#`, `# like this`, is an ordinary comment)."""
        start = event.start_mark.index
        line_end = self.text.find("\n", start)
        rest = self.text[start:line_end if line_end >= 0 else len(self.text)]
        found = re.match(r"[ \t]+(#\S.*?)\s*$", rest)
        if not found:
            return
        written = found[1]
        before = self.text[self.text.rfind("\n", 0, start) + 1:start].strip()
        quoted = f'{before} "{written}"'.strip()
        column = event.start_mark.column + found.start(1) + 1
        self.problems.append(Diagnostic(
            Location(self.file, event.start_mark.line + 1, column, path),
            f"`{written}` is a comment to YAML (it starts with #), so this value is empty",
            f"put it in quotes: {quoted}", code="yaml-comment"))

    def _check_collection_tag(self, event: Any, expected: str, path: KeyPath) -> None:
        if event.tag and event.tag not in ("!", expected):
            self.problems.append(self._diag(
                event.start_mark, path, f"the YAML tag `{event.tag}` is not supported",
                "remove the tag; briefkit reads plain values only", code="yaml-tag"))

    # -- locations --------------------------------------------------------

    def _loc(self, mark: Any, path: KeyPath) -> Location:
        return Location(self.file, mark.line + 1, mark.column + 1, path)

    def _diag(self, mark: Any, path: KeyPath, message: str, hint: str, *,
              code: str = "invalid") -> Diagnostic:
        return Diagnostic(self._loc(mark, path), message, hint, code=code)

    @staticmethod
    def _too_deep(location: Location) -> Diagnostic:
        return Diagnostic(location, f"the data is nested more than {MAX_DEPTH} levels deep",
                          "flatten the structure; briefkit files are only a few levels deep",
                          code="yaml-limit")

    def _syntax_error(self, exc: yaml.MarkedYAMLError) -> Diagnostic:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if "nesting depth" in problem:
            # libyaml 0.2.6 (in PyYAML 6.0.4) refuses 1,000 levels of nesting itself,
            # while scanning ahead of the events that would reach briefkit's own limit.
            return self._too_deep(Location(self.file, line, column))
        character = self.text[mark.index] if mark and mark.index < len(self.text) else ""
        if character == "\t":
            return Diagnostic(Location(self.file, line, column),
                              "YAML syntax error: a tab character where YAML expects spaces",
                              _TAB_HINT,
                              code="yaml-syntax")
        if character in ("@", "`") and mark is not None:
            # `handle: @maya`: YAML reserves @ and ` at the start of a plain value.
            source_line = self.text.splitlines()[mark.line]
            before, value = source_line[:mark.column].strip(), source_line[mark.column:].strip()
            return Diagnostic(Location(self.file, line, column),
                              f"a value cannot start with {character} unless it is in quotes",
                              f'write it in quotes: {before} "{value}"'.replace("  ", " "), code="yaml-syntax")
        return Diagnostic(Location(self.file, line, column), f"YAML syntax error: {problem}",
                          _syntax_hint(problem), code="yaml-syntax")


def resolve_plain_scalar(text: str) -> Any:
    """An unquoted scalar's value under YAML 1.2 core rules, plus ISO dates. A number
    with a point or an exponent is the exact `Decimal` written (`1.500` stays 1.500,
    not the float 1.5), so that amounts are never rounded and a money field can see
    how a number was typed."""
    if _NULL.match(text):
        return None
    if _BOOL.match(text):
        return text.lower() == "true"
    if _INT.match(text):
        if text.startswith(("0o", "0x")):
            return int(text[2:], 8 if text[1] == "o" else 16) if len(text) <= 64 else text
        # Python refuses to read whole numbers of thousands of digits; as an exact decimal
        # such a number still reaches the model, which says it is too large.
        return int(text) if len(text) <= 64 else Decimal(text)
    if _FLOAT.match(text):
        return Decimal(text.lower().replace(".inf", "inf").replace(".nan", "nan"))
    if _DATE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text  # "2027-02-30": left as text, the model says it is not a real date
    if _DATETIME.match(text):
        try:
            return dt.datetime.fromisoformat(text.replace(" ", "T", 1).replace(" ", ""))
        except ValueError:
            return text
    return text


def _count(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + sum(_count(v) for v in value.values())
    if isinstance(value, list):
        return 1 + sum(_count(v) for v in value)
    return 1


def _syntax_hint(problem: str) -> str:
    if "tab" in problem:
        return _TAB_HINT
    if "mapping values are not allowed" in problem:
        return "a value that contains `: ` must be put in quotes"
    if "expected ':'" in problem or "could not find expected ':'" in problem:
        return "check the indentation and that every key is followed by `: `"
    if "found character '@'" in problem or "found character '`'" in problem:
        return "values starting with @ or ` must be put in quotes, e.g. \"@handle\""
    if "found unexpected end" in problem:
        return "a quote or bracket is not closed"
    return "check the indentation and quoting near this position"
