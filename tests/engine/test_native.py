"""The C extension (engine._native) against the Python code it stands in for: the same
Flat from the same node dicts (and nothing Python would refuse), each op's forward to the
bit, and whole evaluations, trace included, identical on both paths."""

from __future__ import annotations

import copy
import doctest
import gc
import itertools
import math
import os
import random
import struct
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import pytest

import engine
from bench import workloads
from engine import native
from engine.bounds import check_bounds
from engine.cache import structure_key
from engine.flat import Flat, flatten
from engine.gates import GATES
from engine.kernels import SCALAR
from engine.tape_ops import OPS, RULES, X

from .test_tape import EVERY_TAPE_GATE, scalar_examples

needs_c = pytest.mark.skipif(native.module is None, reason="engine._native is not built")
Circuit = dict[str, Any]


@pytest.mark.skipif(os.environ.get("CI") != "true", reason="only CI must have a compiler")
def test_ci_runs_the_c_extension() -> None:
    assert native.module is not None


@pytest.fixture
def python_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(native, "module", None)


def bits(x: float) -> int:
    return int.from_bytes(struct.pack("<d", x), "little")


# ---------------------------------------------------------------- forward, op by op

SPECIAL = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, 3.0, -2.5, 1e-300, -1e-300, 5e-324, 1e300]
SPECIAL += [-1e300, 709.78, 709.79, -745.2, 710.0, 37.5, -37.5, 1 / 3, math.pi, 1e16 + 1]


def operands() -> list[tuple[float, float]]:
    rng = np.random.default_rng(7)
    scale = 10.0 ** rng.uniform(-8, 4, 600)
    xs = (rng.standard_normal(600) * scale).tolist()
    ys = (rng.standard_normal(600) * scale[::-1]).tolist()
    pairs = list(zip(xs, ys, strict=True))
    pairs += [(x, y) for x in SPECIAL for y in SPECIAL]
    pairs += [(x, round(y)) for x, y in zip(xs[:200], ys[:200], strict=True)]  # whole powers
    return pairs


def python_rule(op: str, x: float, y: float) -> float | None:
    """The Python tape's value for this gate (y: the second input or the param), or None
    where it raises or is not finite (the general evaluator then takes over)."""
    f, left, right = RULES[op]
    operand = {X: x, "y": y, **dict.fromkeys(GATES[op].params, y)}
    a = operand.get(left, left) if isinstance(left, str) else left
    b = operand.get(right, right) if isinstance(right, str) else right
    try:
        value: float = f(a, b)
    except (ArithmeticError, ValueError):
        return None
    return value if math.isfinite(value) else None


def c_rule(op: str, x: float, y: float) -> float | None:
    """The C loop's value for the same gate: the tape's slots and operands, one gate."""
    _, left, right = RULES[op]
    slots = np.array([x, y, *(c for c in (left, right) if isinstance(c, float))])
    place = {X: 0, "y": 1, **dict.fromkeys(GATES[op].params, 1)}
    constant = iter(range(2, len(slots)))
    a, b = (place[o] if isinstance(o, str) else next(constant) for o in (left, right))
    slots = np.append(slots, 0.0)
    kind = native.KINDS[OPS.index(op)]
    gate = [np.array([kind], dtype=np.int8), *(np.array([i]) for i in (a, b, len(slots) - 1))]
    assert native.module is not None
    failed = native.module.forward(*gate, slots, 0, 1)
    return None if failed >= 0 else float(slots[-1])


@needs_c
def test_every_tape_op_runs_in_c() -> None:
    assert {op for op in RULES if native.kind_name(op) is None} == set()


@needs_c
@pytest.mark.parametrize("op", sorted(RULES))
def test_each_op_in_c_gives_the_python_rules_bits(op: str) -> None:
    for x, y in operands():
        expected, got = python_rule(op, x, y), c_rule(op, x, y)
        if expected is None:
            assert got is None, (op, x, y)
        else:
            assert got is not None and bits(got) == bits(expected), (op, x, y, got, expected)


@pytest.mark.parametrize("op", sorted(RULES))
def test_each_python_rule_is_its_gate_rows_forward(op: str) -> None:
    gate = GATES[op]
    for x, y in operands()[::7]:
        params = dict.fromkeys(gate.params, y)
        try:
            expected = gate.forward(SCALAR, (x, y)[: gate.arity[0]], params)
        except (ArithmeticError, ValueError):
            expected = None
        if expected is not None and math.isfinite(expected):
            got = python_rule(op, x, y)
            assert got is not None and bits(got) == bits(expected), (op, x, y)


# ---------------------------------------------------------------- flatten, differentially


class Str(str):
    pass


class Float(float):
    pass


class Int(int):
    pass


class Dict(dict[str, Any]):
    pass


ODD_VALUES: list[Any] = [True, False, None, math.nan, math.inf, -math.inf, 10**400, 10**20, 7]
ODD_VALUES += ["1", Float(1.5), Int(2), [1.0], {}, -0.0, 2.5, 1e308]


def mutations(circuit: Circuit, rng: random.Random) -> Iterator[Circuit]:
    """`circuit` changed in one place, in every way the checks must see."""
    nodes = circuit["nodes"]
    ids = [n["id"] for n in nodes]
    leaf = rng.choice([k for k, n in enumerate(nodes) if n["op"] in ("input", "const")])
    gate = rng.choice([k for k, n in enumerate(nodes) if n["op"] not in ("input", "const")])
    later = ids[min(gate + 1, len(ids) - 1)]
    node_edits: list[tuple[int, str, Any]] = [
        *((k, "id", v) for k in (leaf, gate) for v in (5, True, "", None, Str(ids[k]))),
        (gate, "id", ids[leaf]),
        (leaf, "id", "x" * 101),
        *((gate, "op", v) for v in ("nope", 5, None, Str(nodes[gate]["op"]), "group", "sum")),
        (gate, "op", "matmul"),
        (leaf, "op", "const"),
        (leaf, "op", "add"),
        *((gate, "inputs", v) for v in (None, "a", [5], [], [ids[leaf]] * 3, (ids[leaf],))),
        (gate, "inputs", [Str(ids[leaf])] * len(nodes[gate]["inputs"])),
        (gate, "inputs", [later] * len(nodes[gate]["inputs"])),
        (gate, "inputs", [ids[gate]] * len(nodes[gate]["inputs"])),
        (gate, "inputs", ["nowhere"] * len(nodes[gate]["inputs"])),
        (leaf, "inputs", [ids[0]]),
        (leaf, "inputs", []),
        *((k, "params", v) for k in (leaf, gate) for v in ({"c": 1.0}, {}, None, [], Dict())),
        *((gate, "params", {"a": v}) for v in ODD_VALUES),
        *((gate, "params", {"p": v}) for v in ODD_VALUES),
        *((gate, "params", {"c": v}) for v in ODD_VALUES),
        (gate, "params", {"c": 1.0, "a": 2.0}),
        *((leaf, "value", v) for v in ODD_VALUES),
        *((gate, "value", v) for v in ODD_VALUES),
    ]
    for k, key, value in node_edits:
        changed, dropped = copy.deepcopy(circuit), copy.deepcopy(circuit)
        changed["nodes"][k][key] = value
        dropped["nodes"][k].pop(key, None)
        yield changed
        yield dropped
    for k in (leaf, gate):
        for replacement in (Dict(nodes[k]), None, [1], dict(nodes[k], extra=1)):
            yield {**circuit, "nodes": [*nodes[:k], replacement, *nodes[k + 1 :]]}
        yield {**circuit, "nodes": nodes[:k] + nodes[k + 1 :]}
    spare = {"id": "spare", "op": "input", "value": 1.0}
    for key, values in {
        "output": [ids[leaf], "nowhere", 5, None, Str(ids[-1]), ids[-1]],
        "output_grad": ODD_VALUES,
        "version": [2, True, "1", 1.0, None, 1],
        "nodes": [[], (), None, [*nodes, spare]],
    }.items():
        for value in values:
            yield {**circuit, key: value}
    yield {**circuit, "nodes": [*nodes, spare], "output": ids[-1]}
    yield {k: v for k, v in circuit.items() if k != "output"}
    yield Dict(circuit)


def same(a: Flat, b: Flat) -> bool:
    for name, x in vars(a).items():
        y = getattr(b, name)
        if isinstance(x, np.ndarray):
            if x.dtype != y.dtype or not np.array_equal(x, y):
                return False
        elif orjson.dumps(x) != orjson.dumps(y) or type(x) is not type(y):
            return False
    return True


def valid_circuits() -> list[Circuit]:
    return [
        engine.parse(EVERY_TAPE_GATE, {"x": 0.7, "y": 1.3, "z": -0.4}),
        *(engine.random_circuit(60, seed=seed) for seed in range(6)),
        workloads.scalar_mlp(3, [4, 2]),
        *scalar_examples(),
    ]


@needs_c
@pytest.mark.parametrize("circuit", valid_circuits())
def test_c_flatten_accepts_only_what_python_accepts_and_reads_the_same(circuit: Circuit) -> None:
    limits = engine.Limits()
    accepted = rejected = 0
    for changed in [circuit, *mutations(circuit, random.Random(len(circuit["nodes"])))]:
        fast = native.native_flatten(changed, limits)
        slow = flatten(changed, limits)
        if fast is None:
            rejected += 1
            continue
        accepted += 1
        assert slow is not None and same(fast, slow), changed
        check_bounds(changed, limits)  # skipped after the C reader: it must never raise
    assert native.native_flatten(circuit, limits) is not None
    assert accepted > 10 and rejected > 50


@needs_c
def test_c_flatten_keeps_the_bounds() -> None:
    circuit = engine.parse("x * y", {"x": 1, "y": 2})
    assert native.native_flatten(circuit, engine.Limits(max_id_chars=1)) is not None
    assert native.native_flatten(circuit, engine.Limits(max_id_chars=0)) is None
    assert native.native_flatten(circuit, engine.Limits(max_gate_inputs=1)) is None
    assert native.native_flatten(circuit, engine.Limits(max_nodes=2)) is None


# ---------------------------------------------------------------- whole evaluations


def both_paths() -> list[Circuit]:
    return [
        *valid_circuits(),
        engine.random_circuit(3000, seed=11),
        workloads.scalar_mlp(8, [16, 16, 1]),
        engine.parse("exp(x) * y", {"x": 1000.0, "y": 2.0}),  # not finite: the general path
        engine.parse("log(x) + 1 / y", {"x": 2.0, "y": 0.0}),  # raises: the general path
    ]


def answer_text(run: Callable[[], Any]) -> bytes:
    """The answer as JSON (every float to the bit), or the error the evaluation raised."""
    try:
        return orjson.dumps(run())
    except engine.errors.CircuitError as error:
        return orjson.dumps(error.to_dict())


@needs_c
@pytest.mark.parametrize("circuit", both_paths())
@pytest.mark.parametrize("trace", [True, False])
def test_c_and_python_tapes_give_the_same_answer_to_the_bit(
    circuit: Circuit, trace: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiled = engine.compile(circuit)
    assert compiled.tape is not None and compiled.tape.c is not None
    fast = answer_text(lambda: engine.evaluate(circuit, trace=trace))
    monkeypatch.setattr(native, "module", None)
    slow_compiled = engine.compile(circuit)
    assert slow_compiled.tape is not None and slow_compiled.tape.c is None
    assert answer_text(lambda: engine.evaluate(circuit, trace=trace)) == fast


@needs_c
def test_the_answers_containers_are_left_to_reference_counting() -> None:
    """The first collection after a large evaluation does not walk the answer: none of its
    dicts and lists is tracked by the cyclic collector (they hold no cycle)."""
    answer = engine.evaluate(engine.random_circuit(300, seed=2), trace=True)
    steps = answer["trace"]["forward"] + answer["trace"]["backward"]
    ports = [port for gate in answer["trace"]["backward"] for port in gate["inputs"]]
    fields = [answer[name] for name in ("values", "gradients", "shapes", "order")]
    inner = [*fields, *answer["shapes"].values(), *steps, *ports]
    inner += [step["inputs"] for step in steps] + list(answer["trace"].values())
    assert len(inner) > 1500 and not any(map(gc.is_tracked, inner))


@needs_c
def test_the_trace_shares_the_answers_numbers() -> None:
    answer = engine.evaluate(engine.random_circuit(300, seed=8), trace=True)
    values, gradients = answer["values"], answer["gradients"]
    assert all(step["value"] is values[step["id"]] for step in answer["trace"]["forward"])
    assert all(gate["upstream"] is gradients[gate["id"]] for gate in answer["trace"]["backward"])
    last = {port["input"]: port for gate in answer["trace"]["backward"] for port in gate["inputs"]}
    assert all(port["total"] is gradients[node] for node, port in last.items())
    ones = [(gate, port) for gate in answer["trace"]["backward"] for port in gate["inputs"]]
    ones = [(gate, port) for gate, port in ones if port["local"] == 1.0]
    assert ones and all(port["sent"] is gate["upstream"] for gate, port in ones)


def test_an_answer_can_be_changed_without_changing_the_next() -> None:
    compiled = engine.compile(engine.random_circuit(50, seed=4))
    first = compiled.evaluate()
    expected = orjson.dumps(first)
    values = dict(first["values"])
    first["order"].reverse()
    first["shapes"][first["output"]].append(1)
    first["gradients"].update(dict.fromkeys(first["gradients"], 0.5))
    assert first["values"] == values and first["shapes"]["x0"] == []
    first["values"].clear()
    assert orjson.dumps(compiled.evaluate()) == expected


def test_evaluations_keep_no_reference_to_the_circuit_or_the_answer() -> None:
    circuit = engine.random_circuit(200, seed=6)
    node_id = circuit["nodes"][-1]["id"]
    answer = engine.evaluate(circuit, trace=True)
    value = answer["values"][node_id]
    held = sys.getrefcount(node_id), sys.getrefcount(value)
    for trace in (True, False) * 5:
        engine.evaluate(circuit, trace=trace)
    assert (sys.getrefcount(node_id), sys.getrefcount(value)) == held
    del answer
    assert sys.getrefcount(value) == 2  # `value` and the call's argument


@pytest.mark.usefixtures("python_only")
def test_without_the_extension_everything_runs_on_the_python_tape() -> None:
    circuit = engine.random_circuit(500, seed=3)
    compiled = engine.compile(circuit)
    assert compiled.tape is not None and compiled.tape.c is None
    assert native.native_flatten(circuit, engine.Limits()) is None
    result = engine.evaluate(engine.parse("(x + y) * z", {"x": -2, "y": 5, "z": -4}))
    assert (result["gradients"]["x"], result["gradients"]["z"]) == (-4.0, 3.0)


@pytest.mark.parametrize("seed", range(3))
def test_tape_gradients_match_central_differences(seed: int) -> None:
    circuit = engine.random_circuit(200, seed=seed)
    checked = engine.gradcheck(circuit)  # central differences on the general evaluator
    gradients = engine.evaluate(circuit, trace=False)["gradients"]
    for name, row in checked["inputs"].items():
        assert gradients[name] == pytest.approx(row["numeric"], rel=1e-4, abs=1e-6)


# ---------------------------------------------------------------- re-evaluation as arrays


@pytest.mark.parametrize("c_loops", [True, False])
def test_arrays_hold_the_answer_in_its_order(
    c_loops: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not c_loops:
        monkeypatch.setattr(native, "module", None)
    circuit = engine.random_circuit(500, seed=5)
    compiled = engine.compile(circuit)
    new = {n["id"]: -n["value"] for n in circuit["nodes"] if n["op"] == "input"}
    found, gradients = compiled.arrays(new)
    answer = compiled.evaluate(new)
    assert found.dtype == gradients.dtype == np.float64
    assert orjson.dumps(found.tolist()) == orjson.dumps(list(answer["values"].values()))
    assert orjson.dumps(gradients.tolist()) == orjson.dumps(list(answer["gradients"].values()))
    assert list(answer["values"]) == answer["order"]


def test_arrays_refuse_what_evaluate_refuses() -> None:
    compiled = engine.compile(engine.parse("exp(x) * y", {"x": 1, "y": 2}))
    with pytest.raises(engine.errors.NonFiniteError) as caught:
        compiled.arrays({"x": 1000.0})
    assert caught.value.node == "exp1"
    with pytest.raises(engine.errors.ValueError_, match="not an input"):
        compiled.arrays({"f": 1.0})
    with pytest.raises(engine.errors.ShapeError):
        compiled.arrays({"x": [1.0, 2.0]})
    tensors = engine.compile(engine.parse("sum(W @ x)", {"W": [[1, 2]], "x": [3, 4]}))
    with pytest.raises(engine.errors.ShapeError, match="scalar circuit"):
        tensors.arrays()


def test_the_compiled_modules_examples_run() -> None:
    assert doctest.testmod(engine.compiled).failed == 0


def test_the_api_references_arrays_example_runs() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "api-shapes.md").read_text()
    example = text[text.index(">>> compiled = engine.compile") :].split("```")[0]
    parser = doctest.DocTestParser()
    test = parser.get_doctest(example, {"engine": engine}, "api-shapes.md", None, 0)
    assert doctest.DocTestRunner().run(test).failed == 0


# ---------------------------------------------------------------- the cache's key


@needs_c
@pytest.mark.parametrize("circuit", valid_circuits())
def test_c_structure_keys_meet_only_where_python_keys_do(circuit: Circuit) -> None:
    revalued = copy.deepcopy(circuit)
    for node in revalued["nodes"]:
        if node["op"] in ("input", "const"):
            node["value"] = -node["value"] + 0.5
    variants = [circuit, revalued, *mutations(circuit, random.Random(3))]
    keys = [(native.structure(v), structure_key(v)) for v in variants]
    for (fast_a, slow_a), (fast_b, slow_b) in itertools.combinations(keys, 2):
        if fast_a is not None and fast_a == fast_b:
            assert slow_a is not None and slow_a == slow_b
    assert keys[0][0] is not None and keys[0][0] == keys[1][0]
    assert len({fast for fast, _ in keys if fast is not None}) > 50


@needs_c
def test_a_cache_hit_on_the_c_key_gives_the_new_values_answer() -> None:
    cache = engine.CircuitCache()
    circuit = engine.random_circuit(300, seed=9)
    revalued = copy.deepcopy(circuit)
    for node in revalued["nodes"]:
        if node["op"] == "input":
            node["value"] = node["value"] * 0.5
    for run in (circuit, revalued):
        got = cache.evaluate(run, engine.Limits(), trace=True, deadline=None)
        assert orjson.dumps(got) == orjson.dumps(engine.evaluate(run))
    assert (cache.stats()["hits"], cache.stats()["misses"]) == (1, 1)
    grouped = {"nodes": [*circuit["nodes"], {"id": "g", "op": "group", "inputs": ["x0"]}]}
    assert native.structure(grouped) is None is structure_key(grouped)
