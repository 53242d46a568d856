"""The inspector's Starlette application: two pages and a small JSON API.

Pages: `/` (page view: paste, upload, or one row of a loaded output) and
`/corpus` (corpus view). API (used by the pages, stable for scripts):

- `POST /api/extract` JSON `{"content", "url", "input_format"}` -> record +
  `blocks` + `candidates` (+ `notes`, `original_url`, `elapsed_ms`);
- `GET /api/original/{token}` -> the inspected page, sanitised, under a sandbox CSP;
- `POST /api/upload?name=&url=&input_format=` raw bytes -> same payload
  (bytes keep their charset, which a browser-side text read would lose);
- `GET /api/records?q=&status=&site=&language=&date_from=&date_to=&dups=&limit=&offset=`
  -> `{"rows", "total"}`; `GET /api/facets` same filters -> counts;
- `GET /api/records/{rid}` -> page-view payload of one row;
- `GET /api/preloaded` -> payload of `--open-file`; `GET /api/files` -> loaded outputs.
"""

from __future__ import annotations

import contextlib
import json
import math
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from copydesk.serve.corpus import CorpusIndex, Query
from copydesk.serve.pageview import OriginalStore, extract_payload, read_source, stored_payload
from copydesk.serve.security import (
    BodyLimitMiddleware,
    HeadersMiddleware,
    PathGuard,
    same_origin,
    too_large_message,
)
from copydesk.serve.timeouts import BodyTimeoutMiddleware
from copydesk.serve.vocab import DEFAULT_LIMIT, FRAME_CSP, LOOPBACK_HOSTS, MAX_UPLOAD_BYTES

HERE = Path(__file__).resolve().parent
_FORMATS = (None, "html", "text")


@dataclass
class ServeConfig:
    """Everything the server may touch: the outputs, the source roots, one file to open."""

    outputs: list[Path] = field(default_factory=list)
    source_roots: list[Path] = field(default_factory=list)
    open_file: Path | None = None
    max_bytes: int = MAX_UPLOAD_BYTES
    allowed_hosts: list[str] = field(default_factory=lambda: list(LOOPBACK_HOSTS))


class Inspector:
    """State shared by the handlers: the corpus index, the path guard, the preloaded page."""

    def __init__(self, config: ServeConfig, corpus: CorpusIndex | None = None,
                 background: bool = False) -> None:
        self.config = config
        self.corpus = corpus or CorpusIndex()
        if background and config.outputs:
            # Serve at once; the corpus view shows progress until the index is built.
            self.corpus.ready.clear()
            threading.Thread(target=self.corpus.load, args=(config.outputs,),
                             name="corpus-load", daemon=True).start()
        else:
            self.corpus.load(config.outputs)
        self.guard = PathGuard(config.source_roots)
        self.bases = [Path.cwd(), *{p.resolve().parent for p in config.outputs},
                      *config.source_roots]
        self.preloaded: bytes | None = None
        if config.open_file is not None:
            self.preloaded = read_source(config.open_file, config.max_bytes)
        self.originals = OriginalStore()
        self._preloaded_payload: dict[str, Any] | None = None
        self._preloaded_lock = threading.Lock()

    def preloaded_payload(self) -> dict[str, Any] | None:
        """Page view of `--open-file`, computed once (by `warm_up` or the first request)."""
        if self.preloaded is None:
            return None
        with self._preloaded_lock:
            if self._preloaded_payload is None:
                name = self.config.open_file.name if self.config.open_file else None
                self._preloaded_payload = extract_payload(self.preloaded, None, None, name,
                                                          self.originals)
            return self._preloaded_payload

    def warm_up(self) -> None:
        """Pay the extractor's first-call cost (imports, models: seconds) before the
        browser asks, and prepare the `--open-file` page."""
        sentence = "The council voted on Tuesday to extend the night bus network, officials said. "
        extract_payload(f"<html><body><nav>Home</nav><p>{sentence * 5}</p></body></html>")
        extract_payload(f"Home\nNews\n\n{sentence * 5}\n\n{sentence * 3}\n\nContact us\n")
        self.preloaded_payload()


def _warm_extractor_in_background() -> None:
    """Load the parser, models and compiled text kernels while the server starts.

    The first text dump a process extracts compiles the text path's kernels
    (seconds; tens of seconds on a fresh install): better before a user
    pastes a page than while they wait for it.
    """
    from copydesk import preload
    from copydesk.corpus.worker import warm_up
    from copydesk.options import Options

    threading.Thread(target=warm_up, args=(Options(), preload.PARTS), name="warm-up",
                     daemon=True).start()


def create_app(config: ServeConfig | None = None, index: CorpusIndex | None = None,
               background: bool = False) -> Starlette:
    """Build the app; `config` lists every file the server is allowed to read.
    `index` lets a caller (the benchmark) hand over a corpus index it already built;
    `background` loads the outputs in a thread so the server answers at once."""
    config = config or ServeConfig()
    state = Inspector(config, index, background)
    if background:
        _warm_extractor_in_background()
    templates = Jinja2Templates(directory=str(HERE / "templates"))

    async def page(request: Request) -> Response:
        return templates.TemplateResponse(request, "page.html", _context(state))

    async def corpus(request: Request) -> Response:
        return templates.TemplateResponse(request, "corpus.html", _context(state))

    routes = [
        Route("/", page),
        Route("/corpus", corpus),
        Route("/api/extract", _handler(state, api_extract), methods=["POST"]),
        Route("/api/upload", _handler(state, api_upload), methods=["POST"]),
        Route("/api/records", _handler(state, api_records)),
        Route("/api/facets", _handler(state, api_facets)),
        Route("/api/records/{rid:int}", _handler(state, api_record)),
        Route("/api/preloaded", _handler(state, api_preloaded)),
        Route("/api/files", _handler(state, api_files)),
        Route("/api/original/{token}", _handler(state, api_original)),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    middleware = [
        Middleware(HeadersMiddleware),
        # The transport cap leaves room for JSON escaping (a 9 MB page may take
        # 12 MB as a JSON string); handlers then apply the exact content cap.
        Middleware(BodyLimitMiddleware, limit=2 * config.max_bytes + 65536),
        Middleware(BodyTimeoutMiddleware),
        Middleware(TrustedHostMiddleware, allowed_hosts=config.allowed_hosts),
    ]
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        state.corpus.close()

    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.inspector = state
    return app


def _context(state: Inspector) -> dict[str, Any]:
    ready = state.corpus.ready.is_set()
    rows = f"{state.corpus.count()} rows" if ready else "indexing…"
    return {"max_bytes": state.config.max_bytes, "rows": rows,
            "preloaded": state.preloaded is not None,
            "open_name": state.config.open_file.name if state.config.open_file else ""}


def _handler(state: Inspector, func: Any) -> Any:
    async def endpoint(request: Request) -> Response:
        return await func(state, request)
    return endpoint


def _error(status: int, message: str) -> JSONResponse:
    return SafeJSONResponse({"error": message}, status_code=status)


def _post_refusal(request: Request, expected: str) -> JSONResponse | None:
    """CSRF guard: a POST must come from our own origin with our content type.
    A non-simple content type also forces a CORS preflight, which we never grant."""
    if not same_origin(request.headers.get("origin"), request.headers.get("host")):
        return _error(403, "cross-origin request refused")
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != expected:
        return _error(415, f"send the body as {expected}")
    return None


async def api_extract(state: Inspector, request: Request) -> Response:
    refusal = _post_refusal(request, "application/json")
    if refusal is not None:
        return refusal
    try:
        body = json.loads(await request.body())
    except (ValueError, RecursionError):  # RecursionError: JSON nested 100,000 deep
        return _error(400, "body is not valid JSON (or nested too deeply)")
    problem = _check_extract_body(body, state.config.max_bytes)
    if problem:
        return _error(413 if "too large" in problem else 400, problem)
    payload = await run_in_threadpool(extract_payload, body["content"], body.get("url"),
                                      body.get("input_format"), None, state.originals)
    return SafeJSONResponse(payload)


def _check_extract_body(body: Any, limit: int) -> str | None:
    if not isinstance(body, dict) or not isinstance(body.get("content"), str):
        return 'expected {"content": str, "url": str|null, "input_format": "html"|"text"|null}'
    if body.get("input_format") not in _FORMATS:
        return 'input_format must be "html", "text" or null'
    if body.get("url") is not None and not isinstance(body["url"], str):
        return "url must be a string or null"
    if len(body["content"].encode("utf-8", "surrogatepass")) > limit:
        return too_large_message(limit)
    return None


async def api_upload(state: Inspector, request: Request) -> Response:
    refusal = _post_refusal(request, "application/octet-stream")
    if refusal is not None:
        return refusal
    data = await request.body()
    if len(data) > state.config.max_bytes:
        return _error(413, too_large_message(state.config.max_bytes))
    fmt = request.query_params.get("input_format") or None
    if fmt not in _FORMATS:
        return _error(400, 'input_format must be "html" or "text"')
    if data[:2] == b"\x1f\x8b":
        try:
            data = await run_in_threadpool(_gunzip, data, state.config.max_bytes)
        except ValueError as exc:
            return _error(413, str(exc))
    name = (request.query_params.get("name") or "upload")[:200]
    payload = await run_in_threadpool(extract_payload, data,
                                      request.query_params.get("url") or None, fmt, name,
                                      state.originals)
    return SafeJSONResponse(payload)


def _gunzip(data: bytes, cap: int) -> bytes:
    import zlib

    try:
        out = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data, cap + 1)
    except zlib.error as exc:
        raise ValueError(f"not a readable gzip file: {exc}") from exc
    if len(out) > cap:
        raise ValueError(too_large_message(cap))
    return out


def _query(request: Request) -> Query:
    params = request.query_params

    def number(name: str, default: int) -> int:
        raw = params.get(name, "")
        # ASCII digits only: "²".isdigit() is True but int("²") fails.
        return min(int(raw), 10**9) if raw.isascii() and raw.isdigit() and len(raw) < 12 \
            else default

    return Query(q=params.get("q", "")[:500], status=params.get("status", ""),
                 site=params.get("site", ""), language=params.get("language", ""),
                 date_from=params.get("date_from", ""), date_to=params.get("date_to", ""),
                 dups=params.get("dups", ""), reason=params.get("reason", ""),
                 limit=number("limit", DEFAULT_LIMIT), offset=number("offset", 0))


def _loading(state: Inspector) -> dict[str, Any] | None:
    """While the outputs are being indexed: an answer saying so, with progress."""
    if state.corpus.ready.is_set():
        return None
    return {"rows": [], "total": 0, "loading": True, "read": state.corpus.rows_read(),
            "status": [], "reason": [], "site": [], "language": [], "duplicates": 0}


async def api_records(state: Inspector, request: Request) -> Response:
    loading = _loading(state)
    if loading is not None:
        return SafeJSONResponse(loading)
    return SafeJSONResponse(await run_in_threadpool(state.corpus.search, _query(request)))


async def api_facets(state: Inspector, request: Request) -> Response:
    loading = _loading(state)
    if loading is not None:
        return SafeJSONResponse(loading)
    return SafeJSONResponse(await run_in_threadpool(state.corpus.facets, _query(request)))


async def api_files(state: Inspector, request: Request) -> Response:
    if not state.corpus.ready.is_set():
        return SafeJSONResponse({"files": [], "total": 0, "loading": True,
                             "read": state.corpus.rows_read()})
    files = [{"name": Path(f.path).name, "rows": f.rows, "skipped": f.skipped,
              "problems": f.problems or []} for f in state.corpus.files]
    return SafeJSONResponse({"files": files, "total": state.corpus.count()})


async def api_record(state: Inspector, request: Request) -> Response:
    if not state.corpus.ready.is_set():
        return _error(503, "the outputs are still being indexed; try again in a moment")
    rid = int(request.path_params["rid"])
    found = state.corpus.get(rid)
    if found is None:
        return _error(404, "no such row")
    payload = await run_in_threadpool(_record_payload, state, found[0])
    payload["rid"] = rid
    return SafeJSONResponse(payload)


def _record_payload(state: Inspector, row: dict[str, Any]) -> dict[str, Any]:
    """Re-extract with explanations when the source is readable and allowed."""
    source = str(row.get("source") or "")
    path = state.guard.resolve(source, state.bases) if source else None
    if path is None:
        why = ("source file not among the allowed paths (start with --source-root DIR)"
               if source else "row has no source")
        payload = stored_payload(row, f"showing the stored record: {why}")
    else:
        try:
            data = read_source(path, state.config.max_bytes)
        except (OSError, ValueError) as exc:
            return stored_payload(row, f"showing the stored record: cannot read source: {exc}")
        payload = extract_payload(data, row.get("url"), row.get("input_format"), source,
                                  state.originals)
        payload["notes"].append("re-extracted from the source file with explanations")
    return payload


async def api_preloaded(state: Inspector, request: Request) -> Response:
    payload = await run_in_threadpool(state.preloaded_payload)
    if payload is None:
        return _error(404, "no file was opened with --open-file")
    return SafeJSONResponse(payload)


# The original page's own headers: the policy plus the CSP `sandbox`
# directive (no scripts even if opened outside the frame); framable by us only.
_ORIGINAL_HEADERS = {
    "content-security-policy": f"{FRAME_CSP}; sandbox; frame-ancestors 'self'",
    "x-frame-options": "SAMEORIGIN",
    "cache-control": "no-store",
}


async def api_original(state: Inspector, request: Request) -> Response:
    page = await run_in_threadpool(state.originals.html, request.path_params["token"])
    if page is None:
        return _error(404, "this page is no longer kept; extract it again")
    return HTMLResponse(page, headers=_ORIGINAL_HEADERS)


class SafeJSONResponse(JSONResponse):
    """JSON that always renders: rows read from outputs may hold NaN or lone
    surrogates (written by other tools), which Starlette's encoder refuses (a 500).
    NaN and infinities become null, lone surrogates U+FFFD."""

    def render(self, content: Any) -> bytes:
        try:
            return super().render(content)
        except (ValueError, UnicodeEncodeError):
            return super().render(_json_safe(content))


def _json_safe(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, dict):
        return {_json_safe(str(k)): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    return value
