"""Randomly broken campaigns never crash `validate`: exit 0 or 1, never a traceback; and
what validates builds (docs/security.md). Files are broken as data (values of every type,
huge numbers, any date), as text (cut, spliced) and as bytes (control characters, other
encodings). BRIEFKIT_FUZZ_EXAMPLES sets how many examples run (default 200)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefkit.cli import cli

from .conftest import FIXTURES

FILES = ["briefs/launch/campaign.yaml", "briefs/launch/creators/ben.yaml", "briefkit.yaml"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**9), st.integers(-10**40, 10**40),
    st.floats(allow_nan=True), st.text(max_size=30), st.dates(dt.date(1990, 1, 1), dt.date(2040, 1, 1)),
    st.dates(), st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "Zl", "Zp"]), max_size=5),
    st.sampled_from(["NO", "{creator.slug}", "{nope}", "../../etc/passwd", "#ad", "@x",
                     "instagram", "2027-02-30", "ig-post", "https://x.example", "de-DE",
                     "9" * 5000, "1e400", "-0", ".inf", "a\0b", "x" * 300, "line\rbreak", "é" * 200]),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=6)


def _paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, prefix + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, prefix + (index,))
    return found


@st.composite
def mutated_file(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(FILES))
    text = (FIXTURES / "basic" / name).read_text()
    how = draw(st.sampled_from(["data", "text", "bytes"]))
    if how == "bytes":  # splice in raw bytes, or the whole file in another encoding
        raw = text.encode()
        at = draw(st.integers(0, len(raw)))
        encoding = draw(st.sampled_from([None, "utf-16-le", "utf-16", "utf-32", "latin-1", "cp1252"]))
        if encoding:
            return name, text.replace("Ben Carter", "Bén Çarter").encode(encoding, "replace")
        return name, raw[:at] + draw(st.binary(max_size=6)) + raw[at:]
    return name, _mutated_text(draw, text, data=how == "data").encode("utf-8", "surrogatepass")


def _mutated_text(draw: st.DrawFn, text: str, data: bool) -> str:
    if data:  # change the data
        data = yaml.safe_load(text)
        for _ in range(draw(st.integers(1, 4))):
            paths = _paths(data)[1:]
            if not paths:
                break
            path = draw(st.sampled_from(paths))
            parent = data
            for step in path[:-1]:
                parent = parent[step]
            action = draw(st.sampled_from(["replace", "delete", "add"]))
            if action == "delete":
                del parent[path[-1]]
            elif action == "add" and isinstance(parent, dict):
                parent[draw(st.text(max_size=10))] = draw(values)
            else:
                parent[path[-1]] = draw(values)
        return yaml.safe_dump(data, allow_unicode=True)
    # change the text: cut it, or splice in characters
    at = draw(st.integers(0, len(text)))
    if draw(st.booleans()):
        return text[:at]
    return text[:at] + draw(st.text(alphabet=":-[]{}&*!|>'\"#%@ \t\n\\x\r\0\x1b\u2028\ufeff", max_size=6)) + text[at:]


EXAMPLES = int(os.environ.get("BRIEFKIT_FUZZ_EXAMPLES", "200"))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(mutated_file(), min_size=1, max_size=3))
def test_validate_never_crashes_and_what_validates_builds(changes: list[tuple[str, bytes]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "ws"
        shutil.copytree(FIXTURES / "basic", root)
        for name, data in changes:
            (root / name).write_bytes(data)
        result = CliRunner().invoke(cli, ["validate", "--workspace", str(root)])
        ok(result)
        if result.exit_code == 0:
            ok(built := CliRunner().invoke(cli, ["build", "--no-pdf", "--workspace", str(root)]))
            assert built.exit_code == 0, built.output


def ok(result: Any) -> None:
    """Exit 0 or 1, with nothing escaping. CliRunner catches what escapes the command line
    and reports exit 1: look at the exception too."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    assert "internal error" not in result.output
