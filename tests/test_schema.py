"""`briefkit schema` describes the files people write, generated from the model."""

from __future__ import annotations

import json

import jsonschema
import pytest

from .conftest import REPO, as_json_data, run_briefkit, run_briefkit_process

EXAMPLE = REPO / "briefs" / "spring-glow"


def schema(*args: str) -> dict:
    result = run_briefkit("schema", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("path", [EXAMPLE / "campaign.yaml", *sorted((EXAMPLE / "creators").glob("*.yaml")),
                                  REPO / "briefkit.yaml"])
def test_schema_accepts_the_example_files(path) -> None:
    data = as_json_data(path)
    if path.name == "campaign.yaml":  # `- a: b` lines are text to briefkit, a mapping to YAML
        data["key_messages"] = [m if isinstance(m, str) else "x" for m in data["key_messages"]]
    jsonschema.validate(data, schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


@pytest.mark.parametrize("kind, path", [("campaign", EXAMPLE / "campaign.yaml"),
                                        ("creator", EXAMPLE / "creators" / "maya-makes.yaml")])
def test_schema_rejects_an_unknown_key(kind: str, path) -> None:
    data = as_json_data(path)
    data["respnd_by"] = "2027-01-01"
    with pytest.raises(jsonschema.ValidationError, match="respnd_by"):
        jsonschema.validate(data, schema("--for", kind))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema())


def test_schema_rejects_a_wrong_type() -> None:
    data = as_json_data(EXAMPLE / "creators" / "maya-makes.yaml")
    data["fee"] = "450 USD"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema("--for", "creator"))


def test_every_field_is_described() -> None:
    definitions = schema()["$defs"]
    undocumented = [f"{name}.{key}" for name, definition in definitions.items()
                    for key, prop in definition.get("properties", {}).items()
                    if not prop.get("description")]
    assert undocumented == []


def test_schema_can_be_written_into_the_workspace(tmp_path) -> None:
    result = run_briefkit_process("schema", "--for", "campaign", "--output", ".briefkit/campaign.schema.json",
                          "--workspace", str(tmp_path))
    assert result.returncode == 0
    written = json.loads((tmp_path / ".briefkit" / "campaign.schema.json").read_text())
    assert "respond_by" in written["required"]
