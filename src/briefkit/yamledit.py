"""Changing values in a workspace's YAML files in place (`import --update`, `respond`).

A file is read with ruamel.yaml's round-trip loader, the values are set, and it is written
back with the file's own indentation; comments, order and quoting stay as they were. What
ruamel.yaml writes is then checked line by line: every line of the file outside the
changed keys must still be there, in order, or the edit is refused (`EditError`) rather
than rewriting what a person wrote.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .diagnostics import UsageError
from .model import handle_key
from .yamlfile import resolve_plain_scalar

Same = Callable[[tuple[str, ...], Any, Any], bool]


class EditError(UsageError):
    """A file cannot be changed without touching lines a person wrote."""


REMOVE = object()  # as a value in `set_values`: take the key out of the file


def equal_values(path: tuple[str, ...], written: Any, value: Any) -> bool:
    """Whether the file already says `value` (`400` and `400.00` are one amount)."""
    if isinstance(value, Decimal) and isinstance(written, (int, float, Decimal)) and not isinstance(written, bool):
        return Decimal(str(written)) == value
    return written == value


def set_values(text: str, values: dict[str, Any], shown: str, *, where: Callable[[Any], Any] = lambda d: d,
               same: Same = equal_values) -> tuple[str, list[str]]:
    """`text` (the file `shown`) with `values` set key by key in the mapping `where` picks
    out of the document (the whole document by default); and the dotted keys that changed."""
    yml = _round_trip(*_indents(text))
    document = yml.load(text)
    target = where(document)
    changed: list[str] = []
    spans: list[range] = []
    _set_all(target, values, (), changed, spans, same)
    if not changed:
        return text, []
    out = io.StringIO()
    yml.dump(document, out)
    result = out.getvalue()
    _check_kept(text, result, spans, shown)
    return result, changed


def creator_node(inline: bool, handle: str) -> Callable[[Any], Any]:
    """Where a creator stands in their file (`where` of `set_values`): the whole of their own
    file, or, `inline`, their item in campaign.yaml's `creators:`."""
    if not inline:
        return lambda document: document
    key = handle_key(handle)
    return lambda document: next(c for c in document["creators"] if handle_key(str(c.get("handle", ""))) == key)


def dump(data: dict[str, Any]) -> str:
    """A new YAML text of `data`, in the order given, as a person would write it."""
    out = io.StringIO()
    _round_trip().dump(yaml_value(data), out)
    return out.getvalue()


def yaml_value(value: Any) -> Any:
    """Values as YAML should hold them: text that a YAML reader could take for something
    else (`NO`, `@maya`, `#ad`, `2027-04-01`, `1.500`) in quotes; amounts as numbers."""
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    if isinstance(value, dict):
        mapped = CommentedMap()
        for key, item in value.items():
            mapped[key] = yaml_value(item)
        return mapped
    if isinstance(value, list):
        return [yaml_value(item) for item in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, str) and (resolve_plain_scalar(value) != value or value[:1] in "@#&*!|>'\"%`{[-?:,"
                                   or value.lower() in ("yes", "no", "on", "off", "y", "n") or ": " in value
                                   or " #" in value or value != value.strip()):
        return DoubleQuotedScalarString(value)
    return value


def _set_all(target: Any, values: dict[str, Any], path: tuple[str, ...], changed: list[str],
             spans: list[range], same: Same) -> None:
    from ruamel.yaml.comments import CommentedMap

    for key, value in values.items():
        if value is REMOVE:
            if key in target:
                spans.append(_span(target, key))
                del target[key]
                changed.append(".".join((*path, key)))
        elif isinstance(value, dict):
            if not isinstance(target.get(key), dict):
                spans.append(_span(target, key))
                target[key] = CommentedMap()
            _set_all(target[key], value, (*path, key), changed, spans, same)
        elif not same(path + (key,), target.get(key), value):
            spans.append(_span(target, key))
            target[key] = yaml_value(value)
            changed.append(".".join((*path, key)))


def _span(mapping: Any, key: str) -> range:
    """The lines (counted from 0) of `key` and its value in the original file, or none
    for a key that is new. A value runs to the next key of the mapping or, for its last
    key, to the mapping's end (which `_check_kept` bounds by indentation)."""
    if key not in mapping or not hasattr(mapping, "lc") or mapping.lc.data is None or key not in mapping.lc.data:
        return range(0)
    start = mapping.lc.key(key)[0]
    later = [mapping.lc.key(k)[0] for k in mapping if k in mapping.lc.data and mapping.lc.key(k)[0] > start]
    return range(start, min(later) if later else start + 1_000_000)


def _check_kept(before: str, after: str, spans: list[range], shown: str) -> None:
    """Refuse unless every line of `before` outside `spans` is in `after`, in order.

    A span that runs to its mapping's end stops at the first later line indented no
    deeper than its key: that line belongs to what follows."""
    lines = before.splitlines()
    changed: set[int] = set()
    for span in spans:
        if not span:
            continue
        key_indent = _indent(lines[span.start])
        changed.add(span.start)
        for number in range(span.start + 1, min(span.stop, len(lines))):
            line = lines[number]
            if line.strip() and not line.lstrip().startswith("#") and _indent(line) <= key_indent:
                break
            changed.add(number)
    kept = iter(after.splitlines())
    for number, line in enumerate(lines):
        if number in changed:
            continue
        if not any(line == written for written in kept):
            raise EditError(f"{shown} cannot be changed in place without rewriting line {number + 1} "
                            f"({line.strip()[:60]!r}); change it by hand")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" -"))


def _indents(text: str) -> tuple[int, int, int]:
    """How a file indents (mapping, sequence, dash offset, as ruamel.yaml counts them),
    from its first nested mapping and its first list, so that changed lines match the rest."""
    mapping, sequence, offset = 2, 4, 2
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    for above, line in zip(lines, lines[1:]):
        if not above.rstrip().endswith(":"):
            continue
        step = (len(line) - len(line.lstrip())) - (len(above) - len(above.lstrip()))
        if line.lstrip().startswith("- "):
            offset, sequence = max(step, 0), max(step, 0) + 2
            break
    for above, line in zip(lines, lines[1:]):
        step = (len(line) - len(line.lstrip())) - (len(above) - len(above.lstrip()))
        if above.rstrip().endswith(":") and step > 0 and not line.lstrip().startswith("- "):
            mapping = step
            break
    return mapping, sequence, offset


def _round_trip(mapping: int = 2, sequence: int = 4, offset: int = 2) -> Any:
    from ruamel.yaml import YAML

    yml = YAML(typ="rt")
    yml.preserve_quotes = True
    yml.width = 4096
    yml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yml
