"""`copydesk bench-corpus --templates`: site templates through the batch engine.

Test set: the generated multi-page sites of `copydesk_lab.bench.text_sites`
(real chrome of AEB donor pages around the article regions of other AEB
pages, a rotating "Most popular" box; html-text flattener; gold = the
corpus bodies), written as one folder per site, pages numbered in order,
so the site key is the folder (`--templates` without `--site` or urls).

The same pages also go through the HTML path (`--html`): each line of the
dump becomes a `<p>` of a page with no other structure (how the jusText and
trafilatura baselines of `copydesk bench --mode text` read dumps), so the
HTML Blocks, not the text lines, carry the templates.

Each mode is one `copydesk extract` subprocess over the whole folder with N
workers: no templates, `--templates stream`, `--templates two-pass`. Scored
with the AEB metric (`bench.metric`) on every page and, for streaming, on
pages after the one-page warm-up; speed from the run summaries (records/s
and records per CPU-second after start-up, best of `repeats` alternated
runs, since the machine is shared).
"""

from __future__ import annotations

import html
import re
import tempfile
import time
from pathlib import Path
from typing import Any

from copydesk_lab.bench.metric import corpus_score, score_page
from copydesk_lab.corpus.bench import _cpu, _ratio, extract_run, read_rows

MODES: dict[str, tuple[str, ...]] = {
    "no template": (),
    "stream": ("--templates=stream",),
    "two-pass": ("--templates=two-pass",),
}


def write_sites(work: Path, sites: int, per_site: int, as_html: bool = False,
                corpora: Path | None = None) -> dict[str, tuple[str, int]]:
    """The generated set as `work/sites/<site>/<k>.txt` (or `.html`: lines as `<p>`);
    `<site>/<k>.txt` -> (gold, k)."""
    from copydesk_lab.bench.text_sites import generated_sites

    gold: dict[str, tuple[str, int]] = {}
    seen: dict[str, int] = {}
    for page in generated_sites(sites, per_site, root=corpora):
        folder = work / "sites" / re.sub(r"[^\w.-]+", "_", page.site)
        folder.mkdir(parents=True, exist_ok=True)
        k = seen.get(page.site, 0)
        seen[page.site] = k + 1
        path = folder / f"{k:03d}.{'html' if as_html else 'txt'}"
        path.write_text(_as_html(page.text) if as_html else page.text, encoding="utf-8")
        gold[_key(str(path))] = (page.gold, k)
    return gold


def _as_html(text: str) -> str:
    paras = "".join(f"<p>{html.escape(line)}</p>\n" for line in text.splitlines()
                    if line.strip())
    return f"<!doctype html><html><head><title></title></head><body>\n{paras}</body></html>\n"


def _key(path: str) -> str:
    return f"{Path(path).parent.name}/{Path(path).name}"


def score_rows(rows: list[dict[str, Any]], gold: dict[str, tuple[str, int]],
               warm_up: int = 0) -> dict[str, float]:
    """AEB precision / recall / F1 over rows whose page number is >= `warm_up`."""
    scores = []
    for row in rows:
        body, k = gold[_key(row["source"])]
        if k >= warm_up:
            scores.append(score_page(row["text"] or "", body))
    s = corpus_score(scores)
    return {"precision": round(s.precision, 4), "recall": round(s.recall, 4),
            "f1": round(s.f1, 4), "pages": len(scores)}


def run_template_bench(workers: int, sites: int = 30, per_site: int = 6, repeats: int = 2,
                       workdir: str | None = None, as_html: bool = False,
                       corpora: Path | None = None) -> dict[str, Any]:
    """Quality and speed of each template mode on the generated sites."""
    with tempfile.TemporaryDirectory(dir=workdir, prefix="copydesk-templates-") as tmp:
        work = Path(tmp)
        gold = write_sites(work, sites, per_site, as_html, corpora)
        inputs = [str(work / "sites")]
        page_format = "html" if as_html else "text"
        result: dict[str, Any] = {
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "workers": workers,
            "sites": sites, "pages_per_site": per_site, "pages": len(gold),
            "input_format": page_format, "modes": {}}
        runs: dict[str, list[dict[str, Any]]] = {mode: [] for mode in MODES}
        for _ in range(repeats):
            for mode, flags in MODES.items():
                out = str(work / f"{mode.replace(' ', '-')}.jsonl")
                done = extract_run(inputs, out, workers, "--input-format", page_format, *flags)
                if done["exit"]:
                    raise SystemExit(f"copydesk bench-corpus: {mode} run failed: "
                                     f"{done.get('stderr')}")
                runs[mode].append(done)
                if len(runs[mode]) == 1:
                    rows = read_rows(out)
                    result["modes"][mode] = {"all pages": score_rows(rows, gold),
                                             "pages 2+": score_rows(rows, gold, warm_up=1)}
        for mode, mode_runs in runs.items():
            result["modes"][mode]["speed"] = _speed(mode_runs)
    return result


def _speed(runs: list[dict[str, Any]]) -> dict[str, Any]:
    return {"records_per_s": max(r["records_per_second"] for r in runs),
            "records_per_cpu_s": max(_ratio(r["rows_this_run"], _cpu(r)) or 0 for r in runs),
            "learn_s": min(r.get("template_learn_s", 0.0) for r in runs)}


def report(r: dict[str, Any]) -> str:
    """The figures as a small table."""
    lines = [f"copydesk bench-corpus --templates  ({r['date']}, {r['pages']} {r['input_format']} "
             f"pages on {r['sites']} generated sites x {r['pages_per_site']}, "
             f"{r['workers']} workers)",
             f"{'mode':12s} {'P':>6s} {'R':>6s} {'F1':>6s} | pages 2+: {'P':>6s} {'R':>6s} "
             f"{'F1':>6s} | records/s  records/CPU-s  learn s"]
    for mode, m in r["modes"].items():
        a, b, s = m["all pages"], m["pages 2+"], m["speed"]
        lines.append(
            f"{mode:12s} {a['precision']:6.3f} {a['recall']:6.3f} {a['f1']:6.3f} |           "
            f"{b['precision']:6.3f} {b['recall']:6.3f} {b['f1']:6.3f} | "
            f"{s.get('records_per_s', 0):9.1f}  {s.get('records_per_cpu_s', 0):13.1f}  "
            f"{s.get('learn_s', 0):7.2f}")
    return "\n".join(lines)
