"""Run summary (counts by status and reason, records/s) and the TTY progress line.

Reasons are grouped by the text before the first colon of `error`
("not html", "too large", "crashed", "timeout", "file error", ...), so the
summary stays short however many distinct messages a run produces.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, TextIO

from copydesk.article import Article


def reason_of(error: str | None) -> str:
    return (error or "").split(":", 1)[0].strip()[:60] or "unknown"


@dataclass
class Summary:
    """Counters of one run; `to_dict` is what lands in OUT.summary.json."""

    started: float = field(default_factory=time.monotonic)
    records: int = 0
    resumed: int = 0
    status: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    file_errors: int = 0
    exact_dups: int = 0
    near_dups: int = 0
    workers_replaced: int = 0
    engine: str = "local"
    workers: int = 1
    outcome: str = "complete"
    startup_cpu_s: float = 0.0  # parent CPU spent before the first record (imports, models)
    templates: str | None = None  # site-template mode (--templates), None when off
    template_learn_s: float = 0.0  # wall seconds of the learning pass (two-pass, resume)
    template_pages: int = 0  # pages the learning pass counted

    def count(self, article: Article) -> None:
        self.records += 1
        self.count_row(str(article.status), article.error)

    def count_row(self, status: str, error: str | None) -> None:
        self.status[status] += 1
        if status != "ok":
            self.reasons[f"{status}: {reason_of(error)}"] += 1

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def rate(self) -> float:
        return self.records / max(self.elapsed(), 1e-9)

    def to_dict(self) -> dict[str, Any]:
        total = sum(self.status.values())
        return {
            "outcome": self.outcome,
            "engine": self.engine,
            "workers": self.workers,
            "rows": total,
            "rows_this_run": self.records,
            "rows_resumed": self.resumed,
            "status": dict(sorted(self.status.items())),
            "reasons": dict(self.reasons.most_common()),
            "skipped_not_records": dict(self.skipped.most_common()),
            "file_errors": self.file_errors,
            "exact_duplicates": self.exact_dups,
            "near_duplicates": self.near_dups,
            "workers_replaced": self.workers_replaced,
            "seconds": round(self.elapsed(), 3),
            "parent_cpu_s": _cpu_s(resource.RUSAGE_SELF),
            "workers_cpu_s": _cpu_s(resource.RUSAGE_CHILDREN),
            "startup_cpu_s": self.startup_cpu_s,
            "peak_rss_mb": _own_peak_mb(),
            "worker_peak_rss_mb": _peak_mb(resource.RUSAGE_CHILDREN),
            "records_per_second": round(self.rate(), 2),
            **self._templates_dict(),
        }

    def _templates_dict(self) -> dict[str, Any]:
        if self.templates is None:
            return {}
        return {"templates": self.templates, "template_learn_s": round(self.template_learn_s, 3),
                "template_learned_pages": self.template_pages}

    def line(self) -> str:
        st = self.status
        return (f"{sum(st.values())} rows: ok {st['ok']}, empty {st['empty']}, error {st['error']}"
                f" | {self.rate():.1f} records/s")

    def print(self, stream: TextIO = sys.stderr) -> None:
        data = self.to_dict()
        print(f"copydesk: {self.outcome}: {self.line()}", file=stream)
        if data["reasons"]:
            print("  reasons: " + ", ".join(f"{k} {v}" for k, v in data["reasons"].items()),
                  file=stream)
        if data["skipped_not_records"]:
            skipped = ", ".join(f"{k} {v}" for k, v in data["skipped_not_records"].items())
            print(f"  skipped (not input records): {skipped}", file=stream)
        if self.exact_dups or self.near_dups:
            print(f"  duplicates: exact {self.exact_dups}, near {self.near_dups}", file=stream)
        if self.templates:
            learned = (f" (learned from {self.template_pages} pages in "
                       f"{self.template_learn_s:.1f} s first)" if self.template_pages else "")
            print(f"  site templates: {self.templates}{learned}", file=stream)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"


def cpu_seconds(who: int = resource.RUSAGE_SELF) -> float:
    return _cpu_s(who)


def _cpu_s(who: int) -> float:
    """CPU seconds (user + system); for RUSAGE_CHILDREN, of the finished workers. On a
    shared machine records per CPU-second is steadier than records per second."""
    usage = resource.getrusage(who)
    return round(usage.ru_utime + usage.ru_stime, 2)


def _own_peak_mb() -> float:
    """This process's peak RSS (VmHWM). Unlike ru_maxrss, it is not inherited from
    whatever process ran before exec (a benchmark harness holding a corpus)."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return _peak_mb(resource.RUSAGE_SELF)


def _peak_mb(who: int) -> float:
    """Peak resident set size in MB (Linux reports ru_maxrss in KB); for
    RUSAGE_CHILDREN, the largest finished worker."""
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


class Progress:
    """One self-rewriting status line on stderr, at most every `every` seconds."""

    def __init__(self, summary: Summary, enabled: bool, every: float = 0.5) -> None:
        self.summary, self.enabled, self.every = summary, enabled, every
        self.last = 0.0

    def tick(self) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.last >= self.every:
            self.last = now
            sys.stderr.write("\r\x1b[K" + self.summary.line())
            sys.stderr.flush()

    def done(self) -> None:
        if self.enabled:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
