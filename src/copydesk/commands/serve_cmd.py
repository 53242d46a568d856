"""`copydesk serve [OUTPUT...] [--host 127.0.0.1] [--port 8765] [--open-file PAGE]`.

Runs the local inspector (page view and corpus view). It binds to loopback
unless told otherwise and reads only the files named here: the outputs, the
page given with --open-file, and source pages under --source-root folders.
"""

from __future__ import annotations

import argparse
import sys
import threading
import webbrowser
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from copydesk.serve.vocab import LOOPBACK_HOSTS


def register(sub: Any) -> None:
    p = sub.add_parser("serve", help="local web inspector: page view and corpus view")
    p.add_argument("outputs", nargs="*", metavar="OUTPUT",
                   help="outputs of `copydesk extract` to browse (.jsonl, .jsonl.gz, .parquet)")
    p.add_argument("--host", default="127.0.0.1",
                   help="interface to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    p.add_argument("--open-file", metavar="PAGE", default=None,
                   help="open this page (HTML or text dump) in the page view at start")
    p.add_argument("--source-root", metavar="DIR", action="append", default=[],
                   help="folder whose pages may be re-read to explain a row (repeatable)")
    p.add_argument("--max-upload-mb", type=float, default=10.0,
                   help="largest page accepted by paste or upload (default 10 MB)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser window")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    missing = _missing_serve_libraries()
    if missing:
        print(f"copydesk serve needs {', '.join(missing)}, optional dependencies: "
              "pip install 'copydesk[serve]'", file=sys.stderr)
        return 2
    config = _config(args)
    if config is None:
        return 2
    import uvicorn

    from copydesk.serve.app import create_app

    if config.outputs:
        print(f"copydesk serve: indexing {len(config.outputs)} output file(s) in the background",
              file=sys.stderr)
    try:
        app = create_app(config, background=True)
    except (OSError, ValueError) as exc:
        print(f"copydesk serve: {exc}", file=sys.stderr)
        return 2
    threading.Thread(target=app.state.inspector.warm_up, name="warm-up", daemon=True).start()
    url = f"http://{_url_host(args.host)}:{args.port}/" + ("?open=1" if config.open_file else "")
    print(f"copydesk inspector on {url}; Ctrl-C to stop", file=sys.stderr)
    if not args.no_browser:
        threading.Timer(1.0, webbrowser.open, (url,)).start()
    from copydesk.serve.timeouts import TimedH11Protocol

    # Header deadline (TimedH11Protocol), idle keep-alive 5 s, at most 200 connections.
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning",
                http=TimedH11Protocol, timeout_keep_alive=5, limit_concurrency=200)
    return 0


def _missing_serve_libraries() -> list[str]:
    """The inspector's libraries (the `serve` extra) that are not installed."""
    return [name for name in ("starlette", "jinja2", "uvicorn") if find_spec(name) is None]


def _config(args: argparse.Namespace) -> Any:
    from copydesk.serve.app import ServeConfig

    missing = [p for p in [*args.outputs, *([args.open_file] if args.open_file else [])]
               if not Path(p).is_file()]
    missing += [d for d in args.source_root if not Path(d).is_dir()]
    if missing:
        print(f"copydesk serve: not found: {', '.join(missing)}", file=sys.stderr)
        return None
    hosts = list(LOOPBACK_HOSTS)
    if args.host not in LOOPBACK_HOSTS:
        # Bound to another interface on purpose: answer to any Host header.
        hosts = ["*"]
    return ServeConfig(outputs=[Path(p) for p in args.outputs],
                       source_roots=[Path(d) for d in args.source_root],
                       open_file=Path(args.open_file) if args.open_file else None,
                       max_bytes=int(args.max_upload_mb * 1024 * 1024), allowed_hosts=hosts)


def _url_host(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "::") else host
