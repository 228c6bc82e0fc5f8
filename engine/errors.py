"""Every error the engine raises for bad input.

    CircuitError                 base: `msg`, `type`, `loc`, and `node` or `position`
    ├── ValidationError          the circuit is malformed (raised before any work)
    │   ├── BadCircuitError      not a JSON object of the circuit format's shape
    │   ├── DuplicateIdError
    │   ├── UnknownOpError
    │   ├── ArityError
    │   ├── ParamError           a missing, unknown or non-finite gate constant
    │   ├── DanglingInputError   an input id that names no node
    │   ├── CycleError           lists the ids around the cycle
    │   ├── OutputError          no such output, or several sinks and none named
    │   ├── ValueError_          a value that is not a finite number or a rectangular array
    │   ├── MissingValueError    an expression's variable with no value
    │   └── ShapeError
    ├── LimitError               over a configured size limit
    ├── NonFiniteError           a forward value or gradient that is not finite
    ├── DeadlineError            the evaluation passed its time budget and was stopped
    └── ParseError               an expression that does not parse; carries `position`

Each error knows where it happened: `loc` is a path into the request body in
FastAPI's style (``("nodes", 3, "inputs", 1)``), `node` the offending node id
and `position` the 0-based character offset in an expression.
"""

from __future__ import annotations

from collections.abc import Sequence

Loc = tuple[str | int, ...]


def entry(loc: Loc, msg: str, type: str, **extra: object) -> dict[str, object]:
    """One entry of FastAPI's ``detail`` list, ``{"loc", "msg", "type", ...}``: the one
    place that shape is built, for the engine's errors and the web layer's own."""
    return {"loc": list(loc), "msg": msg, "type": type, **extra}


class CircuitError(Exception):
    """Base class: a request the engine refuses, with where and why."""

    type = "circuit_error"

    def __init__(
        self,
        msg: str,
        *,
        loc: Loc = (),
        node: str | None = None,
        position: int | None = None,
    ) -> None:
        super().__init__(msg)
        self.msg = msg
        self.loc = loc
        self.node = node
        self.position = position

    def to_dict(self) -> dict[str, object]:
        """The error as one entry of FastAPI's ``detail`` list."""
        where = {"node": self.node, "position": self.position}
        return entry(
            self.loc, self.msg, self.type, **{k: v for k, v in where.items() if v is not None}
        )


class ValidationError(CircuitError):
    type = "invalid_circuit"


class BadCircuitError(ValidationError):
    type = "bad_circuit"


class DuplicateIdError(ValidationError):
    type = "duplicate_id"


class UnknownOpError(ValidationError):
    type = "unknown_op"


class ArityError(ValidationError):
    type = "arity"


class ParamError(ValidationError):
    type = "bad_param"


class DanglingInputError(ValidationError):
    type = "dangling_input"


class CycleError(ValidationError):
    type = "cycle"

    def __init__(self, cycle: Sequence[str], *, loc: Loc = ()) -> None:
        path = " -> ".join([*cycle, cycle[0]])
        super().__init__(f"the circuit has a cycle: {path}", loc=loc, node=cycle[0])
        self.cycle = list(cycle)

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "cycle": self.cycle}


class OutputError(ValidationError):
    type = "bad_output"


class ValueError_(ValidationError):  # the builtin's name is taken
    type = "bad_value"


class MissingValueError(ValidationError):
    type = "missing"


class ShapeError(ValidationError):
    type = "shape_mismatch"


class LimitError(CircuitError):
    type = "too_large"


class NonFiniteError(CircuitError):
    type = "not_finite"


class DeadlineError(CircuitError):
    type = "time_budget"


class ParseError(CircuitError):
    type = "parse_error"
