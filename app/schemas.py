"""Request models and examples for /docs only.

The engine is the one validator: routes hand it the parsed JSON as plain dicts,
so these models describe the circuit format's shapes for OpenAPI and never reject a
request themselves. Extra fields (``ui``, ``label``, ``version``...) are welcome.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from engine.gates import FUNCTIONS
from engine.values import MAX_SEED

Tensor = float | list[float] | list[list[float]]


class SeededTensor(BaseModel):
    """A tensor given by its shape and a seed: numpy.random.default_rng(seed)
    .standard_normal(shape) * scale."""

    model_config = ConfigDict(extra="forbid")

    shape: list[int] = Field(min_length=1, max_length=2, description="[n] or [rows, cols].")
    seed: int = Field(ge=0, le=MAX_SEED, description="The generator's seed.")
    scale: float = Field(default=1.0, description="Multiplies every number.")


Value = Tensor | SeededTensor


class Node(BaseModel):
    """One node of a circuit: an input, a constant or a gate."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(description="Unique id; other nodes name it in their `inputs`.")
    op: str = Field(description="A gate name from GET /api/gates, or `input` / `const`.")
    inputs: list[str] = Field(default=[], description="Ids of the input nodes, in port order.")
    value: Value | None = Field(default=None, description="For `input` and `const` only.")
    params: dict[str, float] | None = Field(default=None, description="Gate constants.")
    label: str | None = Field(default=None, description="Optional display name.")
    ui: dict[str, Any] | None = Field(default=None, description="Front-end data; ignored.")
    name: str | None = Field(default=None, description="A group's name, e.g. `sigmoid`.")
    ports: list[str] | None = Field(
        default=None, description="A group's body inputs, in the order of its `inputs`."
    )
    body: dict[str, Any] | None = Field(
        default=None,
        description="A group's inside (op `group`): a circuit of this format, whose "
        "`output` is the group's value.",
    )


class Circuit(BaseModel):
    """A circuit: its nodes, and the node whose gradient is taken."""

    model_config = ConfigDict(extra="allow")

    version: int | None = Field(default=None, description="The saved-format version, 1.")
    nodes: list[Node] = Field(min_length=1)
    output: str | None = Field(default=None, description="May be left out with one sink.")
    output_grad: Value | None = Field(default=None, description="Upstream gradient (tensors).")
    ui: dict[str, Any] | None = None


OPERATORS = "`+ - * / ** ^ @`"
FUNCTION_LIST = ", ".join(gate.call_text() for gate in FUNCTIONS.values())


class ExpressionRequest(BaseModel):
    """An expression such as `(x + y) * z`, with values for its variables."""

    model_config = ConfigDict(extra="allow")

    expression: str = Field(
        min_length=1,
        pattern=r"\S",
        description=f"{OPERATORS} and the functions {FUNCTION_LIST}.",
    )
    values: dict[str, Value] | None = Field(
        default=None,
        description="Variable -> value. /api/evaluate and /api/gradcheck need every variable; "
        "/api/parse gives a missing one the value 1.",
    )


class SweepFields(BaseModel):
    """What /api/sweep takes beside a circuit's or an expression's own fields."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    input: str = Field(description="The id of the input node to sweep (scalar circuits only).")
    start: float = Field(alias="from", description="The range's first point.")
    stop: float = Field(alias="to", description="The range's last point, above `from`.")
    points: int = Field(default=101, ge=2, description="Evenly spaced points, ends included.")


class CircuitSweep(Circuit, SweepFields):
    """A circuit, with the input to sweep and its range."""


class ExpressionSweep(ExpressionRequest, SweepFields):
    """An expression with its values, with the input to sweep and its range."""


NOTES_CIRCUIT: dict[str, Any] = {
    "nodes": [
        {"id": "x", "op": "input", "value": -2},
        {"id": "y", "op": "input", "value": 5},
        {"id": "z", "op": "input", "value": -4},
        {"id": "q", "op": "add", "inputs": ["x", "y"]},
        {"id": "f", "op": "mul", "inputs": ["q", "z"]},
    ],
    "output": "f",
}
NOTES_EXPRESSION: dict[str, Any] = {
    "expression": "(x + y) * z",
    "values": {"x": -2, "y": 5, "z": -4},
}
MATMUL_CIRCUIT: dict[str, Any] = {
    "nodes": [
        {"id": "W", "op": "input", "value": [[1, 2, 3], [4, 5, 6]]},
        {"id": "X", "op": "input", "value": [[1, 0], [0, 1], [1, 1]]},
        {"id": "D", "op": "matmul", "inputs": ["W", "X"]},
    ],
    "output": "D",
    "output_grad": [[1, 0], [0, 1]],
}
BIAS_CIRCUIT: dict[str, Any] = {
    "nodes": [
        {"id": "M", "op": "input", "value": [[1, 2, 3], [4, 5, 6]]},
        {"id": "b", "op": "input", "value": [[10], [20]]},
        {"id": "h", "op": "add", "inputs": ["M", "b"]},
    ],
    "output": "h",
}
SEEDED_EXPRESSION: dict[str, Any] = {
    "expression": "sum(W @ X)",
    "values": {"W": {"shape": [5, 10], "seed": 0}, "X": {"shape": [10, 3], "seed": 1}},
}

CIRCUIT_EXAMPLES: dict[str, dict[str, Any]] = {
    "notes": {"summary": "The notes' (x + y) * z", "value": NOTES_CIRCUIT},
    "matmul": {"summary": "D = W @ X with an upstream dD", "value": MATMUL_CIRCUIT},
    "bias": {"summary": "A (2, 1) bias added to every column", "value": BIAS_CIRCUIT},
}
EXPRESSION_EXAMPLES: dict[str, dict[str, Any]] = {
    "expression": {"summary": "(x + y) * z as an expression", "value": NOTES_EXPRESSION},
    "seeded": {"summary": "sum(W @ X), W and X drawn from seeds", "value": SEEDED_EXPRESSION},
}
SWEEP_EXAMPLES: dict[str, dict[str, Any]] = {
    "notes": {
        "summary": "f = (x + y) z as x runs from -5 to 5",
        "value": {**NOTES_CIRCUIT, "input": "x", "from": -5, "to": 5, "points": 11},
    },
    "expression": {
        "summary": "sigmoid(x) from -6 to 6",
        "value": {
            "expression": "sigmoid(x)",
            "values": {"x": 0},
            "input": "x",
            "from": -6,
            "to": 6,
            "points": 13,
        },
    },
}
