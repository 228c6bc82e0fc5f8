"""/docs: Swagger UI served from this app (the pinned swagger-ui-bundle-v2 package), never a CDN.

The page holds no inline script, so the Content-Security-Policy stays `script-src 'self'`:
its set-up is the small script at /docs/init.js. ReDoc is turned off (no package ships it).
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.responses import HTMLResponse, Response
from swagger_ui_bundle import swagger_ui_path

ASSETS = "/docs/assets"
PAGE = f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Backprop Circuits API</title>
  <link rel="stylesheet" href="{ASSETS}/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="{ASSETS}/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
"""
INIT = """window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
  layout: "BaseLayout",
});
"""

router = APIRouter(include_in_schema=False)


@router.get("/docs")
def read_docs() -> Response:
    """The Swagger UI page."""
    return HTMLResponse(PAGE)


@router.get("/docs/init.js")
def read_docs_init() -> Response:
    """The Swagger UI set-up, as a script file rather than inline."""
    return Response(INIT, media_type="text/javascript")


def install_docs(app: FastAPI) -> None:
    """Serve /docs and its assets; call before the front end is mounted at /."""
    app.include_router(router)
    app.mount(ASSETS, StaticFiles(directory=str(swagger_ui_path)), name="swagger-ui")
