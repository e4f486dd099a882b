"""`briefkit new`: a campaign that validates as written, shows every section, and
points editors at the schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from .conftest import as_json_data, parse_html, run_briefkit, run_briefkit_process

SECTIONS = ["glance", "why-you", "overview", "offer", "deliverables", "disclosure", "timeline", "creative", "review",
            "usage-rights", "tracking", "assets", "contact"]


@pytest.fixture
def started(tmp_path: Path) -> Path:
    result = run_briefkit_process("new", "summer-drop", "--workspace", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "wrote briefs/summer-drop/campaign.yaml" in result.stdout
    return tmp_path


def test_a_new_campaign_validates_and_builds_a_packet_with_every_section(started: Path) -> None:
    checked = run_briefkit("validate", "--format", "json", "--workspace", str(started))
    assert checked.returncode == 0, checked.stdout
    # Valid as written; the one thing left to do is said: the logo is the placeholder.
    found = [(d["severity"], d["code"], d["path"]) for d in json.loads(checked.stdout)["diagnostics"]]
    assert found == [("warning", "path", "brand.logo")]
    (started / "briefs/summer-drop/assets/logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>')
    checked = run_briefkit("validate", "--strict", "--workspace", str(started))
    assert checked.stdout.strip() == "no problems: 1 campaign, 1 creator"
    built = run_briefkit("build", "--workspace", str(started))
    assert built.returncode == 0, built.stderr
    packet = started / "output/summer-drop/example-creator"
    assert {p.name for p in packet.iterdir()} == {"index.html", "brief.pdf", "calendar.ics", "assets", "packet.zip"}
    page = parse_html(packet / "index.html")
    assert [s["id"] for s in page.all("section")] == SECTIONS
    assert "Summer Drop" in page.text and "Sam Example" in page.text


def test_the_files_point_editors_at_schemas_that_accept_them(started: Path) -> None:
    for file, kind in [("briefs/summer-drop/campaign.yaml", "campaign"),
                       ("briefs/summer-drop/creators/example-creator.yaml", "creator")]:
        path = started / file
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=")
        schema_file = (path.parent / first.split("$schema=")[1]).resolve()
        assert schema_file == started / f".briefkit/{kind}.schema.json"
        schema = json.loads(schema_file.read_text(encoding="utf-8"))
        assert schema == json.loads(run_briefkit("schema", "--for", kind).stdout)
        jsonschema.validate(as_json_data(path), schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def test_new_refuses_to_overwrite_a_campaign(started: Path) -> None:
    campaign = started / "briefs/summer-drop/campaign.yaml"
    campaign.write_text("title: mine\n", encoding="utf-8")
    again = run_briefkit("new", "summer-drop", "--workspace", str(started))
    assert again.returncode == 2
    assert "briefs/summer-drop/ exists already" in again.stderr
    assert campaign.read_text(encoding="utf-8") == "title: mine\n"
    assert sorted(p.name for p in (started / "briefs").iterdir()) == ["summer-drop"]  # no leftovers


@pytest.mark.parametrize("bad", ["Summer Drop", "_drop", "drop/../x", "ÄRGER", "a" * 300])  # 300: too long a folder name
def test_new_wants_a_slug(tmp_path: Path, bad: str) -> None:
    result = run_briefkit("new", bad, "--workspace", str(tmp_path))
    assert result.returncode == 2 and "cannot be a campaign id" in result.stderr
    assert not (tmp_path / "briefs").exists()


def test_new_keeps_the_output_out_of_git_unless_the_workspace_says_otherwise(started: Path, tmp_path: Path) -> None:
    assert (started / ".gitignore").read_text().splitlines()[-1] == "output/"
    own = tmp_path / "own"
    own.mkdir()
    (own / ".gitignore").write_text("*.log\n")
    assert run_briefkit("new", "drop", "--workspace", str(own)).returncode == 0
    assert (own / ".gitignore").read_text() == "*.log\n"  # theirs: left as it is
