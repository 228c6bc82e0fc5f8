"""The benchmark runs end to end on a small circuit and reports every peer."""

from __future__ import annotations

from bench.__main__ import measure
from bench.peers import PEERS


def test_benchmark_measures_us_and_names_every_peer() -> None:
    rows = dict(measure(200, repeat=1))
    assert isinstance(rows["backprop-circuits evaluate"], float)
    assert isinstance(rows["backprop-circuits compiled"], float)
    assert set(PEERS) <= set(rows)


def test_load_test_runs_against_the_production_command_without_errors() -> None:
    from bench.load import run
    from tests.e2e.browser import _free_port

    figures = run(clients=5, seconds=2, workers=1, port=_free_port())
    assert figures["requests"] > 0
    assert figures["errors"] == 0
    assert figures["p50_ms"] <= figures["p99_ms"]
