"""Dedup: exact copies and near copies point at the first copy seen; distinct
stories on the same topic stay apart; signatures are stable across processes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from copydesk.api import content_hash
from copydesk.article import Article
from copydesk.commands.corpus_run import run
from copydesk.corpus.config import RunConfig
from copydesk.corpus.dedup import Deduper
from copydesk.corpus.minhash import signature, similarity
from copydesk_lab.corpus.benchset import near_duplicate_set
from copydesk_lab.corpus.warcgen import WarcPage, response_record, write_warc
from corpus_helpers import article_html, read_jsonl

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"

STORY = (
    "The city council approved a new budget on Monday after a long debate about school "
    "funding and road repairs. The mayor said the plan would add forty teachers and fix "
    "the old bridge over the river before winter. Opposition members argued the tax rise "
    "was too steep for small businesses in the harbour district. A final vote is expected "
    "next month, when the regional government will also review the spending on the new "
    "ferry terminal and the hospital extension. Residents will be able to comment online "
    "until the end of the month, the council said in a statement."
)
SAME_TOPIC = (
    "The regional government delayed its review of the ferry terminal on Friday, citing "
    "rising costs. Officials said the hospital extension would go ahead as planned, but "
    "the harbour district will wait another year for new roads. Business groups welcomed "
    "the pause, saying taxes were already high, while teachers' unions asked for more "
    "school funding in the next budget. The mayor did not comment on the decision."
)


def art(record_id: str, text: str) -> tuple[Article, np.ndarray | None]:
    return Article(id=record_id, text=text, content_hash=content_hash(text)), signature(text)


def edit(text: str) -> str:
    return (text.replace("a long debate", "a heated debate", 1)
            .replace(" A final vote is expected next month,", " A vote is due next month,", 1)
            + " (Reporting by the wire desk.)")


def test_exact_near_and_same_topic() -> None:
    dedup = Deduper()
    rows = [art("a", STORY), art("b", STORY.upper()), art("c", edit(STORY)),
            art("d", SAME_TOPIC), art("e", edit(STORY) + " ")]
    for article, sig in rows:
        dedup.mark(article, sig)
    assert [a.dup_of for a, _ in rows] == [None, "a", "a", None, "a"]
    assert dedup.exact_dups == 2 and dedup.near_dups == 1


def test_signature_is_stable_across_processes() -> None:
    code = ("from copydesk.corpus.minhash import signature; import sys; "
            f"sys.stdout.write(signature({STORY!r}).tobytes().hex())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={"PYTHONHASHSEED": "123", "PATH": ""}).stdout
    sig = signature(STORY)
    assert sig is not None and out == sig.tobytes().hex()


def test_similarity_tracks_edits() -> None:
    a, b, c = signature(STORY), signature(edit(STORY)), signature(SAME_TOPIC)
    assert a is not None and b is not None and c is not None
    assert similarity(a, b) > 0.6 and similarity(a, c) < 0.1
    assert signature("") is None and signature("one two") is not None


def test_engine_dedup_is_deterministic_across_worker_counts(tmp_path: Path) -> None:
    pages = [article_html(i) for i in range(6)]
    rechromed = pages[4].replace(b"<footer>Copyright</footer>", b"<aside>x</aside>")
    bodies = [*pages, pages[2], rechromed]
    warc = tmp_path / "d.warc.gz"
    write_warc(str(warc), [response_record(WarcPage(f"http://e.com/{i}", b))
                           for i, b in enumerate(bodies)], compress=True)
    outputs = []
    for workers in (1, 2):
        out = tmp_path / f"o{workers}.jsonl"
        assert run(RunConfig(inputs=[str(warc)], output=str(out), workers=workers, dedup=True,
                             quiet=True)) == 0
        outputs.append(read_jsonl(out))
    assert outputs[0] == outputs[1]
    rows = outputs[0]
    assert [r["dup_of"] for r in rows[:6]] == [None] * 6
    assert rows[6]["dup_of"] == rows[2]["id"] and rows[7]["dup_of"] == rows[4]["id"]


@pytest.mark.skipif(not (CORPORA / "aeb").is_dir(), reason="needs ../shared/corpora/aeb")
def test_near_duplicate_set_from_corpus_bodies() -> None:
    from copydesk_lab.bench import datasets

    bodies = [(p.id, p.gold_text or "") for p in datasets.load("aeb", CORPORA)]
    bodies = [(i, b) for i, b in bodies if len(b.split()) >= 150][:40]
    nd = near_duplicate_set(bodies, seed=3)
    dedup = Deduper()
    from copydesk.api import extract

    marked = {}
    for url, page in nd.pages:
        article = extract(page, url=url)
        article.id = url
        dedup.mark(article, signature(article.text))
        marked[url] = article.dup_of
    originals = [u for u, r in nd.role.items() if r == "original"]
    assert all(marked[u] is None for u in originals)
    copies = [u for u, r in nd.role.items() if r != "original"]
    right = [u for u in copies if marked[u] and nd.group[marked[u]] == nd.group[u]]
    assert len(right) / len(copies) >= 0.95
    wrong = [u for u, d in marked.items() if d and nd.group[d] != nd.group[u]]
    assert not wrong
