"""One router per module; `main.create_app` includes them all."""
