"""GET /api/stats: the compiled-circuit cache's size and hit rate."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

import engine
from app.pool import PoolDep
from app.responses import Stats, answers

router = APIRouter(prefix="/api", tags=["health"])


async def get_cache(request: Request) -> engine.CircuitCache:
    """The app's one cache of compiled circuits (made by `main.create_app`)."""
    cache: engine.CircuitCache = request.app.state.circuit_cache
    return cache


CacheDep = Annotated[engine.CircuitCache, Depends(get_cache)]


@router.get("/stats", responses=answers(Stats, posts=False))
def read_stats(cache: CacheDep, pool: PoolDep) -> dict[str, Any]:
    """How many compiled circuits are kept, within which bounds, and how often they served:
    this process's cache (light requests) and each evaluation process's (heavy ones)."""
    return {"cache": cache.stats(), "evaluation_processes": pool.caches()}
