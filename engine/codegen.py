"""A circuit as staged Python code, written the way the notes write backprop by hand.

>>> import engine
>>> staged = engine.codegen({"expression": "(x + y) * z", "values": {"x": -2, "y": 5, "z": -4}})
>>> print(staged["code"])
# inputs
x = -2.0
y = 5.0
z = -4.0
<BLANKLINE>
# forward pass
add1 = x + y  #(1)
f = add1 * z  #(2)
<BLANKLINE>
# backward pass, in reverse: df holds the gradient of f, and so on.
# A node's first gradient is assigned with =, and at a fork each further one is added with +=.
df = 1.0
<BLANKLINE>
# backprop f = add1 * z
dadd1 = (z) * df  #(2)
dz = (add1) * df  #(2)
<BLANKLINE>
# backprop add1 = x + y
dx = (1) * dadd1  #(1)
dy = (1) * dadd1  #(1)
<BLANKLINE>
>>> ns = {}; exec(staged["code"], ns); ns[staged["gradients"]["x"]]
-4.0

The code assigns the inputs first, then runs the forward pass one line per gate into
intermediate variables, each line tagged ``#(n)``, then the backward pass in reverse
with a ``d<name>`` per node, each line tagged with the ``#(n)`` of the forward line it
backprops through. Every line is written from the gate table's rule text
(`engine.pyrules`); names come from `engine.pynames`. Scalar code needs only `math`;
tensor code uses numpy, with gradients summed back to a scalar input's shape.

The answer also gives, per node, the 1-based numbers of its lines: ``lines[id]["forward"]``
computes it, ``lines[id]["backward"]`` sends its gradient on (a gate's backprop lines, or
the zero of a node the output does not depend on); ``seed`` is the line that seeds the
output's gradient.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from engine.api import circuit_of
from engine.budget import check_memory
from engine.circuit import Program, compile_circuit
from engine.deadline import Deadline
from engine.evaluate import backward, forward, on_time
from engine.gc_pause import gc_paused
from engine.pynames import assign
from engine.pyrules import arg, fill, translate
from engine.values import Limits

HELPERS = {
    "sigmoid": [
        "def sigmoid(x):",
        '    """1 / (1 + e^-x), written so that math.exp cannot overflow."""',
        "    if x >= 0:",
        "        return 1.0 / (1.0 + math.exp(-x))",
        "    return math.exp(x) / (1.0 + math.exp(x))",
    ],
    "np_sigmoid": [
        "def np_sigmoid(x):",
        '    """1 / (1 + e^-x) elementwise, written so that np.exp cannot overflow."""',
        "    e = np.exp(-np.abs(x))",
        "    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))",
    ],
}


def codegen(
    request: Any, *, limits: Limits = Limits(), deadline: Deadline | None = None
) -> dict[str, Any]:
    """``{"language": "python", "code", "names", "gradients", "lines", "seed"}`` for a circuit or
    ``{"expression", "values"}``. What `engine.evaluate` refuses is refused the same way,
    so the code always runs."""
    with gc_paused():
        circuit, parsed = circuit_of(request, limits)
        program = compile_circuit(circuit, limits)
        check_memory(program, False, limits, code=True)
        backward(program, forward(program, deadline=deadline), deadline=deadline)
        answer = _Staged(program, deadline).answer()
    if parsed:
        answer["circuit"] = circuit
    return answer


class _Staged:
    """Writes the code's lines, keeping which node each line belongs to."""

    def __init__(self, program: Program, deadline: Deadline | None) -> None:
        self.program, self.deadline = program, deadline
        self.names = assign(program.ids)
        self.body: list[str] = []
        self.lines: dict[str, dict[str, list[int]]] = {
            node: {"forward": [], "backward": []} for node in program.ids
        }
        self.forward_text: dict[int, str] = {}
        self.number: dict[int, int] = {}  # gate -> its n in #(n)
        self.seed = 0  # the line seeding the output's gradient
        self.rules: set[str] = set()  # every rule template written, for the imports

    def answer(self) -> dict[str, Any]:
        self._inputs()
        self._forward()
        self._backward()
        header = _header("\n".join(self.rules))
        for where in self.lines.values():
            for part in where.values():
                part[:] = [len(header) + n + 1 for n in part]
        return {
            "language": "python",
            "code": "\n".join([*header, *self.body]) + "\n",
            "names": self.names,
            "gradients": {node: "d" + name for node, name in self.names.items()},
            "lines": self.lines,
            "seed": len(header) + self.seed + 1,
        }

    def _emit(self, line: str, node: str | None = None, part: str = "forward") -> None:
        if node is not None:
            self.lines[node][part].append(len(self.body))
        self.body.append(line)

    def _inputs(self) -> None:
        self._emit("# inputs")
        for k, gate in enumerate(self.program.gates):
            if gate.leaf:
                node = self.program.ids[k]
                self._emit(f"{self.names[node]} = {self._literal(self.program.init[k])}", node)

    def _forward(self) -> None:
        self._emit("")
        self._emit("# forward pass")
        for k, gate in enumerate(self.program.gates):
            on_time(self.deadline, k)
            if gate.leaf:
                continue
            self.number[k] = len(self.number) + 1
            text, _ = translate(gate.forward_code, *self._signature(k, self._rank(k)))
            self.rules.add(text)
            node = self.program.ids[k]
            self.forward_text[k] = f"{self.names[node]} = {fill(text, self._slots(k))}"
            self._emit(f"{self.forward_text[k]}  #({self.number[k]})", node)

    def _backward(self) -> None:
        program = self.program
        out = self.names[program.ids[program.output]]
        dout = "d" + out
        self._emit("")
        self._emit(f"# backward pass, in reverse: {dout} holds the gradient of {out}, and so on.")
        self._emit(
            "# A node's first gradient is assigned with =, "
            "and at a fork each further one is added with +=."
        )
        self.seed = len(self.body)
        self._emit(f"{dout} = {self._literal(program.output_grad)}")
        sent: set[int] = {program.output}
        for k in range(program.output, -1, -1):
            on_time(self.deadline, k)
            if program.needed[k] and not program.gates[k].leaf:
                self._backprop(k, sent)
        self._unreached(sent)

    def _backprop(self, k: int, sent: set[int]) -> None:
        program, node = self.program, self.program.ids[k]
        gate, n = program.gates[k], self.number[k]
        self._emit("")
        self._emit(f"# backprop {self.forward_text[k]}")
        slots = {**self._slots(k), "OUT_": self.names[node], "GRAD_": "d" + self.names[node]}
        for port, j in enumerate(program.inputs[k]):
            text = gate.local_code[port if len(gate.local_code) > 1 else 0]
            target = self._rank(j)
            local, rank = translate(text, *self._signature(k, target))
            if "GRAD_" not in local:
                local, rank = f"({local}) * GRAD_", max(rank, self._rank(k))
            if target == 0 and rank:
                local = f"np.sum({local})"
            elif target and not rank:
                local = f"np.full_like({arg(port)}, {local})"
            elif gate.shape_rule == "elementwise":
                local = self._sum_back(local, program.shapes[j], program.shapes[k])
            self.rules.add(local)
            assign = "+=" if j in sent else "="
            sent.add(j)
            line = f"d{self.names[program.ids[j]]} {assign} {fill(local, slots)}  #({n})"
            self._emit(line, node, "backward")

    @staticmethod
    def _sum_back(local: str, shape: tuple[int, ...], broadcast: tuple[int, ...]) -> str:
        """A gradient of the broadcast shape summed back to an input's own shape, as numpy's
        broadcasting rules stretched it: over the leading axes it lacks, and over each axis
        where it has 1 (kept, so a (5, 1) bias gets a (5, 1) gradient)."""
        lead = len(broadcast) - len(shape)
        if lead:
            local = f"np.sum({local}, axis={0 if lead == 1 else tuple(range(lead))})"
        own = zip(shape, broadcast[lead:], strict=True)
        ones = [i for i, (a, b) in enumerate(own) if a == 1 < b]
        if ones:
            axis = ones[0] if len(ones) == 1 else tuple(ones)
            local = f"np.sum({local}, axis={axis}, keepdims=True)"
        return local

    def _unreached(self, sent: set[int]) -> None:
        program = self.program
        missing = [k for k in range(len(program.ids)) if k not in sent]
        if not missing:
            return
        out = self.names[program.ids[program.output]]
        self._emit("")
        self._emit(f"# nodes {out} does not depend on: their gradient is 0")
        for k in missing:
            shape = program.shapes[k]
            zero = f"np.zeros({shape!r})" if shape else "0.0"
            self.rules.add(zero)
            node = program.ids[k]
            self._emit(f"d{self.names[node]} = {zero}", node, "backward")

    def _literal(self, value: Any) -> str:
        """A number as Python writes it, or a tensor as an np.array of its rows."""
        if isinstance(value, np.ndarray):
            self.rules.add("np.array")
            return f"np.array({value.tolist()!r})"
        return repr(float(value))

    def _rank(self, k: int) -> int:
        return len(self.program.shapes[k])

    def _signature(self, k: int, target: int) -> tuple[Any, ...]:
        """`translate`'s arguments after the text, for gate k and a result of rank `target`."""
        params = tuple(sorted(self.program.params[k].items()))
        ranks = tuple(self._rank(j) for j in self.program.inputs[k])
        return params, ranks, self._rank(k), target

    def _slots(self, k: int) -> dict[str, str]:
        ids = self.program.ids
        return {arg(p): self.names[ids[j]] for p, j in enumerate(self.program.inputs[k])}


def _header(body: str) -> list[str]:
    """The imports and helper functions `body` (the rules written) uses, then blank lines."""
    header = []
    if re.search(r"\bmath\.|\bsigmoid\(", body):
        header.append("import math")
    if re.search(r"\bnp\.|\bnp_sigmoid\(", body):
        header.append("import numpy as np")
    helpers = [name for name in HELPERS if re.search(rf"\b{name}\(", body)]
    for name in helpers:
        header += ["", "", *HELPERS[name]]
    if helpers:
        header.append("")
    return [*header, ""] if header else []
