"""Answer bodies for /docs and client generators: each status an operation can give,
with its schema and an example. Like `app.schemas`, these models only describe:
routes return the engine's JSON as it is, and the tests check that it fits them.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.schemas import Circuit, Tensor


class ErrorEntry(BaseModel):
    """What was refused and where: `loc` is a path into the request, `node` the node id."""

    model_config = ConfigDict(extra="allow")

    loc: list[str | int]
    msg: str
    type: str
    node: str | None = Field(default=None, description="The node the error is about.")
    position: int | None = Field(default=None, description="Character offset in the input.")


class ErrorBody(BaseModel):
    """Every refusal: FastAPI's own error shape, with one entry or more."""

    detail: list[ErrorEntry]


class ForwardStep(BaseModel):
    """One node's value, computed from its inputs' values."""

    model_config = ConfigDict(extra="allow")

    id: str
    op: str
    inputs: list[str]
    value: Tensor


class SentGradient(BaseModel):
    """What a gate sent one input: local gradient times upstream, and the running total."""

    model_config = ConfigDict(extra="allow")

    port: int
    input: str
    local: Tensor | None = Field(description="The local gradient; null where it is a matrix.")
    sent: Tensor
    total: Tensor
    accumulated: bool = Field(description="True where this adds to a gradient already sent.")


class BackwardStep(BaseModel):
    """One gate's backward step: its upstream gradient and what each input got."""

    model_config = ConfigDict(extra="allow")

    id: str
    op: str
    upstream: Tensor
    inputs: list[SentGradient]


class Trace(BaseModel):
    """The forward pass in topological order, then the backward pass in reverse."""

    forward: list[ForwardStep]
    backward: list[BackwardStep]


class Evaluation(BaseModel):
    """Every node's value and gradient (d output / d node)."""

    version: int
    output: str
    values: dict[str, Tensor]
    gradients: dict[str, Tensor]
    shapes: dict[str, list[int]] = Field(description="[] for a number, [n] or [rows, cols].")
    order: list[str] = Field(description="Node ids in the order they were evaluated.")
    trace: Trace | None = Field(default=None, description="Left out with ?trace=false.")
    circuit: Circuit | None = Field(default=None, description="For an expression: its circuit.")


class InputCheck(BaseModel):
    """One input's gradient by backprop beside its central difference."""

    analytic: Tensor
    numeric: Tensor
    rel_error: float


class GradientCheck(BaseModel):
    """Backprop against central differences for every input."""

    h: float
    inputs: dict[str, InputCheck]
    max_rel_error: float


class CodeLines(BaseModel):
    """A node's lines in the code, numbered from 1."""

    forward: list[int] = Field(description="The line that computes it.")
    backward: list[int] = Field(
        description="A gate's backprop lines, or the zero of a node the output does not reach."
    )


class StagedCode(BaseModel):
    """The circuit as Python: inputs, a forward line per gate, the backward pass in reverse."""

    language: str = Field(description="Always python.")
    code: str = Field(description="Runs as it is (numpy only for tensor circuits).")
    names: dict[str, str] = Field(description="Node id -> the variable holding its value.")
    gradients: dict[str, str] = Field(description="Node id -> the variable holding its gradient.")
    lines: dict[str, CodeLines]
    seed: int = Field(description="The line that seeds the output's gradient.")
    circuit: Circuit | None = Field(default=None, description="For an expression: its circuit.")


class SweepAnswer(BaseModel):
    """The output and its gradient along one input's range; null where not finite."""

    input: str
    output: str
    xs: list[float] = Field(description="The points, evenly spaced from `from` to `to`.")
    values: list[float | None] = Field(description="The output at each point.")
    gradients: list[float | None] = Field(description="d(output)/d(input) at each point.")


class Arity(BaseModel):
    min: int
    max: int | None = Field(description="null: any number of inputs.")


class GateInfo(BaseModel):
    """One row of the gate table."""

    model_config = ConfigDict(extra="allow")

    op: str
    title: str
    arity: Arity
    params: list[str]
    symbol: str
    forward: str
    local_gradient: list[str]


class GateList(BaseModel):
    gates: list[GateInfo]


class Example(BaseModel):
    """One of the notes' worked examples."""

    model_config = ConfigDict(extra="allow")

    id: str
    title: str
    circuit: Circuit


class ExampleList(BaseModel):
    examples: list[Example]


class Health(BaseModel):
    status: str
    version: str


class CacheStats(BaseModel):
    """The compiled-circuit cache behind /api/evaluate."""

    entries: int
    nodes: int
    max_entries: int
    max_nodes: int
    hits: int
    misses: int
    hit_rate: float


class ProcessCacheStats(CacheStats):
    """The cache of one evaluation process (heavy requests), as of its last answer."""

    pid: int


class Stats(BaseModel):
    """GET /api/stats."""

    cache: CacheStats = Field(description="This process's cache: light requests.")
    evaluation_processes: list[ProcessCacheStats] = Field(
        description="Each evaluation process's cache: heavy requests."
    )


class Saved(BaseModel):
    """A new saved circuit: its id and its link."""

    id: str
    url: str


class SavedCircuit(BaseModel):
    """A saved circuit exactly as it was saved."""

    id: str
    title: str | None
    circuit: dict[str, Any]
    created: str
    parent: str | None
    version: int


def _refusal(status: int, description: str, entry: dict[str, Any]) -> dict[int | str, Any]:
    example = {"detail": [entry]}
    return {
        status: {
            "model": ErrorBody,
            "description": description,
            "content": {"application/json": {"example": example}},
        }
    }


REFUSALS: dict[int | str, dict[str, Any]] = {
    **_refusal(
        408,
        "The body did not arrive in time.",
        {
            "loc": ["body"],
            "msg": "the request body did not arrive within the limit of 10 s",
            "type": "body_timeout",
        },
    ),
    **_refusal(
        413,
        "Over a size limit; the limit is in `msg`.",
        {
            "loc": ["body", "nodes"],
            "msg": "200000 nodes is over the limit of 100000",
            "type": "too_large",
        },
    ),
    **_refusal(
        415,
        "The body is not sent as application/json.",
        {
            "loc": ["header", "content-type"],
            "msg": "POST /api/evaluate takes application/json, got text/plain",
            "type": "unsupported_media_type",
        },
    ),
    **_refusal(
        422,
        "The body is not a valid request; `loc` and `node` say where.",
        {
            "loc": ["body", "nodes", 3, "inputs", 1],
            "msg": "node 'q': input 1 names 'w', which is not a node",
            "type": "dangling_input",
            "node": "q",
        },
    ),
}


BUSY = _refusal(
    503,
    "Every slot for heavy evaluations is taken; retry after `Retry-After` seconds.",
    {
        "loc": ["body"],
        "msg": "the server is busy with 2 large evaluation(s); ...",
        "type": "busy",
    },
)


BUSY[503]["headers"] = {
    "Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}
}


STORE_REFUSALS: dict[int | str, dict[str, Any]] = {
    **_refusal(
        404,
        "Nothing is saved under this id.",
        {"loc": ["path", "circuit_id"], "msg": "no circuit is saved as 'abc'", "type": "not_found"},
    ),
    **_refusal(
        429,
        "Too many saves from this client; retry after `Retry-After` seconds.",
        {"loc": [], "msg": "too many saves: 30 in 60 s", "type": "rate_limited"},
    ),
    **_refusal(
        503,
        "The database is not answering; retry after `Retry-After` seconds.",
        {"loc": [], "msg": "the circuit store is unavailable", "type": "store_unavailable"},
    ),
}


def answers(
    model: type[BaseModel],
    *,
    posts: bool = True,
    heavy: bool = False,
    status: int = 200,
    store: bool = False,
) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: `status` with `model`, the refusals a POST can get, 503
    where the route runs evaluations that can be heavy (see `app.capacity`), and the
    store's refusals for saved circuits."""
    return {
        status: {"model": model},
        **(REFUSALS if posts else {}),
        **(BUSY if heavy else {}),
        **(STORE_REFUSALS if store else {}),
    }
