"""JSON in and out with orjson: strict parsing of request bodies, fast responses.

The body is read here rather than by FastAPI so that malformed JSON, ``NaN`` or
``Infinity`` literals and absurd nesting all become one 422 with the character
position, and the engine receives plain dicts and lists to validate itself.
"""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from engine.errors import entry
from engine.gc_pause import gc_paused


class OrjsonResponse(JSONResponse):
    """A JSON response rendered by orjson (numpy arrays allowed)."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_SERIALIZE_NUMPY)


INLINE_BYTES = 64 * 1024  # larger bodies are decoded in a worker thread


def _decode(body: bytes) -> Any:
    """orjson's parse with the cyclic GC paused: a large body is many small containers."""
    with gc_paused():
        return orjson.loads(body)


async def read_json(request: Request) -> Any:
    """The request body parsed as strict JSON, or a 422 that says where it broke. A large
    body is decoded off the event loop, which keeps answering meanwhile."""
    body = await request.body()
    try:
        if len(body) <= INLINE_BYTES:
            return orjson.loads(body)
        return await run_in_threadpool(_decode, body)
    except orjson.JSONDecodeError as error:
        msg = f"JSON decode error: {error.msg}"
        found = entry(("body", error.pos), msg, "json_invalid", position=error.pos)
        raise RequestValidationError(
            [{**found, "input": {}, "ctx": {"error": error.msg}}]
        ) from None


JsonBody = Annotated[Any, Depends(read_json)]
