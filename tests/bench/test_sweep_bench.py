"""The sweep benchmark runs end to end and its two ways of sweeping agree."""

from __future__ import annotations

from bench.sweep import measure


def test_sweep_bench_measures_both_ways_and_they_agree() -> None:
    row = measure(gates=20, points=50, repeat=1)
    assert row["points"] == 50 and row["nodes"] > 20
    assert row["sweep_s"] > 0 and row["loop_s"] > 0
    assert row["max_diff"] < 1e-12
