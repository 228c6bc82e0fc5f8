"""One first evaluation in this fresh process: ``python -m bench.fresh circuit.json``.

Reading the file is not timed; `engine.evaluate(trace=False)` is, and its seconds are
printed (the answer is kept until then: freeing it is not part of the evaluation, as the
peers' graphs are not freed inside their timings). Nothing is cached between processes.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import orjson

import engine
from bench.ours import ROOMY

circuit = orjson.loads(Path(sys.argv[1]).read_bytes())
start = time.perf_counter()
answer = engine.evaluate(circuit, trace=False, limits=ROOMY)
print(time.perf_counter() - start)
