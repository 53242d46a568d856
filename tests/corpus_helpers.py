"""Small generated inputs for the corpus tests (no corpus files needed)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from copydesk_lab.corpus.warcgen import WarcPage, response_record, write_warc

WORDS = [
    "harbour", "council", "budget", "river", "school", "train", "market", "storm",
    "festival", "museum", "minister", "village", "bridge", "hospital", "election", "farmer",
    "police", "weather", "orchestra", "library", "ferry", "airport", "factory", "teacher",
    "garden", "stadium", "court", "mayor"
]


def article_html(n: int, paragraphs: int = 4, marker: str = "") -> bytes:
    """A small news page whose body is unique to `n`."""
    paras = []
    for p in range(paragraphs):
        words = [WORDS[(n * 7 + p * 3 + i * (n % 5 + 1)) % len(WORDS)] for i in range(40)]
        paras.append(f"<p>Story {n} paragraph {p}: " + " ".join(words) + f" number {n}.</p>")
    return (f"<html><head><title>Story {n}</title></head><body>"
            "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
            f"<article><h1>Story {n}</h1>{''.join(paras)}{marker}</article>"
            "<footer>Copyright</footer></body></html>").encode()


def make_warc(path: Path, count: int, *, compress: bool = True,
              markers: dict[int, str] | None = None) -> None:
    markers = markers or {}
    records = [response_record(WarcPage(f"http://example.com/{i}",
                                        article_html(i, marker=markers.get(i, ""))))
               for i in range(count)]
    write_warc(str(path), records, compress=compress)


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 60,
            preexec: Any = None) -> subprocess.CompletedProcess[str]:
    full_env = dict(os.environ, **(env or {}))
    return subprocess.run([sys.executable, "-m", "copydesk.cli", *args], capture_output=True,
                          text=True, env=full_env, timeout=timeout, preexec_fn=preexec)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
