"""The command line: exit codes, output formats, no tracebacks, fast start."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefkit import cli as cli_module

from .conftest import REPO, edit, run_briefkit, run_briefkit_process


def test_example_workspace_validates_clean() -> None:
    result = run_briefkit_process("validate", cwd=REPO)  # a real process, as the README says
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip() == "no problems: 1 campaign, 4 creators"


def test_text_format_shows_the_line_and_a_caret(workspace: Path) -> None:
    ben = workspace / "briefs/launch/creators/ben.yaml"
    ben.write_text(ben.read_text().replace("region: US", "region: UK"))
    result = run_briefkit("validate", "--workspace", str(workspace))
    assert result.returncode == 1
    assert result.stdout.splitlines()[:4] == [
        "briefs/launch/creators/ben.yaml:3:9: error: 'UK' is not the ISO country code (region)",
        "    3 | region: UK",
        "      |         ^",
        "      = hint: write GB",
    ]
    assert result.stdout.rstrip().endswith("1 error, 0 warnings")


def test_text_format_reads_as_the_golden_file(workspace: Path, golden) -> None:
    """Errors and warnings from three files and two stages (the model, the rules), in file
    order, each with its source line, caret and hint."""
    edit(workspace / "briefs/launch/creators/ben.yaml", "region: US", "region: UK")
    edit(workspace / "briefs/launch/campaign.yaml", "live_on: 2027-04-15", "live_on: 2027-03-15")
    edit(workspace / "briefs/launch/campaign.yaml", "    fee: 350\n", "    fee: 350\n    tier: nano\n")
    (workspace / "briefkit.yaml").write_text("outptu: out\n")
    result = CliRunner().invoke(cli_module.cli, ["validate", "--workspace", str(workspace)])
    assert result.exit_code == 1
    golden("validate/errors.txt", result.output)


def test_warnings_fail_only_with_strict(workspace: Path) -> None:
    ben = workspace / "briefs/launch/creators/ben.yaml"
    ben.write_text(ben.read_text() + "tier: nano\n")
    assert run_briefkit("validate", "--workspace", str(workspace)).returncode == 0
    strict = run_briefkit("validate", "--strict", "--format", "json", "--workspace", str(workspace))
    assert strict.returncode == 1
    assert json.loads(strict.stdout)["warnings"] == 1


def test_json_format_is_stable(workspace: Path) -> None:
    ben = workspace / "briefs/launch/creators/ben.yaml"
    ben.write_text(ben.read_text().replace("region: US", "region: UK"))
    report = json.loads(run_briefkit("validate", "--format", "json", "--workspace", str(workspace)).stdout)
    assert report == {"version": 1, "errors": 1, "warnings": 0, "diagnostics": [{
        "severity": "error", "code": "type", "file": "briefs/launch/creators/ben.yaml",
        "line": 3, "column": 9, "path": "region",
        "message": "'UK' is not the ISO country code", "hint": "write GB"}]}


def test_github_format_emits_annotations(workspace: Path) -> None:
    ben = workspace / "briefs/launch/creators/ben.yaml"
    ben.write_text(ben.read_text().replace("region: US", "region: UK"))
    result = run_briefkit("validate", "--format", "github", "--workspace", str(workspace))
    assert result.returncode == 1
    assert result.stdout.strip() == (
        "::error file=briefs/launch/creators/ben.yaml,line=3,col=9,title=briefkit type at region"
        "::'UK' is not the ISO country code Hint: write GB")
    # From the repository's top, as CI runs it, with the workspace in a subfolder:
    below = run_briefkit("validate", "--format", "github", "--workspace", workspace.name, cwd=workspace.parent)
    assert below.stdout.startswith(f"::error file={workspace.name}/briefs/launch/creators/ben.yaml,line=3,")


def test_validate_limits_to_given_campaign_paths(workspace: Path) -> None:
    other = workspace / "briefs" / "other"
    other.mkdir()
    (other / "campaign.yaml").write_text("title: [broken\n")
    assert run_briefkit("validate", "--workspace", str(workspace)).returncode == 1
    only = run_briefkit("validate", str(workspace / "briefs/launch/creators/ben.yaml"),
                        "--workspace", str(workspace))
    assert only.returncode == 0, only.stdout


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run_briefkit_process("validate", "--format", "xml").returncode == 2
    assert run_briefkit("validate", "--workspace", str(tmp_path / "missing")).returncode == 2
    assert run_briefkit("frobnicate").returncode == 2
    outside = run_briefkit("validate", str(REPO), "--workspace", str(tmp_path))
    assert outside.returncode == 2 and "not inside the workspace" in outside.stderr


def test_empty_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = run_briefkit("validate", "--workspace", str(tmp_path))
    assert result.returncode == 1
    assert "no campaigns found" in result.stdout and "briefkit new" in result.stdout


def test_internal_error_prints_one_line_and_suggests_debug(monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("briefkit.validate.check_workspace", broken)
    result = CliRunner().invoke(cli_module.cli, ["validate", "--workspace", str(REPO)])
    assert result.exit_code == 3
    assert result.output.strip() == ("briefkit: internal error (RuntimeError: boom). "
                                     "Run again with --debug for details.")
    debug = CliRunner().invoke(cli_module.cli, ["validate", "--debug", "--workspace", str(REPO)])
    assert isinstance(debug.exception, RuntimeError)


@pytest.mark.parametrize("args", [
    ["--help"],
    ["validate", "--workspace", str(REPO)],
    ["lint-caption", "--campaign", "spring-glow", "--creator", "maya.makes", "--workspace", str(REPO)],
    ["build", "--no-pdf", "--out", "{out}", "--workspace", str(REPO)],
    ["schema"],
    ["diff", "HEAD", "--workspace", str(REPO)],
])
def test_commands_that_make_no_pdf_do_not_import_weasyprint(args: list[str], tmp_path: Path) -> None:
    args = [a.replace("{out}", str(tmp_path / "out")) for a in args]
    code = ("import sys, io\nsys.stdin = io.StringIO('#ad hi')\nfrom briefkit.cli import cli\n"
            "try:\n    cli(%r)\nexcept SystemExit:\n    pass\n"
            "print('weasyprint' in sys.modules)") % args
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip().splitlines()[-1] == "False", result.stdout + result.stderr


def test_a_caption_that_is_not_utf8_is_a_usage_error(workspace: Path) -> None:
    result = run_briefkit("lint-caption", "--campaign", "launch", "--creator", "kaffee.klara",
                          "--workspace", str(workspace), stdin=b"Werbung \xff\xfe caption")
    assert result.returncode == 2, result.stderr
    assert "the caption is not UTF-8 text" in result.stderr and "internal error" not in result.stderr


def test_a_folder_that_cannot_be_read_is_an_error_at_it(workspace: Path, monkeypatch) -> None:
    """As root every folder is readable, so the refusal is made where briefkit lists one."""
    creators = workspace / "briefs/launch/creators"
    listing = Path.iterdir

    def refused(self: Path):
        if self == creators:
            raise PermissionError(13, "Permission denied")
        return listing(self)

    monkeypatch.setattr(Path, "iterdir", refused)
    result = CliRunner().invoke(cli_module.cli, ["validate", "--format", "json", "--workspace", str(workspace)])
    assert result.exit_code == 1, result.output
    problems = json.loads(result.output)["diagnostics"]
    assert [(d["file"], d["message"]) for d in problems if d["severity"] == "error"] == [
        ("briefs/launch/creators", "cannot read the folder: Permission denied")]
