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

from engine.errors import entry


class OrjsonResponse(JSONResponse):
    """A JSON response rendered by orjson (numpy arrays allowed)."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_SERIALIZE_NUMPY)


async def read_json(request: Request) -> Any:
    """The request body parsed as strict JSON, or a 422 that says where it broke."""
    body = await request.body()
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as error:
        msg = f"JSON decode error: {error.msg}"
        found = entry(("body", error.pos), msg, "json_invalid", position=error.pos)
        raise RequestValidationError(
            [{**found, "input": {}, "ctx": {"error": error.msg}}]
        ) from None


JsonBody = Annotated[Any, Depends(read_json)]
