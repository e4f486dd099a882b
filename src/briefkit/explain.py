"""Pydantic's validation errors, told in plain English at the right place in the file.

Brand managers are not programmers: "Input should be a valid string" becomes
`expected text, found the number 450` with a hint on how to write it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import types
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from .diagnostics import Diagnostic, KeyPath
from .model import (COLOR_PATTERN, HANDLE_PATTERN, HASHTAG_PATTERN, MENTION_PATTERN,
                    SLUG_PATTERN)
from .yamlfile import Sourced

_PATTERNS = {
    SLUG_PATTERN: ("lowercase letters, digits and hyphens (like spring-glow)",
                   "use only a-z, 0-9 and -, starting with a letter or digit"),
    COLOR_PATTERN: ("a colour like #2F5D50", "write the colour as # and six hex digits, in quotes"),
    HASHTAG_PATTERN: ("a hashtag starting with # and without spaces", "write it like \"#SpringGlow\", in quotes"),
    MENTION_PATTERN: ("an account starting with @ and without spaces", "write it like \"@lumenskincare\", in quotes"),
    HANDLE_PATTERN: ("a handle without spaces", "write the handle as on the platform, e.g. maya.makes"),
}

_YES_NO = {"yes", "no", "on", "off", "y", "n"}


def diagnostics_for(error: ValidationError, source: Sourced, model: type[BaseModel]) -> list[Diagnostic]:
    return [_explain(item, source, model) for item in error.errors(include_url=False)]


def _explain(item: dict, source: Sourced, model: type[BaseModel]) -> Diagnostic:
    kind = item["type"]
    path, key_error = data_path(source.data, item["loc"])
    value = item.get("input")
    ctx = item.get("ctx") or {}
    if kind == "missing":
        name = item["loc"][-1]
        parent = source.locate(path)
        where = parent._replace(path=parent.path + (name,))
        return Diagnostic(where, f"`{name}` is required but missing",
                          f"add `{name}:` here", code="missing")
    if kind == "extra_forbidden":
        name = path[-1]
        allowed = _allowed_keys(model, path[:-1])
        return Diagnostic(source.locate(path, key=True), f"unknown key `{name}`",
                          _did_you_mean(str(name), allowed, "keys allowed here"), code="unknown-key")
    message, hint = _message(kind, value, ctx, item["msg"])
    if key_error:
        message = f"`{path[-1]}` is not allowed here: {message}"
    return Diagnostic(source.locate(path, key=key_error), message, hint,
                      code="unknown-key" if key_error else "type")


def _message(kind: str, value: Any, ctx: dict, default: str) -> tuple[str, str]:
    found = describe(value)
    if "hint" in ctx:  # our own validators already speak plain English
        return default, ctx["hint"]
    if kind == "string_type":
        hint = "put the value in quotes" if isinstance(value, int | float | bool | dt.date) else ""
        return f"expected text, found {found}", hint
    if kind in ("int_type", "int_from_float", "int_parsing"):
        return f"expected a whole number, found {found}", "write digits only, e.g. 42000"
    if kind in ("float_type", "float_parsing", "number_type", "decimal_type"):
        return f"expected a number, found {found}", "write digits only, without currency or units"
    if kind == "bool_type":
        if isinstance(value, str) and value.lower() in _YES_NO:
            return (f"expected true or false, found the text \"{value}\"",
                    "briefkit reads only true and false as yes/no answers: write "
                    f"{'true' if value.lower() in ('yes', 'on', 'y') else 'false'}")
        return f"expected true or false, found {found}", "write true or false"
    if kind == "list_type":
        return f"expected a list, found {found}", "write one `- item` per line, or [a, b]"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a set of keys, found {found}", "write `key: value` lines indented below it"
    if kind in ("literal_error", "enum"):
        options = re.findall(r"'([^']*)'", ctx.get("expected", ""))
        return (f"expected one of {', '.join(options)}; found {found}",
                _did_you_mean(str(value), options, "allowed values"))
    if kind in ("too_short", "string_too_short"):
        if kind == "string_too_short":
            return "must not be empty", "write a value or remove the key"
        return (f"needs at least {ctx.get('min_length', 1)} item(s), found {ctx.get('actual_length', 0)}",
                "add an item")
    if kind in ("too_long", "string_too_long"):
        if isinstance(value, str):
            return (f"is {len(value)} characters long; at most {ctx.get('max_length')} fit here",
                    "shorten it")
        return f"has {ctx.get('actual_length')} items; at most {ctx.get('max_length')} fit here", "remove some"
    if kind in ("greater_than_equal", "greater_than"):
        return f"must be at least {ctx.get('ge', ctx.get('gt'))}, found {found}", ""
    if kind in ("less_than_equal", "less_than"):
        return f"must be at most {ctx.get('le', ctx.get('lt'))}, found {found}", ""
    if kind == "string_pattern_mismatch":
        expected, hint = _PATTERNS.get(ctx.get("pattern", ""), ("another form", ""))
        return f"expected {expected}, found {found}", hint
    if kind in ("date_type", "date_parsing", "date_from_datetime_parsing"):
        if isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}$", value):
            return f"{value} is not a real date", "check the day and month"
        return f"expected a date, found {found}", "write dates as YYYY-MM-DD, e.g. 2027-03-10"
    if kind == "value_error" and "email" in default.lower():
        return f"{found} is not an e-mail address", "write it like name@example.com"
    if kind == "value_error":
        return default.removeprefix("Value error, "), ""
    return default, ""


def describe(value: Any) -> str:
    """A value as a person would name it: `the text "abc"`, `the number 12`."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        shown = f"{value:g}" if isinstance(value, float) else str(value)
        return f"the number {shown if len(shown) <= 40 else f'{value:.3e}'}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "…"
        return f'the text "{shown}"'
    if isinstance(value, dt.datetime | dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of keys"
    return type(value).__name__


def data_path(data: Any, loc: tuple) -> tuple[KeyPath, bool]:
    """Pydantic's error location as a path through the data.

    Pydantic adds names of union members and validators to `loc`; they are not
    in the data, so we keep only the steps the data really has. `[key]` marks an
    error about a mapping key rather than its value.
    """
    path: list[str | int] = []
    current = data
    for step in loc:
        if isinstance(current, dict) and step in current:  # a key may really be called "[key]"
            current = current[step]
            path.append(step)
        elif step == "[key]":
            return tuple(path), True
        elif isinstance(current, list) and isinstance(step, int) and 0 <= step < len(current):
            current = current[step]
            path.append(step)
    return tuple(path), False


def _allowed_keys(model: type[BaseModel], path: KeyPath) -> list[str]:
    annotation: Any = model
    for step in path:
        annotation = _step(annotation, step)
        if annotation is None:
            return []
    target = _unwrap(annotation)
    if isinstance(target, type) and issubclass(target, BaseModel):
        return list(target.model_fields)
    return []


def _step(annotation: Any, key: str | int) -> Any:
    target = _unwrap(annotation)
    if isinstance(target, type) and issubclass(target, BaseModel):
        field = target.model_fields.get(key) if isinstance(key, str) else None
        return field.annotation if field else None
    origin = get_origin(target)
    if origin is list and isinstance(key, int):
        return get_args(target)[0]
    if origin is dict:
        return get_args(target)[1]
    return None


def _unwrap(annotation: Any) -> Any:
    origin = get_origin(annotation)
    if origin is Annotated:
        return _unwrap(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        members = [_unwrap(a) for a in get_args(annotation) if a is not type(None)]
        for member in members:
            if isinstance(member, type) and issubclass(member, BaseModel):
                return member
        return next((m for m in members if get_origin(m) in (list, dict)), members[0])
    return annotation


def _did_you_mean(word: str, options: list[str], what: str) -> str:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if not close:
        close = [o for o in options if o.lower() == word.lower()]
    if close:
        return f"did you mean `{close[0]}`?"
    return f"{what}: {', '.join(options)}" if options else ""
