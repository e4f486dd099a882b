"""The YAML reader: YAML 1.2 core scalars, positions of every value, limits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from briefkit.yamlfile import load_yaml, resolve_plain_scalar


@pytest.mark.parametrize("text, value", [
    ("NO", "NO"), ("no", "no"), ("yes", "yes"), ("on", "on"), ("off", "off"),
    ("true", True), ("false", False), ("1:30", "1:30"), ("0800", 800), ("12", 12),
    ("-3", -3), ("1.5", Decimal("1.5")), ("1.500", Decimal("1.500")), ("1e3", Decimal("1e3")), ("0x1F", 31), ("0o17", 15), ("~", None), ("null", None),
    ("2027-03-10", dt.date(2027, 3, 10)), ("2027-02-30", "2027-02-30"),
    ("2027-03-10T18:00:00+01:00",
     dt.datetime(2027, 3, 10, 18, tzinfo=dt.timezone(dt.timedelta(hours=1)))),
    ("#ad", "#ad"), ("@maya", "@maya"),
])
def test_plain_scalars_follow_yaml_1_2_core(text: str, value: object) -> None:
    assert resolve_plain_scalar(text) == value
    assert type(resolve_plain_scalar(text)) is type(value)


def load(tmp_path: Path, text: str):
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    return load_yaml(path, "f.yaml")


def test_quoted_values_stay_text(tmp_path: Path) -> None:
    source, problems = load(tmp_path, 'a: "true"\nb: \'12\'\nc: !!str 2027-01-01\n')
    assert problems == []
    assert source.data == {"a": "true", "b": "12", "c": "2027-01-01"}


def test_every_value_and_key_has_its_position(tmp_path: Path) -> None:
    source, _ = load(tmp_path, "brand:\n  name: Lumen\nlist:\n  - one\n  - {x: 2}\n")
    assert (source.locate(("brand", "name")).line, source.locate(("brand", "name")).column) == (2, 9)
    assert source.locate(("brand", "name"), key=True).column == 3
    assert (source.locate(("list", 1, "x")).line, source.locate(("list", 1, "x")).column) == (5, 9)
    # an unknown path falls back to its closest known parent
    assert source.locate(("list", 1, "nope")).line == 5


def test_aliases_and_merge_keys_keep_positions_of_their_anchor(tmp_path: Path) -> None:
    source, problems = load(tmp_path, "base: &b {fee: 1, name: x}\nc:\n  <<: *b\n  fee: 2\n")
    assert problems == []
    assert source.data["c"] == {"fee": 2, "name": "x"}
    assert source.locate(("c", "fee")).line == 4
    assert source.locate(("c", "name")).line == 1


def test_one_line_pairs_are_remembered_as_written(tmp_path: Path) -> None:
    source, _ = load(tmp_path, "m:\n  - Vitamin C:  gentle, 1.50 a day\n  - plain\n")
    assert source.data["m"][0] == {"Vitamin C": "gentle, 1.50 a day"}
    assert source.plain_pairs == {("m", 0): "Vitamin C:  gentle, 1.50 a day"}


def flow(levels: int) -> str:
    return "[" * levels + "]" * levels


def block_mappings(levels: int) -> str:
    return "".join("  " * i + "a:\n" for i in range(levels)) + "  " * levels + "b\n"


def block_sequences(levels: int) -> str:
    return "- " * levels + "x\n"


@pytest.mark.parametrize(("nested", "levels"), [
    (flow, 60), (flow, 1_001), (flow, 100_000),
    (block_mappings, 60), (block_mappings, 1_001),  # 1,001 levels is already 1 MB
    (block_sequences, 60), (block_sequences, 1_001), (block_sequences, 100_000),
])
def test_deep_nesting_is_refused_with_briefkits_limit(tmp_path: Path, nested, levels: int) -> None:
    """Whether briefkit counts the levels or the YAML parser refuses them first
    (libyaml stops at 1,000), the user reads the same limit and hint."""
    source, problems = load(tmp_path, nested(levels))
    assert source is None
    [problem] = problems
    assert problem.code == "yaml-limit"
    assert problem.message == "the data is nested more than 50 levels deep"
    assert problem.hint.startswith("flatten the structure")
    assert problem.location.line >= 1 and problem.location.column >= 1


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes("\ufefftitle: Hi\n".encode())
    source, problems = load_yaml(path, "f.yaml")
    assert problems == [] and source.data == {"title": "Hi"}


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    source, problems = load(tmp_path, "a: " + "x" * (3 * 1024 * 1024))
    assert source is None and "MB" in problems[0].message
