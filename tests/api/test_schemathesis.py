"""Schemathesis (pinned) against /openapi.json, in process on the ASGI app, with every
check it has: positive and negative requests generated from the schema and its
examples, each answer checked against the documented statuses, headers and schemas.

The engine checks more than a JSON Schema can say (an input must name a node, no
cycles), so a request that fits the schema may still get 413 or 422: those are the
statuses positive data may get besides 2xx. The size bounds run before validation
(`engine.bounds`: an id or an input list over its limit is refused before any part of the
request is echoed), so a request that breaks the schema and a limit at once gets 413: a
refusal, which negative data may get besides schemathesis's own list. Everything else is as
shipped.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig

from app.main import create_app
from app.settings import Settings

load_all_checks()
REFUSALS = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429"]
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {"expected-statuses": ["2xx", "404", "413", "422"]},
            "negative_data_rejection": {"expected-statuses": REFUSALS},
        }
    }
)
# saves go to a folder of their own, and the rate limit stays out of the generated traffic's way
APP = create_app(
    Settings(data_dir=Path(tempfile.mkdtemp(prefix="schemathesis-")), save_rate_limit=100_000)
)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP, config=CONFIG)
EVERY_CHECK = CHECKS.get_all()


@schema.parametrize()
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_conforms_to_its_schema(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=EVERY_CHECK)
