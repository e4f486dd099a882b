"""The one error type of briefkit, carried from the YAML loader to the terminal.

Every problem briefkit finds in a workspace becomes a `Diagnostic`: where it is
(file, line, column, key path), what is wrong, how to fix it, and how serious it
is. Stages collect diagnostics instead of raising, so a run reports them all.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import NamedTuple

Key = str | int
KeyPath = tuple[Key, ...]


class UsageError(Exception):
    """A command that cannot run as it was given (an unknown campaign, a taken port, a
    revision git does not know), not a problem in the workspace's files. The command
    line reports it once for every command and exits with status 2; `option` names the
    option at fault, when one is."""

    def __init__(self, message: str, option: str | None = None):
        super().__init__(message)
        self.option = option


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


class Location(NamedTuple):
    """A place in a workspace file; line and column count from 1. (A named tuple, not a
    frozen dataclass: the loader makes one per value and key, 400,000 for 10,000 creators,
    and a tuple is made in half the time.)"""

    file: str  # POSIX path relative to the workspace root
    line: int = 1  # 0 when the problem is with the whole file
    column: int = 1
    path: KeyPath = ()  # key path inside that file


@dataclass(frozen=True)
class Diagnostic:
    location: Location
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR
    code: str = "invalid"  # stable rule name, see docs/validation.md

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def as_record(self) -> dict[str, str | int]:
        """As plain data: the entries of `render_json`, which `from_record` reads back."""
        return {"severity": self.severity.value, "code": self.code, "file": self.location.file,
                "line": self.location.line, "column": self.location.column,
                "path": format_key_path(self.location.path), "message": self.message, "hint": self.hint}

    @classmethod
    def from_record(cls, record: dict) -> Diagnostic:
        """A diagnostic stored by `as_record`; a key path comes back as one text step."""
        path = (record["path"],) if record.get("path") else ()
        return cls(Location(record["file"], record["line"], record["column"], path), record["message"],
                   record["hint"], Severity(record["severity"]), record["code"])


def error(location: Location, message: str, hint: str = "", code: str = "invalid") -> Diagnostic:
    return Diagnostic(location, message, hint, Severity.ERROR, code)


def warning(location: Location, message: str, hint: str = "", code: str = "invalid") -> Diagnostic:
    return Diagnostic(location, message, hint, Severity.WARNING, code)


def listed(items: list[str], shown: int = 10) -> str:
    """Items for a message, the first `shown` of them: `@a, @b and 498 more` (a campaign
    of thousands of creators must not make a message of thousands of names)."""
    more = len(items) - shown
    return ", ".join(items[:shown]) + (f" and {more} more" if more > 0 else "")


def format_key_path(path: KeyPath) -> str:
    """`('creators', 2, 'platforms', 'instagram')` → `creators[2].platforms.instagram`."""
    text = ""
    for key in path:
        if isinstance(key, int):
            text += f"[{key}]"
        else:
            text += f".{key}" if text else str(key)
    return text


# What must not reach a terminal raw from a workspace's files: C0 controls (a newline or a
# tab inside one value too), DEL, C1 controls, and the bidi embeddings, overrides and
# isolates that reorder what a reader sees.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escaped_control(char: str) -> str:
    """One control character as a visible escape: `\\n`, `\\x1b`, `\\u202e`."""
    return _NAMED_ESCAPES.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def escape_controls(text: str, keep: str = "") -> str:
    """`text` with every control character but those in `keep` shown as an escape, so that
    a terminal shows it as written instead of obeying it. Nothing else changes, backslashes
    neither: escaping twice changes nothing."""
    return CONTROL_CHARACTERS.sub(lambda m: m[0] if m[0] in keep else escaped_control(m[0]), text)


def errors_first(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Diagnostics without repeats (a default reported once per campaign): the errors
    first, then the warnings, each sorted by place."""
    unique = {(d.location, d.message, d.severity): d for d in diagnostics}
    return sorted(unique.values(), key=lambda d: (not d.is_error, d.location.file, d.location.line,
                                                   d.location.column, d.message))


# --- output formats -------------------------------------------------------


def render_text(diagnostics: list[Diagnostic], root: Path, color: bool = False) -> str:
    """Compiler-style text: location, message, the source line with a caret, hint."""
    files: dict[str, list[str]] = {}  # each file read once, however many diagnostics it has
    blocks = [_text_block(d, root, color, files) for d in diagnostics]
    return "\n".join(blocks)


def _text_block(d: Diagnostic, root: Path, color: bool, files: dict[str, list[str]]) -> str:
    loc = d.location
    label = d.severity.value
    if color:
        tint = "\033[1;31m" if d.is_error else "\033[1;33m"
        label = f"{tint}{label}\033[0m"
    # Everything from the files (names, paths, keys, values, the source line) is shown
    # with its control characters escaped: here, once for every command that prints it.
    where = f" ({escape_controls(format_key_path(loc.path))})" if loc.path else ""
    place = f"{loc.file}:{loc.line}:{loc.column}" if loc.line else loc.file  # line 0: the whole file
    lines = [f"{escape_controls(place)}: {label}: {escape_controls(d.message)}{where}"]
    source = _source_line(files, root, loc.file, loc.line)
    if source is not None:
        gutter = f"{loc.line:>5} | "
        lines.append(gutter + escape_controls(source))
        lines.append(" " * (len(gutter) - 2) + "| " + _caret_pad(source, loc.column) + "^")
    if d.hint:
        lines.append(f"      = hint: {escape_controls(d.hint)}")
    return "\n".join(lines) + "\n"


def _caret_pad(source: str, column: int) -> str:
    # As wide as the source line up to the column is shown, a tab as `\t` included.
    return " " * len(escape_controls(source[: max(column - 1, 0)]))


SHEET_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")


def _source_line(files: dict[str, list[str]], root: Path, file: str, line: int) -> str | None:
    if file.lower().endswith(SHEET_SUFFIXES) or file.endswith("]"):  # a sheet's column is a cell, not a character
        return None
    if file not in files:
        try:
            files[file] = (root / file).read_bytes().decode("utf-8", "replace").split("\n")
        except (OSError, ValueError):  # gone, a folder, a name no file system takes
            files[file] = []
    lines = files[file]
    return lines[line - 1].rstrip("\r") if 0 < line <= len(lines) else None


def summary(diagnostics: list[Diagnostic]) -> str:
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


JSON_FORMAT_VERSION = 1


def render_json(diagnostics: list[Diagnostic]) -> str:
    """The stable machine format documented in docs/validation.md."""
    payload = {
        "version": JSON_FORMAT_VERSION,
        "errors": sum(d.is_error for d in diagnostics),
        "warnings": sum(not d.is_error for d in diagnostics),
        "diagnostics": [d.as_record() for d in diagnostics],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False)


def render_github(diagnostics: list[Diagnostic], folder: str = "") -> str:
    """GitHub Actions workflow commands, one annotation per diagnostic. GitHub wants
    paths from the repository's top, so `folder` (the workspace's, from there) comes first."""
    lines = []
    for d in diagnostics:
        loc = d.location
        file = f"{folder}/{loc.file}" if folder else loc.file
        title = f"briefkit {d.code}" + (f" at {format_key_path(loc.path)}" if loc.path else "")
        text = d.message + (f" Hint: {d.hint}" if d.hint else "")
        props = ",".join(
            f"{key}={_escape_property(str(value))}"
            for key, value in (("file", file), ("line", loc.line), ("col", loc.column),
                               ("title", title))
        )
        lines.append(f"::{d.severity.value} {props}::{_escape_data(text)}")
    return "\n".join(lines)


def _escape_data(text: str) -> str:
    text = escape_controls(text)  # GitHub's log shows terminal escapes too
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
