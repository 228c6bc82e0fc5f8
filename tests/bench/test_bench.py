"""The benchmark runs end to end on a small circuit and reports every peer."""

from __future__ import annotations

from bench.__main__ import measure
from bench.peers import PEERS


def test_benchmark_measures_us_and_names_every_peer() -> None:
    rows = dict(measure(200, repeat=1))
    assert isinstance(rows["backprop-circuits evaluate"], float)
    assert isinstance(rows["backprop-circuits compiled"], float)
    assert set(PEERS) <= set(rows)
