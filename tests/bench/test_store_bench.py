"""The store benchmark saves and reads a circuit end to end and reports both times."""

from __future__ import annotations

from pathlib import Path

from bench.store import measure


def test_store_benchmark_measures_a_save_and_a_read(tmp_path: Path) -> None:
    save_ms, read_ms = measure(f"sqlite:///{tmp_path / 'bench.sqlite3'}", 20, repeat=2)
    assert save_ms > 0 and read_ms > 0
