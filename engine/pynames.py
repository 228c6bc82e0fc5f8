"""Python variable names for node ids, for the staged code (`engine.codegen`).

Every node gets a name ``v`` and a gradient name ``dv``, both valid identifiers that
shadow nothing the code uses. An id that is already such a name keeps it (``x``,
``sigy``, ``σ``); otherwise the id is NFKC-normalised as Python reads identifiers, every
character that cannot sit in a name becomes ``_`` (``x-1`` -> ``x_1``), a leading digit
gets a ``_`` in front, and a keyword or builtin gets a ``_`` after it. Two ids that
would share a name (``x-1`` and ``x_1``), or a name that is another's gradient name
(``x`` and ``dx``), are told apart by a numbered suffix: ``x_1_2``, ``dx_2``.

>>> assign(["x", "dx", "x-1", "x_1", "lambda", "1st", "+"]).values()
dict_values(['x', 'dx_2', 'x_1', 'x_1_2', 'lambda_', '_1st', 'node'])
"""

from __future__ import annotations

import builtins
import keyword
import unicodedata
from collections.abc import Iterable

MODULES = ("math", "np")  # what the code imports
HELPERS = ("sigmoid", "np_sigmoid")  # functions the code may define
RESERVED = frozenset(
    [*keyword.kwlist, *keyword.softkwlist, *dir(builtins), *MODULES, *HELPERS, "d"]
)


def identifier(node_id: str) -> str:
    """`node_id` as a valid Python name, before collisions are resolved."""
    if node_id.isascii() and node_id.isidentifier() and not node_id.startswith("__"):
        return node_id + "_" if node_id in RESERVED else node_id
    text = unicodedata.normalize("NFKC", node_id)
    name = "".join(c if ("_" + c).isidentifier() else "_" for c in text)
    name = unicodedata.normalize("NFKC", name)
    if not any(c.isalnum() for c in name):
        return "node"
    if not name[0].isidentifier():
        name = "_" + name
    if name.startswith("__"):
        name = "n" + name  # never a dunder such as __builtins__
    return name + "_" if name in RESERVED else name


def assign(ids: Iterable[str]) -> dict[str, str]:
    """A distinct name for each id (in order), none of them or their ``d`` names reserved
    or equal to another's name or ``d`` name."""
    used = set(RESERVED)
    suffix: dict[str, int] = {}
    names: dict[str, str] = {}
    for node_id in ids:
        base = identifier(node_id)
        name = base
        while name in used or "d" + name in used:
            suffix[base] = suffix.get(base, 1) + 1
            name = f"{base}_{suffix[base]}"
        used.update((name, "d" + name))
        names[node_id] = name
    return names
