"""Issue 13, the command: exit statuses that tell the truth, output formats from the
extension, flag values validated, summaries that name what failed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from copydesk.cli import main
from copydesk.commands.corpus_run import EXIT_ALL_ERRORS, EXIT_NO_INPUT, EXIT_STRICT, EXIT_USAGE
from corpus_helpers import article_html, read_jsonl
from warc_helpers import Resp, page, write_warcio


def cli(*args: str) -> int:
    return main(["extract", *args, "--workers", "1", "--no-progress"])


def test_missing_input_exits_no_input(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "o.jsonl"
    assert cli(str(tmp_path / "nope.html"), "-o", str(out)) == EXIT_NO_INPUT
    err = capfd.readouterr().err
    assert "failed: no input could be read" in err and "nope.html" in err
    assert read_jsonl(out)[0]["error"].startswith("file error")


def test_every_row_an_error_and_jsonl_hint(tmp_path: Path,
                                           capfd: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(json.dumps({"html": article_html(i).decode(), "link": f"u{i}"})
                              for i in range(5)) + "\n")
    out = tmp_path / "o.jsonl"
    assert cli(str(path), "-o", str(out)) == EXIT_ALL_ERRORS
    err = capfd.readouterr().err
    assert "failed: every row is an error" in err
    assert "misses the content field 'content'; fields seen: html, link" in err
    assert "--jsonl-content" in err
    summary = json.loads((tmp_path / "o.jsonl.summary.json").read_text())
    assert summary["hints"] and summary["status"] == {"error": 5}
    assert summary["outcome"] == "failed: every row is an error"
    assert cli(str(path), "-o", str(out), "--resume") == EXIT_ALL_ERRORS  # still not a success
    assert "already complete (failed: every row is an error)" in capfd.readouterr().err
    assert cli(str(path), "-o", str(out), "--jsonl-content", "html") == 0


def test_strict_and_first_reasons(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.html").write_bytes(article_html(1))
    (tmp_path / "in" / "b.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    out = tmp_path / "o.jsonl"
    assert cli(str(tmp_path / "in"), "-o", str(out)) == 0
    assert cli(str(tmp_path / "in"), "-o", str(out), "--strict") == EXIT_STRICT
    err = capfd.readouterr().err
    assert "failed (--strict): 1 error rows" in err and "first error: not html" in err
    assert "b.html" in err


@pytest.mark.parametrize(("args", "message"), [
    (["-o", "x.csv"], "unknown output extension"),
    (["--format", "text", "-o", "x.parquet"], "contradicts"),
    (["--format", "jsonl", "-o", "x.txt"], "contradicts"),
    (["--explain", "-o", "x.parquet"], "--explain"),
    (["--explain", "--format", "text"], "--explain"),
    (["--timeout", "0"], "--timeout"),
    (["--timeout", "-1"], "--timeout"),
    (["--timeout", "nan"], "--timeout"),
    (["--max-bytes", "-1"], "--max-bytes"),
    (["--shard-records", "0"], "--shard-records"),
])
def test_bad_flag_values_are_usage_errors(tmp_path: Path, capfd: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch,
                                          args: list[str], message: str) -> None:
    page_file = tmp_path / "p.html"
    page_file.write_bytes(article_html(1))
    monkeypatch.chdir(tmp_path)
    assert cli(str(page_file), *args) == EXIT_USAGE
    assert message in capfd.readouterr().err
    assert not (tmp_path / "x.csv").exists() and not (tmp_path / "x.parquet").exists()


def test_output_must_not_be_an_input_or_inside_one(tmp_path: Path,
                                                   capfd: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.jsonl").write_text(json.dumps({"content": "<p>x</p>"}) + "\n")
    before = (folder / "a.jsonl").read_bytes()
    assert cli(str(folder / "a.jsonl"), "-o", str(folder / "a.jsonl")) == EXIT_USAGE
    assert (folder / "a.jsonl").read_bytes() == before
    assert cli(str(folder), "-o", str(folder / "out.jsonl")) == EXIT_USAGE
    assert cli(str(folder), "-o", str(tmp_path)) == EXIT_USAGE  # an existing folder
    err = capfd.readouterr().err
    assert "is also an input" in err and "inside the input folder" in err and "is a folder" in err


def test_output_format_from_extension(tmp_path: Path) -> None:
    (tmp_path / "p.html").write_bytes(article_html(1))
    assert cli(str(tmp_path / "p.html"), "-o", str(tmp_path / "o.txt")) == 0
    text = (tmp_path / "o.txt").read_text()
    assert text.startswith("==> ") and "Story 1 paragraph 0" in text and "{" not in text[:5]
    import pyarrow.parquet as pq

    assert cli(str(tmp_path / "p.html"), "-o", str(tmp_path / "o.parquet")) == 0
    table = pq.read_table(tmp_path / "o.parquet")
    assert table.num_rows == 1 and "http_status" in table.column_names


def test_url_is_not_applied_to_a_folder(tmp_path: Path, capfd: pytest.CaptureFixture[str]
                                        ) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.html").write_bytes(article_html(1))
    assert cli(str(tmp_path / "d"), "--url", "https://a.example/x") == EXIT_USAGE
    assert "one page file" in capfd.readouterr().err
    out = tmp_path / "o.jsonl"
    assert cli(str(tmp_path / "d" / "a.html"), "--url", "https://a.example/x", "-o",
               str(out)) == 0
    assert read_jsonl(out)[0]["url"] == "https://a.example/x"


def test_text_format_separates_articles(tmp_path: Path, capfd: pytest.CaptureFixture[str]
                                        ) -> None:
    for i in range(2):
        (tmp_path / f"{i}.html").write_bytes(article_html(i))
    assert cli(str(tmp_path), "--format", "text") == 0
    out = capfd.readouterr().out
    assert out.count("==> ") == 2 and f"==> {tmp_path / '0.html'} <==" in out
    assert cli(str(tmp_path / "0.html"), "--format", "text") == 0
    single = capfd.readouterr().out
    assert "==>" not in single and single.startswith("Story 0 paragraph 0")


def test_warc_rows_carry_status_and_provenance(tmp_path: Path) -> None:
    path = tmp_path / "s.warc.gz"
    ids = write_warcio(path, [Resp("http://a.example/ok", page(1)),
                              Resp("http://a.example/404", b"<h1>Not Found</h1>",
                                   status="404 Not Found")])
    out = tmp_path / "o.jsonl"
    assert cli(str(path), "-o", str(out)) == 0
    rows = read_jsonl(out)
    assert [r["status"] for r in rows] == ["ok", "error"]
    assert [r["http_status"] for r in rows] == [200, 404]
    assert [r["warc_record_id"] for r in rows] == ids
    assert rows[1]["error"] == "HTTP 404: Not Found" and rows[1]["warc_file"] == str(path)
    assert rows[0]["warc_offset"] == 0 and rows[1]["warc_offset"] > 0


# The number of read(2) on this machine, to see in /proc/PID/syscall that a process
# blocks reading a file descriptor; elsewhere the kernel's wait channel says "pipe".
_READ_SYSCALL = {"x86_64": "0", "aarch64": "63"}.get(os.uname().machine)


def _waits_on_stdin(pid: int) -> bool:
    """Whether `pid` has its SIGTERM handler installed (the run has started) and its main
    thread is blocked reading fd 0: the state the test must signal, however long the
    imports and the workers' warm-up took."""
    proc = Path(f"/proc/{pid}")
    caught = int(proc.joinpath("status").read_text().split("SigCgt:")[1].split()[0], 16)
    if not caught >> (signal.SIGTERM - 1) & 1:
        return False
    if _READ_SYSCALL is not None:
        return proc.joinpath("syscall").read_text().split()[:2] == [_READ_SYSCALL, "0x0"]
    return "pipe" in proc.joinpath("wchan").read_text()


@pytest.mark.skipif(not Path("/proc/self/syscall").exists(), reason="needs Linux's /proc")
def test_sigterm_while_waiting_on_stdin(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    proc = subprocess.Popen([sys.executable, "-m", "copydesk.cli", "extract", "-", "-q",
                             "--workers", "1"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    assert proc.stdin is not None
    proc.stdin.write(b"<html><body><p>partial")
    proc.stdin.flush()
    try:
        # Wait for the blocking read itself (imports and warm-up take seconds, many more
        # on a loaded machine); a generous bound, since reaching it is not what is tested.
        end = time.monotonic() + 240
        while not _waits_on_stdin(proc.pid):
            assert proc.poll() is None, proc.communicate()[1]
            assert time.monotonic() < end, "the run never blocked reading stdin"
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=60)  # the read ends at once; then rows and summary
    finally:
        proc.kill()
    assert code == 143, proc.communicate()[1]


def test_resume_after_files_added_and_removed(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(6):
        (folder / f"{i:02d}.html").write_bytes(article_html(i))
    out = tmp_path / "o.jsonl"
    from copydesk.corpus import sink as sink_module

    original = sink_module.OrderedSink._write
    calls = {"n": 0}

    def stop_after_three(self, *args):  # type: ignore[no-untyped-def]
        original(self, *args)
        calls["n"] += 1
        if calls["n"] == 3:
            os.kill(os.getpid(), signal.SIGINT)

    sink_module.OrderedSink._write = stop_after_three  # type: ignore[method-assign]
    try:
        assert cli(str(folder), "-o", str(out), "--shard-records", "1") == 130
    finally:
        sink_module.OrderedSink._write = original  # type: ignore[method-assign]
    (folder / "00.html").unlink()  # a committed file removed
    (folder / "00a.html").write_bytes(article_html(10))  # a file added before the others
    (folder / "01a.html").write_bytes(article_html(11))
    assert cli(str(folder), "-o", str(out), "--resume") == 0
    rows = read_jsonl(out)
    sources = [Path(r["source"]).name for r in rows]
    assert sorted(sources) == sorted({*sources})  # nothing twice
    expected = {"00.html", "01.html", "02.html", "03.html", "04.html", "05.html", "00a.html",
                "01a.html"}
    assert set(sources) == expected


def test_file_size_limit_is_exit_3_not_a_traceback(tmp_path: Path) -> None:
    import resource

    pages = tmp_path / "in"
    pages.mkdir()
    for i in range(30):
        (pages / f"{i}.html").write_bytes(article_html(i, paragraphs=12))

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    proc = subprocess.run([sys.executable, "-m", "copydesk.cli", "extract", str(pages), "-o",
                           str(tmp_path / "o.jsonl"), "--workers", "1", "--no-progress"],
                          capture_output=True, text=True, env=env, timeout=300,
                          preexec_fn=limit)
    assert proc.returncode == 3, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr and "output error" in proc.stderr
    assert not (tmp_path / "o.jsonl").exists()


def test_progress_never_drawn_into_rows_on_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from copydesk.commands import progress

    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(progress.sys, "stderr", Tty())
    monkeypatch.setattr(progress.sys, "stdout", Tty())
    assert progress.show_progress(False, None, None) is False  # rows go to the same terminal
    assert progress.show_progress(False, None, "out.jsonl") is True
    assert progress.show_progress(True, None, "out.jsonl") is False


def test_stopped_workers_do_not_block_the_parent() -> None:
    from copydesk.article import Record
    from copydesk.corpus.pool import WorkerPool
    from copydesk.options import Options

    pool = WorkerPool(2, Options(), deadline=2.0)
    try:
        deadline = time.monotonic() + 60
        while not all(s.ready for s in pool.slots) and time.monotonic() < deadline:
            pool.poll(0.1)
        for slot in pool.slots:
            os.kill(slot.process.pid, signal.SIGSTOP)
        big = b"<html><body>" + b"<p>" + b"word " * 100_000 + b"</p></body></html>"  # > pipe
        for seq in range(4):
            pool.submit(seq, Record(content=big, id=str(seq), source=f"s{seq}"))
        began = time.monotonic()
        rows = []
        while pool.pending() and time.monotonic() - began < 60:
            rows += pool.poll(0.5)
        assert len(rows) == 4
        timeouts = [r for _, r in rows if (r.article.error or "").startswith("timeout")]
        assert len(timeouts) >= 2 and time.monotonic() - began < 45
    finally:
        pool.close(kill=True)


def test_native_failure_at_the_memory_limit_is_out_of_memory(monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    from copydesk.article import Article, Record, Status
    from copydesk.corpus import worker
    from copydesk.options import Options

    class Page:
        article = Article(status=Status.ERROR,
                          error="internal error: SelectolaxError: Can't parse CSS selector")
        page_keys = None

    import copydesk.api

    monkeypatch.setattr(copydesk.api, "extract_page", lambda *a, **k: Page())
    monkeypatch.setattr(worker, "_ALLOWANCE", [0, 1])  # peak far above a 1-byte allowance
    result, fatal = worker.run_task(Record(content=b"<p>x</p>"), Options(), False)
    assert fatal and result.article.error == "out of memory: worker memory limit reached"
    monkeypatch.setattr(worker, "_ALLOWANCE", [])
    result, fatal = worker.run_task(Record(content=b"<p>x</p>"), Options(), False)
    assert not fatal and "internal error" in (result.article.error or "")
