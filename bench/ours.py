"""Backprop Circuits' own figures: the first evaluation in a fresh process, its phases,
re-evaluation of a compiled circuit, the trace's cost and the memory an evaluation adds."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

import orjson

import engine
from engine.gc_pause import gc_paused

ROOMY = engine.Limits(max_nodes=1_000_000, max_total_elements=10_000_000)
Circuit = dict[str, Any]


def first_evaluation(circuit: Circuit, repeat: int) -> float:
    """Best of `repeat` fresh processes, each reading the JSON and timing only
    `engine.evaluate(trace=False)`: validate, compile, forward, backward, the answer."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as file:
        file.write(orjson.dumps(circuit))
    try:
        runs = [_fresh(Path(file.name)) for _ in range(repeat)]
    finally:
        Path(file.name).unlink()
    return min(runs)


def _fresh(path: Path) -> float:
    command = [sys.executable, "-m", "bench.fresh", str(path)]
    done = subprocess.run(command, capture_output=True, check=True, text=True)
    return float(done.stdout)


def phases(circuit: Circuit) -> tuple[dict[str, float], dict[str, Any]]:
    """Build (validate + compile), forward, backward and the answer's dicts, timed apart on
    the tape (or, for tensor circuits, the whole evaluation as one phase)."""
    with gc_paused():
        start = time.perf_counter()
        compiled = engine.compile(circuit, ROOMY)
        built = time.perf_counter()
        if compiled.tape is None:
            answer = compiled.evaluate()
            return {"build": built - start, "evaluate": time.perf_counter() - built}, answer
        tape = compiled.tape
        slots = tape.forward(tape.flat.values, None)
        forwarded = time.perf_counter()
        tape.backward(tape.local_gradients(slots), None)
        backwarded = time.perf_counter()
        answer = compiled.run_tape(tape.flat.values)
        whole_run = time.perf_counter() - backwarded
    timing = {
        "build": built - start,
        "forward": forwarded - built,
        "backward": backwarded - forwarded,
        "answer dicts": max(whole_run - (backwarded - built), 0.0),
    }
    return timing, answer


def input_gradients(answer: dict[str, Any], circuit: Circuit) -> dict[str, Any]:
    inputs = [node["id"] for node in circuit["nodes"] if node["op"] == "input"]
    return {name: answer["gradients"][name] for name in inputs}


def reevaluate(circuit: Circuit, repeat: int) -> dict[str, float]:
    """A compiled circuit run again with every input changed: the whole answer
    (`Compiled.evaluate`), and values and gradients as arrays (`Compiled.arrays`)."""
    compiled = engine.compile(circuit, ROOMY)
    new = {n["id"]: -n["value"] for n in circuit["nodes"] if n["op"] == "input"}
    best = min(_timed(lambda: compiled.evaluate(new)) for _ in range(repeat))
    if compiled.tape is None:
        return {"answer": best}
    arrays = min(_timed(lambda: compiled.arrays(new)) for _ in range(repeat))
    return {"answer": best, "arrays": arrays}


def with_trace(circuit: Circuit, repeat: int) -> tuple[float, float]:
    """In-process evaluation without and with the teaching trace."""
    plain = min(
        _timed(lambda: engine.evaluate(circuit, trace=False, limits=ROOMY)) for _ in range(repeat)
    )
    traced = min(
        _timed(lambda: engine.evaluate(circuit, trace=True, limits=ROOMY)) for _ in range(repeat)
    )
    return plain, traced


def memory_per_gate(circuit: Circuit) -> float:
    """Peak bytes an evaluation (no trace) allocates beyond the request, per node."""
    tracemalloc.start()
    try:
        engine.evaluate(circuit, trace=False, limits=ROOMY)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / len(circuit["nodes"])


def _timed(work: Any) -> float:
    """Seconds `work()` takes to give its result (freeing the result is not timed, as the
    peers' graphs are not freed inside their timings)."""
    start = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - start
    del result
    return seconds
