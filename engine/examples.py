"""The worked examples of the notes, each a ready-made circuit.

Circuits are written out node by node (not parsed), with the ids the notes
use, so that the tests check the evaluator against the notes' printed numbers
without going through the parser.
"""

from __future__ import annotations

import copy
import random
from typing import Any

from engine.circuit import FORMAT_VERSION


def _inp(node_id: str, value: Any, label: str | None = None) -> dict[str, Any]:
    node: dict[str, Any] = {"id": node_id, "op": "input", "value": value}
    if label:
        node["label"] = label
    return node


def _gate(node_id: str, op: str, *inputs: str, **params: float) -> dict[str, Any]:
    node: dict[str, Any] = {"id": node_id, "op": op, "inputs": list(inputs)}
    if params:
        node["params"] = params
    return node


def _example(
    example_id: str,
    title: str,
    section: str,
    description: str,
    nodes: list[dict[str, Any]],
    output: str,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "id": example_id,
        "title": title,
        "section": section,
        "description": description,
        "circuit": {"version": FORMAT_VERSION, "nodes": nodes, "output": output, **extra},
    }


def _neuron_inputs() -> list[dict[str, Any]]:
    return [
        _inp("w0", 2.0),
        _inp("x0", -1.0),
        _inp("w1", -3.0),
        _inp("x1", -2.0),
        _inp("w2", -3.0),
        _gate("w0x0", "mul", "w0", "x0"),
        _gate("w1x1", "mul", "w1", "x1"),
        _gate("s", "add", "w0x0", "w1x1"),
        _gate("dot", "add", "s", "w2"),
    ]


def _matrix(rows: int, cols: int, seed: int) -> list[list[float]]:
    """Small, varied, reproducible entries (no random generator to drift between versions)."""
    return [[((seed + 7 * i + 3 * j) % 11 - 5) / 4 for j in range(cols)] for i in range(rows)]


EXAMPLES: list[dict[str, Any]] = [
    _example(
        "multiply",
        "f = xy",
        "Simple expressions",
        "A single multiply gate: each input's gradient is the other input's value.",
        [_inp("x", 4.0), _inp("y", -3.0), _gate("f", "mul", "x", "y")],
        "f",
    ),
    _example(
        "max",
        "f = max(x, y)",
        "Simple expressions",
        "The max gate sends the whole gradient to the larger input and none to the other.",
        [_inp("x", 4.0), _inp("y", 2.0), _gate("f", "max", "x", "y")],
        "f",
    ),
    _example(
        "add-mul",
        "f = (x + y) z",
        "Compound expressions",
        "Two gates chained: the add gate learns its output's gradient from the multiply "
        "gate and passes it to both inputs.",
        [
            _inp("x", -2.0),
            _inp("y", 5.0),
            _inp("z", -4.0),
            _gate("q", "add", "x", "y"),
            _gate("f", "mul", "q", "z"),
        ],
        "f",
    ),
    _example(
        "neuron",
        "2-D neuron, one sigmoid gate",
        "Modularity: sigmoid",
        "A neuron w0·x0 + w1·x1 + w2 squashed by a single sigmoid gate, whose local gradient "
        "is (1 − σ)σ.",
        [*_neuron_inputs(), _gate("f", "sigmoid", "dot")],
        "f",
    ),
    _example(
        "neuron-primitives",
        "2-D neuron, sigmoid as primitive gates",
        "Modularity: sigmoid",
        "The same neuron with the sigmoid spelled out as ×(−1), exp, +1 and 1/x: the "
        "gradients on w and x come out the same as with one sigmoid gate.",
        [
            *_neuron_inputs(),
            _gate("neg", "mul_const", "dot", a=-1.0),
            _gate("e", "exp", "neg"),
            _gate("den", "add_const", "e", c=1.0),
            _gate("f", "inv", "den"),
        ],
        "f",
    ),
    _example(
        "staged",
        "Staged computation",
        "Backprop in practice",
        "(x + σ(y)) / (σ(x) + (x + y)²) in small stages; x and y feed several gates, so "
        "their gradients add up at the forks.",
        [
            _inp("x", 3.0),
            _inp("y", -4.0),
            _gate("sigy", "sigmoid", "y"),
            _gate("num", "add", "x", "sigy"),
            _gate("sigx", "sigmoid", "x"),
            _gate("xpy", "add", "x", "y"),
            _gate("xpysqr", "pow", "xpy", p=2.0),
            _gate("den", "add", "sigx", "xpysqr"),
            _gate("invden", "inv", "den"),
            _gate("f", "mul", "num", "invden"),
        ],
        "f",
    ),
    _example(
        "patterns",
        "Patterns in backward flow",
        "Patterns in backward flow",
        "2(xy + max(z, w)): add distributes, max routes, mul swaps.",
        [
            _inp("x", 3.0),
            _inp("y", -4.0),
            _inp("z", 2.0),
            _inp("w", -1.0),
            _gate("xy", "mul", "x", "y"),
            _gate("m", "max", "z", "w"),
            _gate("s", "add", "xy", "m"),
            _gate("f", "mul_const", "s", a=2.0),
        ],
        "f",
    ),
    _example(
        "scaled-inputs",
        "Unintuitive effects: scaled data",
        "Patterns in backward flow",
        "A multiply hands each input the other input's value. Slide the scale s from 1 to "
        "1000: the data s·x grows, and the weight's gradient dw = s·x grows by the same "
        "factor, so a step size that suited the data before is now far too large.",
        [
            _inp("w", 2.0),
            _inp("x", 3.0),
            {**_inp("s", 1.0), "slider": {"min": 1, "max": 1000}},
            _gate("sx", "mul", "s", "x"),
            _gate("f", "mul", "w", "sx"),
        ],
        "f",
    ),
    _example(
        "matmul",
        "D = W·X",
        "Vectorized operations",
        "A matrix multiply with a given upstream gradient dD: dW = dD·Xᵀ and dX = Wᵀ·dD, "
        "the only products whose shapes fit.",
        [
            _inp("W", _matrix(5, 10, 1)),
            _inp("X", _matrix(10, 3, 4)),
            _gate("D", "matmul", "W", "X"),
        ],
        "D",
        output_grad=_matrix(5, 3, 9),
    ),
    _example(
        "two-layer",
        "Two-layer network on a batch",
        "Vectorized operations",
        "Four examples (the columns of X) pass through a hidden layer of five ReLUs and a "
        "linear output, scored by a squared loss. The bias b1 is a column that adds to every "
        "example; its gradient is summed over the batch. dW1 and dW2 are the weight updates "
        "a training step would use.",
        [
            _inp("X", _matrix(3, 4, 2)),
            _inp("W1", _matrix(5, 3, 5)),
            _inp("b1", [[0.1], [-0.3], [0.2], [0.05], [-0.1]]),
            _inp("W2", _matrix(1, 5, 3)),
            _inp("b2", 0.5),
            _inp("y", [[1.0, -0.5, 0.5, 0.0]]),
            _gate("h1", "matmul", "W1", "X"),
            _gate("z1", "add", "h1", "b1"),
            _gate("a1", "relu", "z1"),
            _gate("s", "matmul", "W2", "a1"),
            _gate("z2", "add", "s", "b2"),
            _gate("err", "sub", "z2", "y"),
            _gate("sq", "pow", "err", p=2.0),
            _gate("loss", "sum", "sq"),
        ],
        "loss",
    ),
    _example(
        "data-times-1000",
        "Data × 1000: weight gradients × 1000",
        "Patterns in backward flow",
        "W and V hold the same weights. W multiplies the data X as it is, V the same data "
        "scaled by 1000 in preprocessing. A multiply sends each side the other side's value, "
        "so V's gradient comes out exactly 1000 times W's: a learning rate that suits W "
        "would be 1000 times too large for V.",
        [
            _inp("X", _matrix(3, 4, 7)),
            _inp("W", _matrix(2, 3, 3)),
            _inp("V", _matrix(2, 3, 3)),
            _gate("X1000", "mul_const", "X", a=1000.0),
            _gate("D", "matmul", "W", "X"),
            _gate("E", "matmul", "V", "X1000"),
            _gate("f", "sum", "D", "E"),
        ],
        "f",
    ),
]


def list_examples() -> list[dict[str, Any]]:
    """Every example, as ``GET /api/examples`` lists them (a copy: callers may edit it)."""
    return copy.deepcopy(EXAMPLES)


def random_circuit(gates: int, seed: int = 0, inputs: int = 8) -> dict[str, Any]:
    """A reproducible circuit of about `gates` gates over `inputs` inputs (benchmarks, stress).

    Each step reads recent nodes and keeps every value in [-1, 1], so circuits of any size
    stay finite: multiply, relu, square, the average (add then ×0.5) and the half
    difference (subtract then ×0.5).
    """
    rng = random.Random(seed)
    nodes = [_inp(f"x{k}", round(rng.uniform(-1, 1), 3)) for k in range(inputs)]
    count = 0
    while count < gates:
        recent = [node["id"] for node in nodes[-16:]]
        a, b = rng.sample(recent, 2)
        kind = rng.choice(["mul", "relu", "square", "average", "difference"])
        if kind == "mul":
            nodes.append(_gate(f"g{count}", "mul", a, b))
        elif kind == "relu":
            nodes.append(_gate(f"g{count}", "relu", a))
        elif kind == "square":
            nodes.append(_gate(f"g{count}", "pow", a, p=2.0))
        else:
            op = "add" if kind == "average" else "sub"
            nodes.append(_gate(f"g{count}", op, a, b))
            count += 1
            nodes.append(_gate(f"g{count}", "mul_const", f"g{count - 1}", a=0.5))
        count += 1
    return {"version": FORMAT_VERSION, "nodes": nodes, "output": nodes[-1]["id"]}
