"""The benchmark runs end to end on small circuits, reports every peer, and the peers'
gradients agree with ours."""

from __future__ import annotations

import sys
from pathlib import Path

import orjson
import pytest

from bench.__main__ import workload
from bench.peers import PEERS
from bench.workloads import random_scalar, scalar_mlp, sigmoid_neuron


@pytest.mark.parametrize("circuit", [random_scalar(200), scalar_mlp(3, [4, 1]), sigmoid_neuron()])
def test_benchmark_measures_us_and_names_every_peer(circuit: dict[str, object]) -> None:
    rows = {row["who"]: row for row in workload("small", circuit, repeat=1)}
    assert rows["backprop-circuits, first evaluation"]["total_s"] > 0
    assert set(PEERS) <= set(rows)
    for name in PEERS:
        assert "note" in rows[name] or rows[name]["max_grad_diff"] < 1e-9


def test_load_test_runs_behind_nginx_against_the_production_command_without_errors() -> None:
    from bench.load import run

    figures = run(clients=5, seconds=2, workers=1)
    assert figures["kinds"] >= 5  # evaluate (circuit, expression), parse, save, open
    assert figures["requests"] > 0
    assert figures["errors"] == 0  # a 429 from the save rate limit would count here
    assert figures["p50_ms"] <= figures["p99_ms"]


def test_reevaluation_times_the_answer_and_the_arrays() -> None:
    from bench.ours import reevaluate

    figures = reevaluate(random_scalar(200), repeat=1)
    assert set(figures) == {"answer", "arrays"} and min(figures.values()) > 0


def test_only_runs_the_workloads_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bench.__main__ import main

    out = tmp_path / "results.json"
    monkeypatch.setattr(sys, "argv", ["bench", "--quick", "--only", "sigmoid", "--json", str(out)])
    main()
    results = orjson.loads(out.read_bytes())
    assert {row["workload"] for row in results["workloads"]} == {"sigmoid neuron (the notes)"}
    assert set(results) == {"workloads"}
