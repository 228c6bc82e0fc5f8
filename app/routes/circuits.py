"""Saved circuits: POST /api/circuits, GET /api/circuits/<id>, and the link GET /c/<id>.

What is saved is the contract's circuit exactly as sent (labels, titles and `ui`
data are text and numbers to keep, never interpreted). The engine checks only its
format and sizes, so a half-built exercise can be saved. Saved circuits never
change: saving with a `parent` makes a new id that remembers it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SkipValidation,
    ValidationError,
    field_validator,
)
from starlette.responses import Response

from app.jsonio import JsonBody, OrjsonResponse
from app.openapi import REF
from app.ratelimit import RateLimiter
from app.responses import Saved, SavedCircuit, answers
from app.schemas import NOTES_CIRCUIT
from app.settings import SettingsDep
from app.store import Store
from engine import FORMAT_VERSION
from engine.errors import CircuitError
from engine.sizes import check_sizes

router = APIRouter(tags=["circuits"])
MAX_TITLE_CHARS = 200
IMMUTABLE = {"Cache-Control": "public, max-age=31536000, immutable"}


class SaveRequest(BaseModel):
    """A circuit to save, with an optional title and the id of the circuit it was edited from."""

    model_config = ConfigDict(extra="forbid")

    circuit: Annotated[dict[str, Any], SkipValidation] = Field(
        description="A circuit (see the Circuit schema), `ui` data included. It need not "
        "evaluate yet: a half-built one, with open inputs (null) or no output, is kept as sent."
    )
    title: str | None = Field(default=None, max_length=MAX_TITLE_CHARS)
    parent: str | None = Field(default=None, description="The id this circuit was edited from.")

    @field_validator("title")
    @classmethod
    def _no_nul(cls, title: str | None) -> str | None:
        if title is not None and "\x00" in title:
            raise ValueError("a title cannot contain the NUL character (U+0000)")
        return title


SAVE_SCHEMA = {
    k: v for k, v in SaveRequest.model_json_schema(ref_template=REF).items() if k != "$defs"
}
SAVE_EXAMPLE = {"circuit": NOTES_CIRCUIT, "title": "The notes' (x + y) z"}
SAVE_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": SAVE_SCHEMA, "example": SAVE_EXAMPLE}},
    }
}


async def get_store(request: Request) -> Store:
    """The app's store (made by `create_app`)."""
    store: Store = request.app.state.store
    return store


async def limit_saves(request: Request) -> None:
    """Count a save against its client's rate limit (429 past it)."""
    limiter: RateLimiter = request.app.state.save_limiter
    limiter.hit(request.client.host if request.client else "unknown")


StoreDep = Annotated[Store, Depends(get_store)]


@router.post(
    "/api/circuits",
    status_code=201,
    response_class=OrjsonResponse,
    openapi_extra=SAVE_BODY,
    dependencies=[Depends(limit_saves)],
    responses=answers(Saved, status=201, store=True),
)
def create_circuit(body: JsonBody, settings: SettingsDep, store: StoreDep) -> Response:
    """Save a circuit under a new random id; answers its id and its link `/c/<id>`."""
    fields = _save_request(body)
    with _inside("circuit"):
        check_sizes(fields.circuit, settings.limits())
    circuit = fields.circuit  # an object: check_sizes made sure
    version = circuit.get("version", FORMAT_VERSION)
    circuit_id = store.save(circuit, version=version, title=fields.title, parent=fields.parent)
    headers = {"Location": f"/api/circuits/{circuit_id}"}
    return OrjsonResponse({"id": circuit_id, "url": f"/c/{circuit_id}"}, 201, headers)


@router.get(
    "/api/circuits/{circuit_id}",
    response_class=OrjsonResponse,
    responses=answers(SavedCircuit, posts=False, store=True),
)
def read_circuit(circuit_id: str, store: StoreDep) -> Response:
    """A saved circuit exactly as it was saved, with its title, time, parent and version."""
    return OrjsonResponse(store.load(circuit_id).to_json(), headers=IMMUTABLE)


@router.get("/c/{circuit_id}", include_in_schema=False)
def open_circuit(circuit_id: str, store: StoreDep, settings: SettingsDep) -> Response:
    """The app, to open on a saved circuit; for an id nothing is saved under, the same page
    with status 404, and the app says in its message line that the link names nothing."""
    status = 200 if store.exists(circuit_id) else 404
    return FileResponse(settings.static_dir / "index.html", status_code=status)


def _save_request(body: Any) -> SaveRequest:
    try:
        return SaveRequest.model_validate(body)
    except ValidationError as error:
        found = error.errors(include_url=False, include_input=False, include_context=False)
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in found]) from None


@contextmanager
def _inside(*prefix: str | int) -> Iterator[None]:
    """Engine errors about the circuit point into the body's `circuit` field."""
    try:
        yield
    except CircuitError as error:
        error.loc = (*prefix, *error.loc)
        raise
