from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/basic to change freely."""
    target = tmp_path / "ws"
    shutil.copytree(FIXTURES / "basic", target)
    return target


def run_briefkit(*args: str, cwd: Path | None = None, stdin: str | None = None,
                 env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real command line, as a user would."""
    return subprocess.run([sys.executable, "-m", "briefkit", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, env=env, timeout=120)


def validate_json(root: Path, *extra: str) -> tuple[int, dict]:
    result = run_briefkit("validate", "--format", "json", "--workspace", str(root), *extra)
    assert "Traceback" not in result.stderr + result.stdout
    return result.returncode, json.loads(result.stdout)
