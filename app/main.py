"""The application: wiring only. Run with ``uvicorn app.main:app``."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

import engine
from app.capacity import Capacity
from app.docs import install_docs
from app.errors import InternalErrorMiddleware, install_error_handlers
from app.headers import SecurityHeadersMiddleware, content_security_policy, inline_script_hashes
from app.middleware import BodyGuardMiddleware
from app.openapi import install_openapi
from app.pool import EvaluationPool
from app.ratelimit import RateLimiter
from app.routes import catalog, circuits, codegen, evaluate, health, methods, parse, stats
from app.routes.health import package_version
from app.settings import Settings, get_settings
from app.store import Store


def create_app(settings: Settings | None = None) -> FastAPI:
    """A FastAPI app serving the API under /api and the front end at /."""
    settings = settings or get_settings()
    store = Store(settings.storage_url())
    evaluations = EvaluationPool(
        settings.max_heavy_evaluations, settings.cache_entries, settings.cache_nodes
    )
    app = FastAPI(
        title="Backprop Circuits",
        version=package_version(),
        description="Values and gradients of circuits of gates, as in the backprop notes.",
        lifespan=_lifespan(store, evaluations),
        docs_url=None,
        redoc_url=None,
        generate_unique_id_function=lambda route: route.name,
    )
    app.state.settings = settings
    app.state.store = store
    app.state.save_limiter = RateLimiter(
        "saves", settings.save_rate_limit, settings.save_rate_window
    )
    app.state.circuit_cache = engine.CircuitCache(settings.cache_entries, settings.cache_nodes)
    app.state.capacity = Capacity(settings.max_heavy_evaluations, settings.heavy_request_weight)
    app.state.evaluations = evaluations
    for module in (evaluate, codegen, parse, catalog, health, circuits, stats):
        app.include_router(module.router)
    app.include_router(methods.router)  # last: it takes every /api request none above took
    install_error_handlers(app)
    install_openapi(app)
    install_docs(app)
    add_middleware(app, settings)
    static = StaticFiles(directory=settings.static_dir, html=True, check_dir=False)
    app.mount("/", static, name="static")
    return app


def add_middleware(app: FastAPI, settings: Settings) -> None:
    """The guards, innermost first: the last one added sees every answer, 500s included."""
    app.add_middleware(
        BodyGuardMiddleware,
        max_bytes=settings.max_body_bytes,
        timeout=settings.body_timeout_seconds,
    )
    app.add_middleware(InternalErrorMiddleware)
    csp = content_security_policy(inline_script_hashes(settings.static_dir / "index.html"))
    app.add_middleware(SecurityHeadersMiddleware, csp=csp)


def _lifespan(
    store: Store, evaluations: EvaluationPool
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """Migrate the store at start-up (or, if its database is down, on first use) and start
    the evaluation processes in the background; close the store and stop the processes
    (once started) at shutdown."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        starting = asyncio.get_running_loop().run_in_executor(None, evaluations.start)
        store.start()
        yield
        store.close()
        await starting
        evaluations.close()

    return lifespan


app = create_app()
