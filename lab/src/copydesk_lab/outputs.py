"""Record every dev-corpus page's output, and compare two records: proof that a
refactor left behaviour unchanged.

    python -m copydesk_lab.outputs record OUT.jsonl [--corpora DIR]
    python -m copydesk_lab.outputs compare BEFORE.jsonl AFTER.jsonl

One line per page: the HTML pages of aeb, readability and newspaper4k, then the
same corpora flattened to text dumps by html-text (text mode). Each line keeps
the fields worth reading in a diff (status, content_hash, title, dates,
authors, site, language, rung) and `row_sha1`, a hash of the whole output row.
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
        "site_name", "language", "rung")
HTML_SETS = ("aeb", "readability", "newspaper4k")
TEXT_FLATTENER = "html-text"


def page_outputs(root: Path) -> Iterator[dict[str, Any]]:
    """One summary per dev page, HTML pages first, then their text dumps."""
    for name in HTML_SETS:
        for page in datasets.load(name, root, need_text=False):
            yield _summary(f"{name}", page.id, copydesk.extract(page.html_bytes, url=page.url))
    for name in HTML_SETS:
        for tpage in devset.load(name, TEXT_FLATTENER, root=root):
            article = copydesk.extract(tpage.text, input_format="text")
            yield _summary(f"text/{name}", tpage.id, article)


def _summary(dataset: str, page_id: str, article: copydesk.Article) -> dict[str, Any]:
    row = article.to_dict()
    whole = json.dumps(row, sort_keys=True, default=str).encode()
    return {"dataset": dataset, "id": page_id, **{k: row[k] for k in KEPT},
            "row_sha1": hashlib.sha1(whole).hexdigest()}


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
            diffs.append(f"{key[0]}/{key[1]}: {', '.join(fields)}")
    return diffs


def _read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m copydesk_lab.outputs", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="action", required=True)
    rec = sub.add_parser("record")
    rec.add_argument("out", type=Path)
    rec.add_argument("--corpora", default=None, help=CORPORA_HELP)
    cmp = sub.add_parser("compare")
    cmp.add_argument("before", type=Path)
    cmp.add_argument("after", type=Path)
    args = ap.parse_args(argv)
    if args.action == "record":
        rows = list(page_outputs(corpora_dir(args.corpora)))
        args.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                            "utf-8")
        print(f"{len(rows)} pages recorded in {args.out}", file=sys.stderr)
        return 0
    diffs = compare(args.before, args.after)
    print("\n".join(diffs) if diffs else f"identical: {len(_read(args.before))} pages")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
