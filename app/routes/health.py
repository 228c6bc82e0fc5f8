"""GET /api/health: for load balancers and the Docker HEALTHCHECK."""

from __future__ import annotations

from functools import cache
from importlib.metadata import PackageNotFoundError, version

from fastapi import APIRouter

from app.responses import Health

router = APIRouter(prefix="/api", tags=["health"])


@cache
def package_version() -> str:
    """The installed package's version, or "unknown" when run from a bare checkout (looked
    up once: reading the installed packages' metadata takes milliseconds)."""
    try:
        return version("backprop-circuits")
    except PackageNotFoundError:
        return "unknown"


@router.get("/health")
async def read_health() -> Health:
    """Liveness: answers at once, even while the worker threads are busy."""
    return Health(status="ok", version=package_version())
