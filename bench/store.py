"""Save and read times of circuits through the app, in process, on a given database.

    python -m bench.store [--url SQLALCHEMY_URL] [--sizes 5 1000 10000] [--repeat 20]

Without --url it uses a new SQLite file in a temporary directory. For each size
(gates of `engine.random_circuit`) it prints the median time of `POST /api/circuits`
and of `GET /api/circuits/<id>` over `repeat` requests (the rate limit is lifted).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

import engine
from app.main import create_app
from app.settings import Settings


def elapsed(work: Callable[[], Any]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def median_ms(repeat: int, work: Callable[[], Any]) -> float:
    return statistics.median(elapsed(work) for _ in range(repeat)) * 1000


def measure(url: str, size: int, repeat: int) -> tuple[float, float]:
    """Median milliseconds of one save and one read of a circuit of `size` gates."""
    circuit = engine.random_circuit(size, seed=size)
    settings = Settings(database_url=url, save_rate_limit=10 * repeat + 10)
    with TestClient(create_app(settings)) as client:

        def save() -> str:
            response = client.post("/api/circuits", json={"circuit": circuit})
            assert response.status_code == 201, response.text
            return str(response.json()["id"])

        circuit_id = save()

        def read() -> None:
            assert client.get(f"/api/circuits/{circuit_id}").status_code == 200

        return median_ms(repeat, save), median_ms(repeat, read)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a SQLAlchemy URL (default: SQLite in a temp dir)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[5, 1000, 10000])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        url = args.url or f"sqlite:///{Path(scratch) / 'bench.sqlite3'}"
        print(f"{'gates':>7}  {'save (median)':>14}  {'read (median)':>14}")
        for size in args.sizes:
            save_ms, read_ms = measure(url, size, args.repeat)
            print(f"{size:>7}  {save_ms:>11.2f} ms  {read_ms:>11.2f} ms")


if __name__ == "__main__":
    main()
