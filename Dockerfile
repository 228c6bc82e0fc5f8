# The wheel is built where a C compiler is (the engine's C extension, from csrc/);
# the image that runs it stays slim and compiler-free.
FROM python:3.11-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml setup.py README.md ./
COPY csrc ./csrc
COPY engine ./engine
COPY app ./app
# the extension is optional for a compiler-less install; here it must be in the wheel
RUN pip wheel --no-deps --wheel-dir /wheels . \
    && python -c "import glob, sys, zipfile; names = zipfile.ZipFile(glob.glob('/wheels/*.whl')[0]).namelist(); sys.exit(not any(n.startswith('engine/_native') for n in names))"

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    BACKPROP_STATIC_DIR=/app/static

RUN useradd --create-home --uid 10001 app
WORKDIR /app

COPY --from=build /wheels /wheels
RUN pip install --no-compile /wheels/*.whl && rm -rf /wheels \
    && python -c "import engine._native"
COPY static ./static
# saved circuits go to data/circuits.sqlite3 unless DATABASE_URL names another database
RUN mkdir data && chown app data
VOLUME /app/data

USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/health', timeout=2)"
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000", "--workers", "4", \
     "--http", "app.server:GuardedHttpToolsProtocol", "--loop", "uvloop", "--timeout-keep-alive", "5", \
     "--limit-concurrency", "2000"]
