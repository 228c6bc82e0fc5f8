"""The sweep, vectorised, beside a point-by-point loop: ``python -m bench.sweep``.

    python -m bench.sweep [--gates 100] [--points 1000] [--repeat 5]

`engine.sweep` runs each gate once on a vector of all the points; the loop calls
`engine.evaluate` once per point, as a sweep written without vectors would. Both run
the same seeded random circuit (`bench.workloads.random_scalar`) over the same points,
and their answers are compared.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import numpy as np

import engine
from bench.workloads import random_scalar

TARGET_S = 0.050  # 1,000 points of a 100-gate circuit


def request(gates: int, points: int) -> dict[str, Any]:
    """A sweep of the random circuit's first input over [-1, 1]."""
    return {**random_scalar(gates), "input": "x0", "from": -1.0, "to": 1.0, "points": points}


def point_by_point(sweep: dict[str, Any]) -> tuple[list[float], list[float]]:
    """The same sweep as a Python loop of `engine.evaluate`, one call per point."""
    values, grads = [], []
    nodes = sweep["nodes"]
    for x in np.linspace(sweep["from"], sweep["to"], sweep["points"]).tolist():
        moved = [{**n, "value": x} if n["id"] == sweep["input"] else n for n in nodes]
        answer = engine.evaluate({**sweep, "nodes": moved}, trace=False)
        values.append(answer["values"][answer["output"]])
        grads.append(answer["gradients"][sweep["input"]])
    return values, grads


def best_of(repeat: int, work: Callable[[], Any]) -> tuple[float, Any]:
    """The fastest of `repeat` runs, in seconds, and the last run's answer."""
    times, answer = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        answer = work()
        times.append(time.perf_counter() - start)
    return min(times), answer


def measure(gates: int = 100, points: int = 1000, repeat: int = 5) -> dict[str, Any]:
    """Seconds for the vectorised sweep and for the loop, their ratio and agreement."""
    sweep = request(gates, points)
    vectorised_s, answer = best_of(repeat, lambda: engine.sweep(sweep))
    loop_s, (values, grads) = best_of(max(1, repeat // 5), lambda: point_by_point(sweep))
    diff = max(
        float(np.max(np.abs(np.array(answer["values"]) - values))),
        float(np.max(np.abs(np.array(answer["gradients"]) - grads))),
    )
    return {
        "gates": gates,
        "nodes": len(sweep["nodes"]),
        "points": points,
        "sweep_s": vectorised_s,
        "loop_s": loop_s,
        "times_faster": loop_s / vectorised_s,
        "max_diff": diff,
        "target_s": TARGET_S,
    }


def report(row: dict[str, Any]) -> None:
    verdict = "under" if row["sweep_s"] < row["target_s"] else "OVER"
    print(f"\nsweep of {row['points']:,} points, {row['gates']}-gate random circuit")
    print(
        f"  vectorised engine.sweep {row['sweep_s'] * 1000:8.2f} ms "
        f"({verdict} the {row['target_s'] * 1000:.0f} ms target)"
    )
    print(
        f"  loop of engine.evaluate {row['loop_s'] * 1000:8.2f} ms "
        f"({row['times_faster']:.0f}x the vectorised time); answers agree to {row['max_diff']:.0e}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gates", type=int, default=100)
    parser.add_argument("--points", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    report(measure(args.gates, args.points, args.repeat))


if __name__ == "__main__":
    main()
