"""Types of the C extension built from csrc/ (see engine.native)."""

from typing import Any

ADD: int
SUB: int
MUL: int
DIV: int
MAX: int
MIN: int
POW: int
EXP: int
LOG: int
TANH: int
SIGMOID: int

def flatten(nodes: list[Any], named: Any, table: tuple[Any, ...]) -> tuple[Any, ...] | None: ...
def forward(kinds: Any, a: Any, b: Any, k: Any, slots: Any, start: int, stop: int) -> int: ...
def backward(
    gates: Any, a: Any, b: Any, la: Any, lb: Any, grad: Any, start: int, stop: int
) -> None: ...
def backward_traced(src: Any, dst: Any, local: Any, grad: Any, steps: Any, output: int) -> int: ...
def answer(ids: list[str], values: Any, grads: Any) -> tuple[Any, ...]: ...
def structure(circuit: dict[str, Any], group: str) -> bytes | None: ...
def trace_forward(
    ids: list[str], ops: list[str], inputs: list[list[str]], values: Any, found: Any
) -> list[dict[str, Any]]: ...
def trace_backward(
    ids: list[str], ops: list[str], grads: Any, steps: Any, gradients: Any
) -> list[Any]: ...
