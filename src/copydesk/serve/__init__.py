"""The local inspector: see what copydesk kept, what it dropped and why.

`create_app(ServeConfig(...))` builds the Starlette app; `copydesk serve`
runs it with uvicorn on 127.0.0.1. See `docs/inspector.md`.
"""

from copydesk.serve.app import ServeConfig, create_app

__all__ = ["ServeConfig", "create_app"]
