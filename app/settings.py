"""Configuration from the environment (prefix ``BACKPROP_``), with the contract's defaults."""

from __future__ import annotations

from dataclasses import fields
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from fastapi import Depends
from pydantic import Field, PositiveFloat, PositiveInt
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
    max_nodes: PositiveInt = 100_000
    max_expression_chars: PositiveInt = 10_000
    max_tensor_elements: PositiveInt = 1_000_000
    max_total_elements: PositiveInt = 4_000_000
    max_gradcheck_evaluations: PositiveInt = 5_000_000
    max_id_chars: PositiveInt = 100
    max_gate_inputs: PositiveInt = 100
    max_request_bytes: PositiveInt = 512 * MIB
    max_heavy_evaluations: PositiveInt = 2  # at once, per worker process
    heavy_request_weight: PositiveInt = 2_000  # nodes + value elements
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    static_dir: Path = REPO_STATIC

    def limits(self) -> Limits:
        """The engine's view of these settings."""
        return Limits(**{field.name: getattr(self, field.name) for field in fields(Limits)})


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read from the environment once."""
    return Settings()


SettingsDep = Annotated[Settings, Depends(get_settings)]
