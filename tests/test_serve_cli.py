"""`copydesk serve` as a user runs it: a real process, a real socket, loopback only."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from copydesk.serve.live import free_port
from serve_fixtures import PARAGRAPHS, news_page, sample_rows, write_jsonl


def _wait_until_up(port: int, proc: subprocess.Popen[bytes], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            error = proc.stderr.read() if proc.stderr else b""
            raise AssertionError(f"copydesk serve exited: {error!r}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("copydesk serve did not start")


def _other_address() -> str | None:
    """A non-loopback address of this machine, if it has one."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: no packet is sent for UDP connect
            address = str(probe.getsockname()[0])
    except OSError:
        return None
    return None if address.startswith("127.") else address


@pytest.fixture()
def served(tmp_path: Path):
    page = tmp_path / "page.html"
    page.write_text(news_page(), encoding="utf-8")
    out = write_jsonl(tmp_path / "out.jsonl", sample_rows(10))
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "copydesk.cli", "serve", str(out), "--port", str(port),
         "--open-file", str(page), "--no-browser"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _wait_until_up(port, proc)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_opens_the_given_file_and_outputs(served: int) -> None:
    base = f"http://127.0.0.1:{served}"
    with urllib.request.urlopen(base + "/api/preloaded", timeout=20) as response:
        body = json.load(response)
    assert PARAGRAPHS[0] in body["text"]
    deadline = time.monotonic() + 20
    while True:  # the outputs are indexed in the background
        with urllib.request.urlopen(base + "/api/records?limit=3", timeout=10) as response:
            records = json.load(response)
        if not records.get("loading") or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert records["total"] == 10 and len(records["rows"]) == 3


def test_serve_listens_on_loopback_only(served: int) -> None:
    address = _other_address()
    if address is None:
        pytest.skip("this machine has no non-loopback address to probe")
    with pytest.raises(OSError), socket.create_connection((address, served), timeout=1):
        pass


def test_serve_refuses_missing_files(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "copydesk.cli", "serve", str(tmp_path / "nope.jsonl"),
         "--no-browser"],
        capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and "not found" in result.stderr
