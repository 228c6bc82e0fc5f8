"""JSON in and out with orjson: strict parsing of request bodies, fast responses.

The body is read here rather than by FastAPI so that a body not sent as JSON is
refused with 415 before it is read (a cross-origin form or `text/plain` POST never
reaches the engine), malformed JSON and absurd nesting become one 422 with the
character position, and the engine receives plain
dicts and lists to validate itself. A number JSON cannot hold (``NaN``,
``Infinity``, ``1e400``) is refused naming where it sits: ``loc`` runs to the
value (``["body", "nodes", 0, "value"]``) and ``node`` names the node holding it.
"""

from __future__ import annotations

import json
import math
from typing import Annotated, Any

import orjson
from fastapi import Depends, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from engine.errors import LimitError, entry
from engine.gc_pause import gc_paused

SHOWN_ID_CHARS = 100  # a longer node id is named by its index instead


class OrjsonResponse(JSONResponse):
    """A JSON response rendered by orjson (numpy arrays allowed)."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_SERIALIZE_NUMPY)


def encode_answer(result: Any, max_bytes: int, trace: bool = False) -> bytes:
    """An evaluation's answer as JSON; refused (413) if it is longer than `max_bytes`."""
    body = orjson.dumps(result, option=orjson.OPT_SERIALIZE_NUMPY)
    if len(body) > max_bytes:
        what = "ask without the trace (?trace=false) or send" if trace else "send"
        raise LimitError(
            f"the answer would be {len(body)} bytes, over the limit of {max_bytes} "
            f"(max_response_bytes); {what} a smaller circuit",
            loc=("nodes",),
        )
    return body


INLINE_BYTES = 64 * 1024  # larger bodies are decoded in a worker thread


class NonFinite(str):
    """A number literal that is not finite, kept as its text to name it."""


def is_json(content_type: str) -> bool:
    """`application/json` or a `+json` type, whatever its parameters (charset...)."""
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def parse_json(body: bytes) -> Any:
    """`body` parsed as strict JSON, with the cyclic GC paused (a large body is many small
    containers); 422 saying where it broke."""
    try:
        with gc_paused():
            return orjson.loads(body)
    except orjson.JSONDecodeError as error:
        msg = f"JSON decode error: {error.msg}"
        decoded = entry(("body", error.pos), msg, "json_invalid", position=error.pos)
        found = non_finite_entry(body) or {**decoded, "input": {}, "ctx": {"error": error.msg}}
        raise RequestValidationError([found]) from None


async def read_body(request: Request) -> bytes:
    """The request body as it came; 415 if it is not sent as JSON."""
    content_type = request.headers.get("content-type", "")
    if not is_json(content_type):
        msg = f"{request.method} {request.url.path} takes application/json, got "
        msg += content_type or "no Content-Type"
        found = entry(("header", "content-type"), msg, "unsupported_media_type")
        raise HTTPException(415, detail=[found])
    return await request.body()


async def read_json(request: Request) -> Any:
    """The request body parsed as strict JSON (`read_body`, `parse_json`). A large body is
    decoded off the event loop, which keeps answering meanwhile."""
    body = await read_body(request)
    if len(body) <= INLINE_BYTES:
        return parse_json(body)
    return await run_in_threadpool(parse_json, body)


def non_finite_entry(body: bytes) -> dict[str, Any] | None:
    """The error for the first non-finite number in `body`, if that is what is wrong."""
    try:
        data = json.loads(body, parse_constant=NonFinite, parse_float=_float_or_marker)
    except (ValueError, RecursionError):
        return None
    path = _path_to_non_finite(data)
    if path is None:
        return None
    literal, node = _at(data, path), _node_named(data, path)
    where = f"node '{node}'" if node is not None else "/".join(map(str, path))
    msg = f"{where}: the number {literal} is not finite; values must be finite numbers"
    found = entry(("body", *path), msg, "not_finite")
    return found if node is None else {**found, "node": node}


def _float_or_marker(text: str) -> float | NonFinite:
    number = float(text)
    return number if math.isfinite(number) else NonFinite(text)


def _path_to_non_finite(data: Any) -> list[str | int] | None:
    """Depth-first, in document order, without recursion."""
    stack: list[tuple[list[str | int], Any]] = [([], data)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, NonFinite):
            return path
        children = (
            item.items()
            if isinstance(item, dict)
            else enumerate(item)
            if isinstance(item, list)
            else ()
        )
        stack.extend(reversed([([*path, key], child) for key, child in children]))
    return None


def _at(data: Any, path: list[str | int]) -> Any:
    for key in path:
        data = data[key]
    return data


def _node_named(data: Any, path: list[str | int]) -> str | None:
    """The id of the node `path` runs through (``nodes/<i>/...``), if it has a short one."""
    if len(path) < 2 or path[0] != "nodes" or not isinstance(path[1], int):
        return None
    node_id = data["nodes"][path[1]].get("id") if isinstance(data["nodes"][path[1]], dict) else None
    return node_id if isinstance(node_id, str) and len(node_id) <= SHOWN_ID_CHARS else None


JsonBody = Annotated[Any, Depends(read_json)]
RawBody = Annotated[bytes, Depends(read_body)]
