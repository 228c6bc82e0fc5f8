"""GET /api/gates and /api/examples: what the engine knows."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

import engine
from app.jsonio import OrjsonResponse
from app.responses import ExampleList, GateList, answers

router = APIRouter(prefix="/api", tags=["catalog"])


@router.get("/gates", response_class=OrjsonResponse, responses=answers(GateList, posts=False))
def list_gates() -> Response:
    """Every gate: arity, params, forward and local-gradient formulas, pattern."""
    return OrjsonResponse({"gates": engine.list_gates()})


@router.get("/examples", response_class=OrjsonResponse, responses=answers(ExampleList, posts=False))
def list_examples() -> Response:
    """The notes' worked examples as ready-made circuits."""
    return OrjsonResponse({"examples": engine.list_examples()})
