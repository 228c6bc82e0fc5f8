"""The evaluator: forks add up, the trace replays every step, huge circuits need no
recursion, and the engine stays a pure library."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

import engine
from tests.engine.helpers import central_difference, output_of


def test_gradients_add_up_at_a_fork() -> None:
    """f = x*y + x: x forks, so df/dx = y + 1."""
    result = engine.evaluate(engine.parse("x * y + x", {"x": 2.0, "y": 5.0}))
    assert result["gradients"]["x"] == 6.0


def test_the_same_input_on_both_ports_accumulates_in_the_trace() -> None:
    result = engine.evaluate(engine.parse("x * x", {"x": 3.0}))
    (step,) = result["trace"]["backward"]
    assert [port["total"] for port in step["inputs"]] == [3.0, 6.0]
    assert [port["accumulated"] for port in step["inputs"]] == [False, True]


def test_trace_records_local_upstream_and_sent_for_each_port() -> None:
    result = engine.evaluate(engine.parse("(x + y) * z", {"x": -2, "y": 5, "z": -4}))
    first, second = result["trace"]["backward"]
    assert first["id"] == "f" and first["upstream"] == 1.0
    assert [(p["input"], p["local"], p["sent"]) for p in first["inputs"]] == [
        ("add1", -4.0, -4.0),
        ("z", 3.0, 3.0),
    ]
    assert second["upstream"] == -4.0
    assert [(p["input"], p["local"], p["sent"]) for p in second["inputs"]] == [
        ("x", 1.0, -4.0),
        ("y", 1.0, -4.0),
    ]


def test_forward_trace_and_order_follow_a_topological_order() -> None:
    result = engine.evaluate(engine.list_examples()[5]["circuit"])
    order = result["order"]
    assert [step["id"] for step in result["trace"]["forward"]] == order
    seen: set[str] = set()
    for step in result["trace"]["forward"]:
        assert set(step["inputs"]) <= seen
        seen.add(step["id"])


def test_order_is_deterministic_and_follows_the_file() -> None:
    circuit = engine.parse("exp(a) + exp(b) + exp(c)")
    orders = {tuple(engine.evaluate(circuit)["order"]) for _ in range(5)}
    assert orders == {("a", "b", "c", "exp1", "exp2", "add1", "exp3", "f")}


def test_a_second_sink_gets_zero_gradient() -> None:
    circuit = engine.parse("x * y", {"x": 2, "y": 3})
    circuit["nodes"].append({"id": "other", "op": "exp", "inputs": ["x"]})
    result = engine.evaluate({**circuit, "output": "f"})
    assert result["gradients"]["other"] == 0.0 and result["gradients"]["x"] == 3.0
    assert "other" not in {step["id"] for step in result["trace"]["backward"]}


def test_output_grad_scales_every_gradient() -> None:
    circuit = {**engine.parse("x * y", {"x": 2, "y": 3}), "output_grad": -2.0}
    assert engine.evaluate(circuit)["gradients"] == {"x": -6.0, "y": -4.0, "f": -2.0}


def test_ui_label_and_version_fields_ride_along() -> None:
    circuit = engine.parse("x + 1", {"x": 2})
    circuit["nodes"][0].update(label="input x", ui={"x": 10, "y": 20})
    circuit["ui"] = {"zoom": 2}
    assert engine.evaluate(circuit)["values"]["f"] == 3.0


@pytest.mark.parametrize("seed", range(5))
def test_random_circuits_match_central_difference(seed: int) -> None:
    circuit = engine.random_circuit(60, seed)
    result = engine.evaluate(circuit, trace=False)
    point = {n["id"]: n["value"] for n in circuit["nodes"] if n["op"] == "input"}
    numeric = central_difference(output_of(circuit), point)
    for name, expected in numeric.items():
        assert result["gradients"][name] == pytest.approx(float(expected), rel=1e-4, abs=1e-6)


def test_a_chain_of_100000_gates_needs_no_recursion() -> None:
    size = 100_000
    nodes: list[dict[str, Any]] = [{"id": "n0", "op": "input", "value": 1.0}]
    nodes += [
        {"id": f"n{k}", "op": "add_const", "inputs": [f"n{k - 1}"], "params": {"c": 1}}
        for k in range(1, size)
    ]
    result = engine.evaluate({"nodes": nodes}, trace=False)
    assert result["values"][f"n{size - 1}"] == size
    assert result["gradients"]["n0"] == 1.0


def test_gradcheck_agrees_with_backprop_on_the_staged_example() -> None:
    report = engine.gradcheck(engine.list_examples()[5]["circuit"])
    assert set(report["inputs"]) == {"x", "y"}
    assert report["inputs"]["x"]["numeric"] == pytest.approx(2.06, abs=0.005)
    assert report["max_rel_error"] < 1e-7


def test_gradcheck_covers_tensors_and_output_grad() -> None:
    matmul = next(e for e in engine.list_examples() if e["id"] == "matmul")["circuit"]
    assert engine.gradcheck(matmul)["max_rel_error"] < 1e-7


def test_gradcheck_refuses_a_silly_step() -> None:
    with pytest.raises(engine.errors.ValidationError):
        engine.gradcheck(engine.parse("x"), h=-1.0)


def test_engine_imports_nothing_from_the_web_layer() -> None:
    code = (
        "import sys, engine; bad = [m for m in sys.modules if m.split('.')[0] in "
        "('fastapi', 'pydantic', 'starlette', 'app', 'uvicorn')]; print(bad); "
        "sys.exit(1 if bad else 0)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
