"""The web shell: FastAPI over the engine, with no maths of its own."""
