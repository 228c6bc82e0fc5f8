FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    BACKPROP_STATIC_DIR=/app/static

RUN useradd --create-home --uid 10001 app
WORKDIR /app

COPY pyproject.toml README.md ./
COPY engine ./engine
COPY app ./app
RUN pip install --no-compile . && rm -rf engine app
COPY static ./static
# saved circuits go to data/circuits.sqlite3 unless DATABASE_URL names another database
RUN mkdir data && chown app data
VOLUME /app/data

USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/health', timeout=2)"
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000", "--workers", "4", \
     "--http", "app.server:GuardedH11Protocol", "--timeout-keep-alive", "5", \
     "--limit-concurrency", "2000"]
