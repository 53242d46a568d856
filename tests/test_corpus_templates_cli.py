"""`copydesk extract --templates`: site chrome learned across a site's pages is removed
in batch runs (streaming and two-pass), whatever the number of workers, recycles
or interruptions; article lines stay; one row per input, in input order."""

from __future__ import annotations

import json
import os
import random
import signal
import zlib
from pathlib import Path
from typing import Any

import pytest

import faults
from copydesk.article import Record
from copydesk.cli import main
from copydesk.commands.corpus_run import run
from copydesk.corpus import sink as sink_module
from copydesk.corpus.config import RunConfig
from copydesk.corpus.items import Item, ReadConfig
from copydesk.corpus.readers import iter_items
from copydesk.corpus.running import route_of
from copydesk.corpus.template_runs import record_site
from corpus_helpers import read_jsonl

# Two sites, each with its own header and footer lines. The text scorer keeps
# every one of these without templates (they read like sentences).
CHROME = {
    "herald": (["Home | News | Business | Sports | Opinion | Culture",
                "Subscribe to the Daily Herald for unlimited access to local reporting and our "
                "weekly newsletter."],
               ["The Daily Herald is published every morning by the Herald Media Group, which "
                "also prints three regional weeklies.",
                "Copyright 2020 Daily Herald. All rights reserved. Reproduction without "
                "permission is prohibited."]),
    "courier": (["Courier Online", "World  Politics  Economy  Science  Travel"],
                ["Readers can send tips and corrections to the newsroom at any hour; our editors "
                 "answer every message within a day.",
                 "About us - Contact - Advertise - Privacy policy"]),
}
KEPT_CHROME = {  # chrome lines the extractor keeps when templates are off
    "herald": ["Subscribe to the Daily Herald", "published every morning by the Herald",
               "Copyright 2020 Daily Herald"],
    "courier": ["Readers can send tips and corrections"],
}
WORDS = ["harbour", "council", "budget", "river", "school", "train", "market", "storm",
         "festival", "museum", "minister", "village", "bridge", "hospital", "election",
         "farmer", "police", "weather", "orchestra", "library", "ferry", "airport", "factory",
         "teacher", "garden", "stadium", "court", "mayor"]
PAGES = 5


def story(site: str, n: int) -> list[str]:
    """Four article paragraphs unique to (site, n)."""
    rng = random.Random(f"{site}-{n}")
    return [f"The {rng.choice(WORDS)} of the {rng.choice(WORDS)} said on Monday that the "
            + " ".join(rng.choice(WORDS) for _ in range(24))
            + f" would be ready by {n + p + 1} March, officials added." for p in range(4)]


def text_page(site: str, n: int) -> str:
    head, foot = CHROME[site]
    return "\n".join([*head, *story(site, n), *foot]) + "\n"


def html_page(site: str, n: int) -> str:
    head, foot = CHROME[site]
    body = story(site, n)
    paras = "".join(f"<p>{line}</p>" for line in [*body[:2], head[1], *body[2:]])
    return (f"<html><head><title>Story {n}</title></head><body><nav><a href='/'>Home</a></nav>"
            f"<article><h1>Story {n} of {site}</h1>{paras}</article>"
            f"<footer><p>{foot[0]}</p></footer></body></html>")


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sites") / "pages"
    for site in CHROME:
        (root / site).mkdir(parents=True)
        for n in range(PAGES):
            (root / site / f"p{n}.txt").write_text(text_page(site, n), encoding="utf-8")
    return root


def extract_rows(tmp_path: Path, *args: str, name: str = "out.jsonl") -> list[dict[str, Any]]:
    out = tmp_path / name
    code = main(["extract", *args, "-o", str(out), "-q", "--no-progress", "--timeout", "30"])
    assert code == 0
    return read_jsonl(out)


def chrome_left(row: dict[str, Any]) -> list[str]:
    site = Path(row["source"]).parent.name
    return [line for line in KEPT_CHROME[site] if line in row["text"]]


def page_number(row: dict[str, Any]) -> int:
    return int(Path(row["source"]).stem[1:])


def assert_article_kept(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        site = Path(row["source"]).parent.name
        for para in story(site, page_number(row)):
            assert para in row["text"], (row["source"], para[:40])


def input_ids(path: Path) -> list[str]:
    return [i.record.id or "" for i in iter_items([str(path)], ReadConfig())]


# -- site keys and routing ----------------------------------------------------------

def test_site_key_order_site_then_host_then_folder(pages: Path) -> None:
    items = list(iter_items([str(pages)], ReadConfig()))
    assert [i.group for i in items[:1]] == ["pages/courier"]
    assert record_site(items[0], None) == "pages/courier"
    assert record_site(items[0], "mysite") == "mysite"
    hosted = Item(Record(content=b"", url="https://www.herald.example/a/1"), group="pages/x")
    assert record_site(hosted, None) == "herald.example"
    assert record_site(hosted, "k") == "k"
    single = next(iter_items([str(pages / "herald" / "p0.txt")], ReadConfig()))
    assert single.group == "herald"


def test_records_of_a_container_without_urls_share_the_file_as_site(tmp_path: Path) -> None:
    jsonl = tmp_path / "dump.jsonl"
    jsonl.write_text("".join(json.dumps({"content": text_page("herald", n)}) + "\n"
                             for n in range(2)))
    items = list(iter_items([str(jsonl)], ReadConfig()))
    assert [i.group for i in items] == [str(jsonl), str(jsonl)]


def test_routing_is_a_stable_hash_of_the_site() -> None:
    def item(site: str) -> Item:
        return Item(Record(content=b"", site=site))

    assert route_of(item("herald")) == route_of(item("herald")) == zlib.crc32(b"herald")
    assert route_of(item("herald")) != route_of(item("courier"))
    assert route_of(Item(Record(content=b""))) is None


def test_pool_runs_routed_tasks_on_their_worker_only() -> None:
    from copydesk.corpus.pool import WorkerPool
    from copydesk.options import Options

    pool = WorkerPool(2, Options(metadata=False), deadline=30)
    try:
        for seq in range(6):
            pool.submit(seq, Record(content="<p>x</p>", site="s"), route=7)
        assert [len(s.routed) for s in pool.slots] == [0, 6]  # 7 % 2 == 1
        assert pool.pending() == 6
        done: list[int] = []
        while pool.pending():
            done += [seq for seq, *_ in pool.poll(0.5)]
        assert done == list(range(6))  # one worker, one at a time: input order
    finally:
        pool.close()


# -- streaming ----------------------------------------------------------------------

def test_without_templates_the_chrome_stays(tmp_path: Path, pages: Path) -> None:
    rows = extract_rows(tmp_path, str(pages), "--workers", "1")
    assert all(chrome_left(r) for r in rows)


def test_stream_removes_chrome_after_warm_up_and_keeps_articles(tmp_path: Path,
                                                                pages: Path) -> None:
    rows = extract_rows(tmp_path, str(pages), "--templates", "--workers", "1")
    assert [r["id"] for r in rows] == input_ids(pages)
    assert_article_kept(rows)
    for row in rows:
        if page_number(row) >= 2:  # short lines from page 2, prose lines from page 3
            assert chrome_left(row) == [], row["source"]
    firsts = [r for r in rows if page_number(r) == 0]
    assert all(chrome_left(r) for r in firsts)  # the warm-up: page 1 gets no help
    summary = json.loads((tmp_path / "out.jsonl.summary.json").read_text())
    assert summary["templates"] == "stream"


def test_stream_output_is_the_same_with_two_workers_and_recycling(tmp_path: Path,
                                                                  pages: Path) -> None:
    one = extract_rows(tmp_path, str(pages), "--templates", "--workers", "1", name="a.jsonl")
    two = extract_rows(tmp_path, str(pages), "--templates=stream", "--workers", "2",
                       "--worker-max-pages", "1", name="b.jsonl")
    assert [(r["id"], r["text"]) for r in one] == [(r["id"], r["text"]) for r in two]


def test_templates_flag_before_the_input_reads_it_as_an_input(tmp_path: Path,
                                                               pages: Path) -> None:
    rows = extract_rows(tmp_path, "--workers", "1", "--templates", str(pages))
    assert len(rows) == 2 * PAGES and not chrome_left(rows[-1])


def test_one_site_key_for_all_inputs(tmp_path: Path, pages: Path) -> None:
    # One key: the ten pages are one site (courier's five, then herald's five); each
    # chrome still goes once it has repeated, and no article line is lost.
    rows = extract_rows(tmp_path, str(pages), "--templates", "--site", "all", "--workers", "2")
    assert_article_kept(rows)
    assert not chrome_left(rows[PAGES - 1]) and not chrome_left(rows[-1])


def test_a_crashed_worker_costs_one_row_and_the_site_keeps_its_counts(
        tmp_path: Path, pages: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    faults.install(monkeypatch)
    crashing = tmp_path / "pages"
    for site in CHROME:
        (crashing / site).mkdir(parents=True)
        for n in range(PAGES):
            text = text_page(site, n) + ("COPYDESK-FAULT:segv\n" if n == 2 else "")
            (crashing / site / f"p{n}.txt").write_text(text, encoding="utf-8")
    rows = extract_rows(tmp_path, str(crashing), "--templates", "--workers", "2")
    crashed = [r for r in rows if r["status"] == "error"]
    assert len(rows) == 2 * PAGES and len(crashed) == 2
    assert all(r["error"].startswith("crashed") and r["source"].endswith("p2.txt")
               for r in crashed)
    for row in rows:
        if page_number(row) >= 3:  # the new worker has the counts of p0, p1 (p2 crashed)
            assert chrome_left(row) == [], row["source"]


# -- two-pass -----------------------------------------------------------------------

def test_two_pass_cleans_the_first_page_too(tmp_path: Path, pages: Path) -> None:
    rows = extract_rows(tmp_path, str(pages), "--templates", "two-pass", "--workers", "2")
    assert [r["id"] for r in rows] == input_ids(pages)
    assert_article_kept(rows)
    assert all(chrome_left(r) == [] for r in rows)
    summary = json.loads((tmp_path / "out.jsonl.summary.json").read_text())
    assert summary["template_learned_pages"] == 2 * PAGES


def test_two_pass_refuses_stdin_and_stream_refuses_ray(capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    assert main(["extract", "-", "--templates", "two-pass", "-q"]) == 2
    assert "cannot re-read stdin" in capsys.readouterr().err
    assert main(["extract", "x.txt", "--engine", "ray", "--templates", "-q"]) == 2
    assert "two-pass" in capsys.readouterr().err
    assert main(["extract", "x.txt", "--templates", "sometimes"]) == 2
    assert "unknown mode" in capsys.readouterr().err
    assert main(["extract", "--templates"]) == 2
    assert "at least one INPUT" in capsys.readouterr().err


# -- HTML ---------------------------------------------------------------------------

def test_html_pages_lose_repeated_blocks(tmp_path: Path) -> None:
    root = tmp_path / "html"
    root.mkdir()
    for n in range(4):
        (root / f"{n}.html").write_text(html_page("herald", n), encoding="utf-8")
    subscribe = CHROME["herald"][0][1]
    plain = extract_rows(tmp_path, str(root), "--workers", "1", name="plain.jsonl")
    assert all(subscribe in r["text"] for r in plain)
    rows = extract_rows(tmp_path, str(root), "--templates", "--workers", "2", name="t.jsonl")
    assert [subscribe in r["text"] for r in rows] == [True, True, False, False]
    for n, row in enumerate(rows):
        assert all(p in row["text"] for p in story("herald", n))
    two = extract_rows(tmp_path, str(root), "--templates=two-pass", name="t2.jsonl")
    assert not any(subscribe in r["text"] for r in two)


# -- resume -------------------------------------------------------------------------

def test_stream_resume_is_exact(tmp_path: Path, pages: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    full = tmp_path / "full.jsonl"
    cfg: dict[str, Any] = {"inputs": [str(pages)], "workers": 2, "templates": "stream",
                           "shard_records": 2, "quiet": True, "progress": False}
    assert run(RunConfig(output=str(full), **cfg)) == 0
    expected = [(r["id"], r["text"]) for r in read_jsonl(full)]

    out = tmp_path / "cut.jsonl"
    original = sink_module.OrderedSink._write

    def interrupt_after_five(self: Any, article: Any, sig: Any, *rest: Any) -> None:
        original(self, article, sig, *rest)
        if self.next_seq == 4:  # the 5th row: SIGINT, as a user's ^C
            os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(sink_module.OrderedSink, "_write", interrupt_after_five)
    assert run(RunConfig(output=str(out), **cfg)) == 130
    monkeypatch.setattr(sink_module.OrderedSink, "_write", original)
    assert not out.exists() and (tmp_path / "cut.jsonl.parts").exists()
    assert run(RunConfig(output=str(out), resume=True, **cfg)) == 0
    assert [(r["id"], r["text"]) for r in read_jsonl(out)] == expected
    summary = json.loads((tmp_path / "cut.jsonl.summary.json").read_text())
    assert summary["rows_resumed"] > 0 and summary["template_learned_pages"] == \
        summary["rows_resumed"]


def test_help_documents_the_flags(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["extract", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--templates [MODE]" in out and "--site KEY" in out
    assert "two-pass" in out and "url host" in out and "2nd page" in out


def test_learner_counts_pages_in_input_order_whatever_the_arrival_order() -> None:
    from copydesk.article import Article
    from copydesk.blocks import Block
    from copydesk.corpus.template_runs import KeyLearner
    from copydesk.corpus.templates import SiteTemplates
    from copydesk.site_profile import PageKeys, block_keys, distinct

    pages = [[Block("Menu"), Block(f"story {n}"), Block("Footer")] for n in range(4)]
    direct = SiteTemplates(max_entries=3)  # small: eviction order depends on page order
    for blocks in pages:
        direct.observe("s", blocks)
    learned = SiteTemplates(max_entries=3)
    learner = KeyLearner(learned)
    for seq in (2, 0, 3, 1):
        learner.put(seq, Article(), None, PageKeys("s", distinct(block_keys(pages[seq]))))
    learner.put(4, Article(), None, None)  # a row decided by the reader: nothing to count
    assert learner.next_seq == 5 and learner.pages == 4
    assert learned._sites["s"].counts == direct._sites["s"].counts
    assert learned.pages_with("s", "menu") == 4 and learned.pages_with("s", "footer") == 4
    assert learned.memory_entries() <= 3  # one-page stories were evicted, the chrome stays
