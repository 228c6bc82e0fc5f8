"""The README and docs/ stand on their own: every link resolves inside the repository,
nothing sends readers to files it does not hold, and the references cover every gate."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import engine

REPO = Path(__file__).resolve().parents[2]
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_no_page_points_outside_the_repository(page: Path) -> None:
    text = page.read_text()
    assert "CONTRACT.md" not in text and "../shared" not in text


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_relative_link_names_a_file_in_the_repository(page: Path) -> None:
    targets = [t for t in LINK.findall(page.read_text()) if "://" not in t]
    for target in targets:
        assert (page.parent / target).resolve().exists(), f"{page.name} links to {target}"


def test_the_circuit_format_lists_every_gate_of_the_table() -> None:
    text = (REPO / "docs" / "circuit-format.md").read_text()
    for op in engine.GATES:
        assert f"`{op}`" in text, op


def test_the_api_reference_describes_every_field_of_a_gate() -> None:
    text = (REPO / "docs" / "api-shapes.md").read_text()
    for field in engine.list_gates()[0]:
        assert f"`{field}`" in text, field
