"""In-process evaluate time (forward + backward) of random circuits, beside peers.

    python -m bench [--sizes 1000 10000 100000] [--repeat 3]

For each size it prints the best of `repeat` runs of: Backprop Circuits' whole
`engine.evaluate` (validate, compile, forward, backward), its forward + backward on an
already compiled circuit, and each installed peer doing forward + backward on the same
circuit, with the peer's time as a multiple of ours.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import engine
from bench.peers import available
from engine.evaluate import backward, forward

ROOMY = engine.Limits(max_nodes=1_000_000)


def best_of(repeat: int, work: Callable[[], Any]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def in_big_stack(work: Callable[[], float]) -> float | str:
    """Peers that recurse over the graph (micrograd) get the stack they need."""
    outcome: list[float | str] = ["failed"]

    def target() -> None:
        try:
            outcome[0] = work()
        except (RecursionError, MemoryError) as error:
            outcome[0] = f"failed: {type(error).__name__}"

    threading.stack_size(512 * 1024 * 1024)
    sys.setrecursionlimit(1_000_000)
    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    return outcome[0]


def measure(size: int, repeat: int) -> list[tuple[str, float | str]]:
    circuit = engine.random_circuit(size, seed=size)
    program = engine.compile_circuit(circuit, ROOMY)
    rows: list[tuple[str, float | str]] = [
        (
            "backprop-circuits evaluate",
            best_of(repeat, lambda: engine.evaluate(circuit, trace=False, limits=ROOMY)),
        ),
        (
            "backprop-circuits compiled",
            best_of(repeat, lambda: backward(program, forward(program))),
        ),
        (
            "backprop-circuits with trace",
            best_of(repeat, lambda: engine.evaluate(circuit, trace=True, limits=ROOMY)),
        ),
    ]
    for name, run in available().items():
        if run is None:
            rows.append((name, "not installed (pip install -e '.[bench]')"))
        else:
            rows.append((name, in_big_stack(lambda run=run: best_of(repeat, lambda: run(circuit)))))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    for size in args.sizes:
        rows = measure(size, args.repeat)
        ours = rows[0][1]
        print(f"\n{size:,} gates (best of {args.repeat})")
        for name, seconds in rows:
            if isinstance(seconds, str):
                print(f"  {name:32} {seconds}")
                continue
            ratio = f"{seconds / ours:6.2f}x ours" if isinstance(ours, float) else ""
            print(f"  {name:32} {seconds * 1000:10.1f} ms   {ratio}")


if __name__ == "__main__":
    main()
