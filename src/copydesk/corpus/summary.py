"""Run summary (counts by status and reason, records/s) and the TTY progress line.

Reasons are grouped by the text before the first colon of `error`
("not html", "too large", "crashed", "timeout", "file error", ...), so the
summary stays short however many distinct messages a run produces.
"""

from __future__ import annotations

import json
import resource
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Protocol

from copydesk.article import Article
from copydesk.corpus.items import ReadStats


def reason_of(error: str | None) -> str:
    """The kind of an error: its text before the first colon or parenthesis."""
    head = (error or "").split(":", 1)[0].split(" (", 1)[0]
    return head.strip()[:60] or "unknown"


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
    strict: bool = False
    unreadable: list[str] = field(default_factory=list)  # first files that could not be read
    examples: dict[str, str] = field(default_factory=dict)  # reason -> first source with it
    hints: list[str] = field(default_factory=list)

    def count(self, article: Article) -> None:
        self.records += 1
        self.count_row(str(article.status), article.error)
        if article.status != "ok":
            reason = f"{article.status}: {reason_of(article.error)}"
            if reason not in self.examples and len(self.examples) < 50:
                self.examples[reason] = article.source or article.id or "?"

    def take_read_stats(self, stats: ReadStats, content_field: str) -> None:
        """What the readers counted: skips, unreadable files, and hints."""
        self.skipped = stats.skips
        self.file_errors = stats.file_errors
        self.unreadable = list(stats.unreadable)
        for name, (missing, _lines, seen) in stats.jsonl_missing.items():
            fields = ", ".join(seen[:12]) or "none"
            self.hints.append(f"every line of {name} ({missing}) misses the content field "
                              f"{content_field!r}; fields seen: {fields}; name the page's field "
                              "with --jsonl-content FIELD")
        if any(key.startswith("folder walk:") and "hidden" not in key for key in stats.skips):
            self.hints.append("files passed over by the folder walk are counted above; "
                              "take them with --include GLOB (for example --include '*')")

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
            "outcome": self.verdict(),
            "engine": self.engine,
            "workers": self.workers,
            "rows": total,
            "rows_this_run": self.records,
            "rows_resumed": self.resumed,
            "status": dict(sorted(self.status.items())),
            "reasons": dict(self.reasons.most_common()),
            "skipped_not_records": dict(self.skipped.most_common()),
            "file_errors": self.file_errors,
            "unreadable_files": self.unreadable,
            "reason_examples": self.examples,
            "hints": self.hints,
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

    def verdict(self) -> str:
        """The outcome in words: complete, or why the exit status is not 0."""
        if self.outcome != "complete":
            return self.outcome
        rows, errors = sum(self.status.values()), self.status["error"]
        if rows == 0 or errors == rows == self.reasons.get("error: file error", 0):
            return "failed: no input could be read"
        if errors == rows:
            return "failed: every row is an error"
        if self.strict and errors:
            return f"failed (--strict): {errors} error rows"
        return "complete"

    def report_lines(self) -> list[str]:
        """The summary a command prints: the verdict and counts, then the details."""
        data = self.to_dict()
        out: list[str] = []
        out.append(f"copydesk: {self.verdict()}: {self.line()}")
        if data["reasons"]:
            top = list(data["reasons"].items())[:8]
            more_reasons = len(data["reasons"]) - 8
            out.append("  reasons: " + ", ".join(f"{k} {v}" for k, v in top)
                       + (f", ... ({more_reasons} more)" if more_reasons > 0 else ""))
            for reason, _count in top[:3]:
                if reason in self.examples:
                    out.append(f"    first {reason}: {self.examples[reason]}")
        if self.unreadable:
            shown = self.unreadable[:10]
            more = self.file_errors - len(shown)
            out.append("  could not read: " + "; ".join(shown)
                       + (f"; and {more} more" if more > 0 else ""))
        if data["skipped_not_records"]:
            skipped = ", ".join(f"{k} {v}" for k, v in data["skipped_not_records"].items())
            out.append(f"  skipped (not input records): {skipped}")
        if self.exact_dups or self.near_dups:
            out.append(f"  duplicates: exact {self.exact_dups}, near {self.near_dups}")
        if self.templates:
            learned = (f" (learned from {self.template_pages} pages in "
                       f"{self.template_learn_s:.1f} s first)" if self.template_pages else "")
            out.append(f"  site templates: {self.templates}{learned}")
        out.extend(f"  hint: {hint}" for hint in self.hints)
        return out

    @classmethod
    def load(cls, path: str) -> Summary | None:
        """The counts a finished run saved (`OUT.summary.json`), enough to say again how
        it ended; None when the file is missing or unreadable."""
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
            saved = cls()
            saved.status.update({str(k): int(v) for k, v in data["status"].items()})
            saved.reasons.update({str(k): int(v) for k, v in data["reasons"].items()})
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        return saved

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


class ProgressDisplay(Protocol):
    """What the engine tells a progress display (`commands.progress.Progress` on a
    terminal): a tick per row written, and the end."""

    def tick(self) -> None: ...

    def done(self) -> None: ...


class _NoProgress:
    def tick(self) -> None:
        return None

    def done(self) -> None:
        return None


NO_PROGRESS: ProgressDisplay = _NoProgress()
