"""Record every dev-corpus page's output, and compare two records: proof that a
refactor left behaviour unchanged.

    python -m copydesk_lab.outputs record OUT.jsonl [--corpora DIR] [--sets aeb,wcxb]
    python -m copydesk_lab.outputs compare BEFORE.jsonl AFTER.jsonl

One line per page: the HTML pages of aeb, readability, newspaper4k and wcxb,
then the article corpora flattened to text dumps by each flattener of the
text dev set (inscriptis, html-text, resiliparse; text mode). Each line keeps
the fields worth reading in a diff (status, content_hash, title, dates,
authors, site, language, page type, rung), every block's decision
(`blocks`: kept and reason, from `explain=True`: the rules' decisions are
also the block model's inputs, so a changed decision shows even where the
body does not change) and `row_sha1`, a hash of the whole output row of the
plain call (no explanation), so the cheaper path without `explain` is
compared too.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import copydesk
from copydesk_lab.bench import datasets, devset
from copydesk_lab.paths import CORPORA_HELP, corpora_dir

KEPT = ("status", "content_hash", "title", "date_published", "date_modified", "authors",
        "site_name", "language", "page_type", "rung")
HTML_SETS = ("aeb", "readability", "newspaper4k", "wcxb")
TEXT_SETS = devset.CORPORA
TEXT_FLATTENERS = devset.FLATTENERS


def page_outputs(root: Path, sets: tuple[str, ...] | None = None) -> Iterator[dict[str, Any]]:
    """One summary per dev page, HTML pages first, then their text dumps.

    `sets` limits the record to some of `aeb`, `readability`, ... (HTML) and
    `text/aeb`, ... (text dumps); None records all of them.
    """
    for name in HTML_SETS:
        if sets is None or name in sets:
            for page in datasets.load(name, root, need_text=False):
                yield _summary(name, page.id, page.html_bytes, url=page.url)
    for name in TEXT_SETS:
        if sets is not None and f"text/{name}" not in sets:
            continue
        for flattener in TEXT_FLATTENERS:
            for tpage in devset.load(name, flattener, root=root):
                yield _summary(f"text/{name}/{flattener}", tpage.id, tpage.text,
                               input_format="text")


def _summary(dataset: str, page_id: str, content: bytes | str, **options: Any) -> dict[str, Any]:
    row = copydesk.extract(content, **options).to_dict()
    whole = json.dumps(row, sort_keys=True, default=str).encode()
    explained = copydesk.extract(content, explain=True, **options)
    blocks = explained.explanation.blocks if explained.explanation is not None else []
    return {"dataset": dataset, "id": page_id, **{k: row[k] for k in KEPT},
            "row_sha1": hashlib.sha1(whole).hexdigest(),
            "text_sha1": hashlib.sha1(explained.text.encode()).hexdigest(),
            "blocks": [[b.kept, b.reason] for b in blocks]}


def compare(before: Path, after: Path) -> list[str]:
    """Lines describing every page whose output differs (empty: identical)."""
    old = {(r["dataset"], r["id"]): r for r in _read(before)}
    new = {(r["dataset"], r["id"]): r for r in _read(after)}
    diffs = [f"only before: {k}" for k in old.keys() - new.keys()]
    diffs += [f"only after: {k}" for k in new.keys() - old.keys()]
    for key in sorted(old.keys() & new.keys()):
        a, b = old[key], new[key]
        if a != b:
            fields = [f for f in a if a[f] != b.get(f)]
            diffs.append(f"{key[0]}/{key[1]}: {', '.join(fields)}{_first_block(a, b)}")
    return diffs


def _first_block(a: dict[str, Any], b: dict[str, Any]) -> str:
    """Where the block decisions first differ, when they do."""
    old, new = a.get("blocks") or [], b.get("blocks") or []
    for i, (x, y) in enumerate(zip(old, new, strict=False)):
        if x != y:
            return f" (block {i}: {x} -> {y})"
    return f" ({len(old)} -> {len(new)} blocks)" if len(old) != len(new) else ""


def _read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m copydesk_lab.outputs", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="action", required=True)
    rec = sub.add_parser("record")
    rec.add_argument("out", type=Path)
    rec.add_argument("--corpora", default=None, help=CORPORA_HELP)
    rec.add_argument("--sets", default=None,
                     help="comma-separated: aeb, readability, newspaper4k, wcxb, text/aeb, "
                          "text/readability, text/newspaper4k (default: all)")
    cmp = sub.add_parser("compare")
    cmp.add_argument("before", type=Path)
    cmp.add_argument("after", type=Path)
    args = ap.parse_args(argv)
    if args.action == "record":
        sets = tuple(args.sets.split(",")) if args.sets else None
        rows = list(page_outputs(corpora_dir(args.corpora), sets))
        args.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                            "utf-8")
        print(f"{len(rows)} pages recorded in {args.out}", file=sys.stderr)
        return 0
    diffs = compare(args.before, args.after)
    print("\n".join(diffs) if diffs else f"identical: {len(_read(args.before))} pages")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
