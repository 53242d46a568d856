"""Inspector benchmark: page view of a 1 MB page, corpus search over 100,000 rows.

    python -m copydesk_lab.serve.bench [--rows 100000] [--repeat 5] [--no-browser]
    copydesk bench-serve [--rows 100000] [--repeat 5] [--no-browser]

The issue's bars: a 1 MB page's view ready in under 1 s; a corpus search
over 100,000 rows under 300 ms a query. Pages and rows are synthetic and
seeded, so every run measures the same work: the 1 MB page has the shape of
a heavy news page (inline scripts, a long menu, the article, a big comment
thread); rows are output records whose words follow a Zipf law (word rank r
has frequency ~1/r, Zipf 1935), so queries for a rank-1, a rank-50 and a
rank-5000 word exercise very common, common and rare terms.

"Ready" is measured twice: server side (POST /api/extract in process:
extraction with explanations, sanitising, JSON) and, when chromium is
installed, in the browser from the click on Extract to the blocks drawn.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from copydesk.serve.corpus import CorpusIndex, Query
from copydesk.serve.vocab import CHROMIUM_ARGS, CHROMIUM_PATH, LOOPBACK_HOSTS

_SYLLABLES = ("ka", "ri", "to", "me", "su", "na", "lo", "vi", "de", "pa", "ne", "ru", "sa",
              "mi", "ko", "te", "ba", "lu", "fo", "zi", "gar", "mon", "tel", "ris", "dan",
              "por", "ves", "hul", "cam", "ner")


def vocabulary(size: int, seed: int = 7) -> list[str]:
    """`size` distinct pseudo-words, in rank order."""
    rng = random.Random(seed)
    words: list[str] = []
    seen: set[str] = set()
    while len(words) < size:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def zipf_sampler(words: list[str], seed: int) -> Callable[[int], list[str]]:
    rng = random.Random(seed)
    cumulative = list(itertools.accumulate(1.0 / rank for rank in range(1, len(words) + 1)))

    def sample(count: int) -> list[str]:
        return rng.choices(words, cum_weights=cumulative, k=count)
    return sample


def synthetic_rows(count: int, words: list[str], seed: int = 11) -> Iterator[dict[str, Any]]:
    """Output records (~1.2 KB of body each) with statuses, sites, languages, dates."""
    sample = zipf_sampler(words, seed)
    for n in range(count):
        body = "\n\n".join(" ".join(sample(40)).capitalize() + "." for _ in range(4))
        status = "error" if n % 97 == 0 else "empty" if n % 89 == 0 else "ok"
        yield {
            "id": f"r{n}", "source": f"pages/{n}.html", "url": f"https://site{n % 40}.example/{n}",
            "status": status, "error": None if status == "ok" else "no article found",
            "title": " ".join(sample(8)).capitalize(), "authors": [], "tags": [],
            "language": ("en", "de", "fr", "ko")[n % 4],
            "date_published": f"20{10 + n % 14}-{1 + n % 12:02d}-{1 + n % 28:02d}T08:00:00",
            "text": body if status == "ok" else "", "dup_of": f"r{n - 1}" if n % 50 == 49 else None,
        }


def one_mb_page(size: int = 1_000_000, seed: int = 3) -> str:
    """A heavy news page of about `size` bytes: scripts, menu, article, comments."""
    sample = zipf_sampler(vocabulary(3000, seed), seed)
    script = "<script>var cfg = " + json.dumps({"k": sample(20000)}) + ";</script>"
    menu = "".join(f'<li><a href="/s/{w}">{w}</a></li>' for w in sample(300))
    article = "".join(f"<p>{' '.join(sample(60)).capitalize()}.</p>" for _ in range(60))
    parts = [f"<!doctype html><html><head><title>{' '.join(sample(8))}</title>{script}</head>",
             f"<body><nav><ul>{menu}</ul></nav><article><h1>{' '.join(sample(8))}</h1>{article}",
             "</article><section class=\"comments\">"]
    used = sum(len(p) for p in parts)
    comments = []
    while used < size - 200:
        comment = (f'<div class="comment"><span class="user">{sample(1)[0]}</span>'
                   f"<p>{' '.join(sample(25))}</p></div>")
        comments.append(comment)
        used += len(comment)
    return "".join(parts) + "".join(comments) + "</section><footer>© example</footer></body></html>"


def timed(func: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """(median, max) wall time in milliseconds over `repeat` runs after one warm-up."""
    func()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def bench_page_view(page: str, repeat: int, browser: bool) -> list[tuple[str, float, float]]:
    from starlette.testclient import TestClient

    from copydesk.serve.app import ServeConfig, create_app

    hosts = ["testserver", *LOOPBACK_HOSTS]
    app = create_app(ServeConfig(allowed_hosts=hosts, max_bytes=16 * 1024 * 1024))
    client = TestClient(app)
    body = {"content": page, "url": None, "input_format": None}
    import copydesk

    results = [("extraction alone: copydesk.extract(explain=True) (1 MB)",
                *timed(lambda: copydesk.extract(page, explain=True), repeat)),
               ("page view, server: POST /api/extract (1 MB)",
                *timed(lambda: client.post("/api/extract", json=body).raise_for_status(), repeat))]
    if browser:
        results.extend(_browser_page_view(app, page, repeat))
    return results


def _browser_page_view(app: Any, page: str, repeat: int) -> list[tuple[str, float, float]]:
    chromium = Path(CHROMIUM_PATH)
    if not chromium.exists():
        print("(browser timing skipped: /usr/bin/chromium not installed)", file=sys.stderr)
        return []
    from playwright.sync_api import sync_playwright

    from copydesk.serve.live import serve_in_thread

    args = list(CHROMIUM_ARGS)
    ready: list[float] = []
    framed: list[float] = []
    with tempfile.TemporaryDirectory() as tmp, serve_in_thread(app) as url, \
            sync_playwright() as pw:
        upload = Path(tmp) / "page.html"
        upload.write_text(page, encoding="utf-8")
        browser = pw.chromium.launch(executable_path=str(chromium), args=args)
        tab = browser.new_page(viewport={"width": 1400, "height": 900})
        for _ in range(repeat + 1):
            tab.goto(url + "/")
            tab.set_input_files("#file", str(upload))  # the upload starts on change
            tab.wait_for_selector("body[data-ready-ms]")
            ready.append(float(tab.get_attribute("body", "data-ready-ms") or "nan"))
            framed.append(tab.evaluate(_FRAME_LOADED_MS))
        browser.close()
    return [("page view, browser: upload -> blocks painted (1 MB)",
             statistics.median(ready[1:]), max(ready[1:])),
            ("page view, browser: upload -> original frame loaded (1 MB)",
             statistics.median(framed[1:]), max(framed[1:]))]


# Waits for the inspector's "cd-original" performance mark (set when the
# sandboxed frame has loaded) and returns its time since "cd-start".
_FRAME_LOADED_MS = """async () => {
  for (let i = 0; i < 600; i++) {
    const marks = Object.fromEntries(performance.getEntriesByType('mark')
                                     .map(m => [m.name, m.startTime]));
    if (marks['cd-original'] !== undefined) return marks['cd-original'] - marks['cd-start'];
    await new Promise(r => setTimeout(r, 50));
  }
  return NaN;
}"""


def bench_search(rows: int, repeat: int) -> list[tuple[str, float, float]]:
    words = vocabulary(20000)
    index = CorpusIndex()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "rows.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for row in synthetic_rows(rows, words):
                out.write(json.dumps(row) + "\n")
        start = time.perf_counter()
        index.load([path])
        load_s = time.perf_counter() - start
    queries = {
        "no query, first page": Query(),
        "status=error filter": Query(status="error"),
        f"rank-1 word {words[0]!r}": Query(q=words[0]),
        f"rank-50 word {words[49]!r}": Query(q=words[49]),
        f"rank-5000 word {words[4999]!r}": Query(q=words[4999]),
        "two words (AND)": Query(q=f"{words[9]} {words[199]}"),
        "prefix (last word)": Query(q=words[120][:4]),
        "word + site + language + dates": Query(q=words[49], site="site3.example", language="en",
                                                date_from="2015-01-01", date_to="2020-12-31"),
        "word, page 100 (offset 4950)": Query(q=words[0], offset=4950),
    }
    results = [(f"load + index {rows:,} rows (once, at start)", load_s * 1000, load_s * 1000)]
    for name, query in queries.items():
        index.clear_cache()  # each query pays for its word lookup
        med, worst = timed(_one_query(index, query), repeat)
        results.append((f"search+facets: {name}", med, worst))
    results += _http_queries(index, words, repeat)
    index.close()
    return results


def _http_queries(index: CorpusIndex, words: list[str],
                  repeat: int) -> list[tuple[str, float, float]]:
    """The same refresh through HTTP: GET /api/records and /api/facets, JSON included."""
    from starlette.testclient import TestClient

    from copydesk.serve.app import ServeConfig, create_app

    client = TestClient(create_app(ServeConfig(allowed_hosts=["testserver"]), index=index))
    results = []
    for label, word in (("rank-1", words[0]), ("rank-50", words[49])):
        def refresh(word: str = word) -> None:
            index.clear_cache()
            client.get("/api/records", params={"q": word, "limit": 50}).raise_for_status()
            client.get("/api/facets", params={"q": word}).raise_for_status()
        results.append((f"HTTP /api/records + /api/facets: {label} word", *timed(refresh, repeat)))
    return results


def _one_query(index: CorpusIndex, query: Query) -> Callable[[], Any]:
    """What the corpus view does per change: a page of rows plus the facet counts,
    with the word-lookup cache emptied so every run pays for the full-text search."""
    def run() -> Any:
        index.clear_cache()
        return index.search(query), index.facets(query)
    return run


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of the inspector benchmark (`copydesk bench-serve` and `python -m`)."""
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true", help="server-side timings only")


def run(args: argparse.Namespace) -> int:
    """Print the page-view and search timings; returns the exit status."""
    page = one_mb_page()
    print(f"1 MB page: {len(page.encode()):,} bytes; corpus: {args.rows:,} rows; "
          f"median and max of {args.repeat} runs after a warm-up")
    print(f"{'what':<62} {'median ms':>10} {'max ms':>10}", flush=True)
    for part in (lambda: bench_page_view(page, args.repeat, not args.no_browser),
                 lambda: bench_search(args.rows, args.repeat)):
        for name, med, worst in part():
            print(f"{name:<62} {med:>10.1f} {worst:>10.1f}", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m copydesk_lab.serve.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
