"""Backprop Circuits beside its peers, measured in one run: ``python -m bench``.

    python -m bench [--repeat 3] [--quick] [--only TEXT ...] [--json bench-results.json]

Prints one table per workload (our first evaluation in a fresh process, our phases, and
each peer's phases, with its total as a multiple of ours and whether its gradients agree
with ours), then re-evaluation, the trace's cost, memory, the vectorised sweep beside a
point-by-point loop, and the API over HTTP; writes
every figure to the JSON file. ``--quick`` runs the smallest sizes only (a smoke test);
``--only random --only MLP`` runs only the workloads whose names hold one of the texts
(and the extras when the largest random circuit is among them), without the sweep and
HTTP parts.
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from bench import http, ours, sweep, workloads
from bench.peers import CannotExpress, available

Row = dict[str, Any]


def in_big_stack(work: Callable[[], Any]) -> Any:
    """Peers that recurse over the graph (micrograd's topological sort) get the stack they need."""
    outcome: list[Any] = [RecursionError("did not run")]

    def target() -> None:
        try:
            outcome[0] = work()
        except (RecursionError, MemoryError, CannotExpress) as error:
            outcome[0] = error

    threading.stack_size(512 * 1024 * 1024)
    sys.setrecursionlimit(1_000_000)
    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


def agree(mine: dict[str, Any], theirs: dict[str, Any]) -> float:
    """The largest difference between two sets of input gradients, relative to 1 or the size."""
    worst = 0.0
    for name, value in mine.items():
        a, b = np.asarray(value, dtype=float), np.asarray(theirs[name], dtype=float)
        worst = max(worst, float(np.max(np.abs(a - b) / np.maximum(1.0, np.abs(b)))))
    return worst


def workload(name: str, circuit: dict[str, Any], repeat: int) -> list[Row]:
    """Our first evaluation and phases, then every peer, on `circuit`."""
    first = ours.first_evaluation(circuit, repeat)
    timing, answer = min((ours.phases(circuit) for _ in range(repeat)), key=_total)
    mine = ours.input_gradients(answer, circuit)
    rows: list[Row] = [
        {"workload": name, "who": "backprop-circuits, first evaluation", "total_s": first},
        {"workload": name, "who": "backprop-circuits, phases", "phases": timing},
    ]
    for peer, run in available().items():
        row: Row = {"workload": name, "who": peer}
        if run is None:
            row["note"] = "not installed (pip install -e '.[bench]')"
        else:
            try:
                outcomes = [in_big_stack(lambda run=run: run(circuit)) for _ in range(repeat)]
            except (CannotExpress, RecursionError, MemoryError) as error:
                row["note"] = f"cannot run it: {type(error).__name__} {error}"
            else:
                phases, grads = min(outcomes, key=_total)
                row.update(phases=phases, total_s=_total((phases, grads)))
                row["max_grad_diff"] = agree(mine, grads)
                row["times_ours"] = row["total_s"] / first
        rows.append(row)
    return rows


def _total(outcome: tuple[dict[str, float], Any]) -> float:
    return sum(outcome[0].values())


def print_rows(rows: list[Row]) -> None:
    print(f"\n{rows[0]['workload']}")
    for row in rows:
        phases = "  ".join(f"{k} {v * 1000:.1f}" for k, v in row.get("phases", {}).items())
        total = f"{row['total_s'] * 1000:9.1f} ms" if "total_s" in row else " " * 12
        ratio = f"{row['times_ours']:7.1f}x ours" if "times_ours" in row else ""
        grads = f"  grads agree ({row['max_grad_diff']:.0e})" if "max_grad_diff" in row else ""
        note = row.get("note", "")
        print(f"  {row['who']:38} {total} {ratio}{grads}{note}")
        if phases:
            print(f"  {'':38} phases (ms): {phases}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", type=Path, default=Path("bench-results.json"))
    parser.add_argument("--http", action="store_true", help="only the API over HTTP")
    parser.add_argument("--only", action="append", help="workloads whose names hold this text")
    args = parser.parse_args()
    sizes = [1000] if args.quick else [1000, 10_000, 100_000]
    if args.http:
        over_http(workloads.random_scalar(sizes[-1]), args.repeat, 50 if args.quick else 500)
        return
    mlps = ["1k"] if args.quick else list(workloads.MLP_SHAPES)
    results: dict[str, Any] = {"workloads": []}
    circuits = {f"random scalar circuit, {n:,} gates": workloads.random_scalar(n) for n in sizes}
    for label in mlps:
        inputs, widths = workloads.MLP_SHAPES[label]
        circuits[f"scalar MLP, {label} gates"] = workloads.scalar_mlp(inputs, widths)
    circuits["tensor 2-layer MLP, 256x64 batch"] = workloads.tensor_mlp()
    circuits["sigmoid neuron (the notes)"] = workloads.sigmoid_neuron()
    if args.only:
        circuits = {k: v for k, v in circuits.items() if any(text in k for text in args.only)}
    for name, circuit in circuits.items():
        rows = workload(name, circuit, args.repeat)
        print_rows(rows)
        results["workloads"] += rows
    largest = circuits.get(f"random scalar circuit, {sizes[-1]:,} gates")
    if largest is not None:
        results["ours"] = extras(largest, args.repeat)
    if args.only or largest is None:
        args.json.write_bytes(orjson.dumps(results, option=orjson.OPT_INDENT_2))
        return
    results["sweep"] = sweep.measure(repeat=args.repeat)
    sweep.report(results["sweep"])
    results["http"] = over_http(largest, args.repeat, 50 if args.quick else 500)
    args.json.write_bytes(orjson.dumps(results, option=orjson.OPT_INDENT_2))
    print(f"\nwrote {args.json}")


def extras(circuit: dict[str, Any], repeat: int) -> dict[str, Any]:
    """Re-evaluation, the trace's cost and memory, on the largest random circuit."""
    again = ours.reevaluate(circuit, repeat)
    plain, traced = ours.with_trace(circuit, repeat)
    per_gate = ours.memory_per_gate(circuit)
    print(f"\nlargest random circuit ({len(circuit['nodes']):,} nodes), in-process")
    for what, seconds in again.items():
        print(f"  re-evaluation with new inputs, {what:18} {seconds * 1000:9.1f} ms")
    print(
        f"  evaluate without trace {plain * 1000:9.1f} ms, with trace {traced * 1000:9.1f} ms"
        f" ({traced / plain:.2f}x)"
    )
    print(f"  peak memory an evaluation adds: {per_gate:.0f} bytes per node")
    return {
        "reevaluate_s": again,
        "no_trace_s": plain,
        "trace_s": traced,
        "bytes_per_node": per_gate,
    }


def over_http(circuit: dict[str, Any], repeat: int, count: int) -> dict[str, Any]:
    with http.server() as port:
        small = http.small_requests(port, workloads.sigmoid_neuron(), count)
        large = http.large_request(port, circuit, repeat)
        loop = http.event_loop(port, circuit)
    in_process, _ = ours.with_trace(circuit, repeat)
    print("\nover HTTP (one uvicorn worker; heavy requests in its evaluation processes)")
    for name, row in small.items():
        print(
            f"  {name:38} p50 {row['p50_ms']:6.2f} ms  p99 {row['p99_ms']:6.2f} ms"
            f"  {row['per_second']:7.0f} requests/s"
        )
    http_s, encode_s, decode_s = large["http_s"], large["encode_s"], large["answer_gc_off_s"]
    whole = http_s + encode_s + decode_s
    print(
        f"  {len(circuit['nodes']):,}-node circuit ({large['body_mb']:.1f} MB, answer "
        f"{large['answer_mb']:.1f} MB): HTTP {http_s * 1000:.0f} ms (request bytes sent to "
        f"answer bytes read), in-process {in_process * 1000:.0f} ms ({http_s / in_process:.2f}x)"
    )
    print(
        f"  the client's own JSON, not in that figure: encoding the circuit {encode_s * 1000:.0f}"
        f" ms, decoding the answer {large['answer_gc_on_s'] * 1000:.0f} ms with the GC, "
        f"{decode_s * 1000:.0f} ms without; dict to dict over HTTP (GC paused, as the engine "
        f"pauses it) {whole * 1000:.0f} ms ({whole / in_process:.2f}x)"
    )
    print(
        f"  decoding the circuit's JSON: {large['decode_gc_on_s'] * 1000:.0f} ms with the GC, "
        f"{large['decode_gc_off_s'] * 1000:.0f} ms without"
    )
    print(
        f"  GET /api/health during four such evaluations at once ({loop['evaluations_s']:.1f} s):"
        f" p50 {loop['health_p50_ms']:.1f} ms, p99 {loop['health_p99_ms']:.1f} ms,"
        f" max {loop['health_max_ms']:.1f} ms over {loop['health_checks']} checks"
    )
    return {"small": small, "large": {**large, "in_process_s": in_process}, "event_loop": loop}


if __name__ == "__main__":
    main()
