"""scripts/_venv.sh: pip runs on a fresh venv, and again only when pyproject.toml, the C
extension or the extras asked for change (a stand-in python records each pip call instead
of installing)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FAKE_PYTHON = """#!/usr/bin/env bash
echo "$*" >> "$(dirname "$0")/../pip-calls"
"""


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A copy of the scripts and pyproject.toml, with a venv whose python only logs."""
    (tmp_path / "scripts").mkdir()
    shutil.copy(REPO / "scripts" / "_venv.sh", tmp_path / "scripts")
    shutil.copy(REPO / "pyproject.toml", tmp_path)
    shutil.copy(REPO / "setup.py", tmp_path)
    shutil.copytree(REPO / "csrc", tmp_path / "csrc")
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(FAKE_PYTHON)
    python.chmod(0o755)
    return tmp_path


def start(checkout: Path, extras: str) -> list[str]:
    """Source the helper as the scripts do and ask for `extras`; the pip calls so far."""
    script = f'source scripts/_venv.sh && ensure_venv "{extras}"'
    subprocess.run(["bash", "-c", script], cwd=checkout, check=True, env={"PATH": "/usr/bin:/bin"})
    calls = checkout / ".venv" / "pip-calls"
    return calls.read_text().splitlines() if calls.exists() else []


def test_a_fresh_venv_installs_and_a_second_start_does_not(checkout: Path) -> None:
    assert len(start(checkout, "[test]")) == 1
    assert start(checkout, "[test]")[0].endswith(f"-e {checkout}[test]")
    assert len(start(checkout, "[test]")) == 1


def test_other_extras_install_once_each(checkout: Path) -> None:
    start(checkout, "[test]")
    start(checkout, "[test,dev]")
    start(checkout, "[test]")
    assert len(start(checkout, "[test,dev]")) == 2


def test_a_changed_pyproject_installs_again(checkout: Path) -> None:
    start(checkout, "")
    with (checkout / "pyproject.toml").open("a") as file:
        file.write("\n# a new pin\n")
    assert len(start(checkout, "")) == 2
    assert len(start(checkout, "")) == 2


def test_an_edited_c_extension_installs_again(checkout: Path) -> None:
    start(checkout, "[test]")
    with (checkout / "csrc" / "loops.c").open("a") as file:
        file.write("\n/* an edit */\n")
    assert len(start(checkout, "[test]")) == 2
    assert len(start(checkout, "[test]")) == 2
