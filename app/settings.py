"""Configuration from the environment (prefix ``BACKPROP_``); the limits' defaults are
the engine's own (`engine.Limits`), written there once."""

from __future__ import annotations

from dataclasses import fields
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request
from pydantic import AliasChoices, Field, PositiveFloat, PositiveInt
from pydantic_settings import BaseSettings, SettingsConfigDict

from engine import Limits

MIB = 1024 * 1024
REPO_STATIC = Path(__file__).resolve().parent.parent / "static"


class Settings(BaseSettings):
    """Limits and where to serve from; each field is an env var, e.g. ``BACKPROP_MAX_NODES``."""

    model_config = SettingsConfigDict(env_prefix="BACKPROP_", frozen=True)

    max_body_bytes: PositiveInt = 8 * MIB
    body_timeout_seconds: PositiveFloat = 10.0
    header_timeout_seconds: PositiveFloat = 10.0
    max_nodes: PositiveInt = Limits.max_nodes
    max_expression_chars: PositiveInt = Limits.max_expression_chars
    max_tensor_elements: PositiveInt = Limits.max_tensor_elements
    max_total_elements: PositiveInt = Limits.max_total_elements
    max_gradcheck_evaluations: PositiveInt = Limits.max_gradcheck_evaluations
    max_sweep_points: PositiveInt = Limits.max_sweep_points
    max_id_chars: PositiveInt = Limits.max_id_chars
    max_gate_inputs: PositiveInt = Limits.max_gate_inputs
    max_request_bytes: PositiveInt = Limits.max_request_bytes
    max_response_bytes: PositiveInt = 64 * MIB  # an evaluation's answer, as JSON (413 past it)
    max_heavy_evaluations: PositiveInt = 2  # at once, per worker process
    heavy_request_weight: PositiveInt = 2_000  # nodes + value elements
    time_budget_s: PositiveFloat = 10.0  # an evaluation still running after this stops: 503
    cache_entries: PositiveInt = 64  # compiled circuits kept for value-only edits
    cache_nodes: PositiveInt = 200_000  # their nodes together (each keeps its request)
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    static_dir: Path = REPO_STATIC
    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("BACKPROP_DATABASE_URL", "DATABASE_URL", "database_url"),
    )
    data_dir: Path = Path("data")
    save_rate_limit: PositiveInt = 30
    save_rate_window: PositiveInt = 60

    def storage_url(self) -> str:
        """`database_url`, or by default a SQLite file in `data_dir` (made on first use)."""
        return self.database_url or f"sqlite:///{self.data_dir / 'circuits.sqlite3'}"

    def limits(self) -> Limits:
        """The engine's view of these settings."""
        return Limits(**{field.name: getattr(self, field.name) for field in fields(Limits)})


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read from the environment once."""
    return Settings()


async def app_settings(request: Request) -> Settings:
    """The settings the app was made with (`main.create_app`). An async dependency that
    reads app state costs a request no hop to a worker thread."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(app_settings)]
