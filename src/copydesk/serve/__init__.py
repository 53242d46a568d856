"""The local inspector: see what copydesk kept, what it dropped and why.

`copydesk.serve.app.create_app(ServeConfig(...))` builds the Starlette app;
`copydesk serve` runs it with uvicorn on 127.0.0.1. See `docs/inspector.md`.
This package's `__init__` imports nothing, so the command line can read the
small `serve.vocab` without loading the web stack.
"""
