"""The application: wiring only. Run with ``uvicorn app.main:app``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

import engine
from app.errors import install_error_handlers
from app.middleware import BodyLimitMiddleware, SecurityHeadersMiddleware
from app.openapi import install_openapi
from app.ratelimit import RateLimiter
from app.routes import catalog, circuits, evaluate, health, parse, stats
from app.routes.health import package_version
from app.settings import Settings, get_settings
from app.store import Store


def create_app(settings: Settings | None = None) -> FastAPI:
    """A FastAPI app serving the API under /api and the front end at /."""
    settings = settings or get_settings()
    store = Store(settings.storage_url())
    app = FastAPI(
        title="Backprop Circuits",
        version=package_version(),
        description="Values and gradients of circuits of gates, as in the backprop notes.",
        lifespan=_lifespan(store),
    )
    app.dependency_overrides[get_settings] = lambda: settings
    app.state.store = store
    app.state.save_limiter = RateLimiter(
        "saves", settings.save_rate_limit, settings.save_rate_window
    )
    app.state.circuit_cache = engine.CircuitCache(settings.cache_entries, settings.cache_nodes)
    for module in (evaluate, parse, catalog, health, circuits, stats):
        app.include_router(module.router)
    install_error_handlers(app)
    install_openapi(app)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeadersMiddleware)
    static = StaticFiles(directory=settings.static_dir, html=True, check_dir=False)
    app.mount("/", static, name="static")
    return app


def _lifespan(store: Store) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """Migrate the store at start-up (or, if its database is down, on first use); close it."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store.start()
        yield
        store.close()

    return lifespan


app = create_app()
