"""The circuits the benchmarks run, built the way a user would send them."""

from __future__ import annotations

import random
from typing import Any

import engine

Circuit = dict[str, Any]


def random_scalar(gates: int) -> Circuit:
    """The seeded random circuit of `engine.random_circuit` (mul, relu, square, average...)."""
    return engine.random_circuit(gates, seed=gates)


def scalar_mlp(inputs: int, widths: list[int], seed: int = 0) -> Circuit:
    """A micrograd-style MLP unrolled to scalar gates: every weight and bias an input node,
    each neuron relu(sum_i w_i x_i + b) (linear in the last layer), the outputs summed."""
    rng = random.Random(seed)
    nodes: list[dict[str, Any]] = []

    def add(node: dict[str, Any]) -> str:
        nodes.append(node)
        return str(node["id"])

    def leaf(name: str, value: float) -> str:
        return add({"id": name, "op": "input", "value": round(value, 4)})

    layer = [leaf(f"x{i}", rng.uniform(-1, 1)) for i in range(inputs)]
    for depth, width in enumerate(widths):
        scale = len(layer) ** -0.5
        outputs = []
        for j in range(width):
            total = leaf(f"b{depth}_{j}", 0.0)
            for i, x in enumerate(layer):
                w = leaf(f"w{depth}_{j}_{i}", rng.uniform(-scale, scale))
                product = add({"id": f"m{depth}_{j}_{i}", "op": "mul", "inputs": [w, x]})
                total = add({"id": f"s{depth}_{j}_{i}", "op": "add", "inputs": [total, product]})
            last = depth == len(widths) - 1
            relu = {"id": f"h{depth}_{j}", "op": "relu", "inputs": [total]}
            outputs.append(total if last else add(relu))
        layer = outputs
    loss = layer[0]
    for k, out in enumerate(layer[1:]):
        loss = add({"id": f"loss{k}", "op": "add", "inputs": [loss, out]})
    return {"version": 1, "nodes": nodes, "output": loss}


MLP_SHAPES = {  # about 1k, 10k and 100k gates
    "1k": (10, [16, 16, 1]),
    "10k": (20, [64, 64, 1]),
    "100k": (50, [200, 200, 1]),
}


def tensor_mlp(batch: int = 256, features: int = 64, hidden: int = 32) -> Circuit:
    """sum(relu(X @ W1) @ W2) on a batch: the tensor path, four gates."""
    rng = random.Random(1)

    def matrix(rows: int, cols: int, scale: float) -> list[list[float]]:
        return [[rng.uniform(-scale, scale) for _ in range(cols)] for _ in range(rows)]

    return {
        "version": 1,
        "nodes": [
            {"id": "X", "op": "input", "value": matrix(batch, features, 1.0)},
            {"id": "W1", "op": "input", "value": matrix(features, hidden, features**-0.5)},
            {"id": "W2", "op": "input", "value": matrix(hidden, 1, hidden**-0.5)},
            {"id": "Z", "op": "matmul", "inputs": ["X", "W1"]},
            {"id": "H", "op": "relu", "inputs": ["Z"]},
            {"id": "Y", "op": "matmul", "inputs": ["H", "W2"]},
            {"id": "loss", "op": "sum", "inputs": ["Y"]},
        ],
        "output": "loss",
    }


def sigmoid_neuron() -> Circuit:
    """The notes' 2-d neuron f = sigmoid(w0 x0 + w1 x1 + w2)."""
    examples = {example["id"]: example["circuit"] for example in engine.list_examples()}
    circuit: Circuit = examples["neuron"]
    return circuit
