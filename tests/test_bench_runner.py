"""The benchmark runner's timing: best pass kept, repeats interleaved across tools."""

from __future__ import annotations

from copydesk_lab.bench.datasets import Page
from copydesk_lab.bench.peers import Extractor
from copydesk_lab.bench.runner import run_text, timing_rounds


class _Logged(Extractor):
    """An extractor that records when it ran, and echoes the gold body."""

    def __init__(self, name: str, log: list[str]) -> None:
        self.name, self.log = name, log

    def text(self, page: Page) -> str:
        self.log.append(self.name)
        return page.gold_text or ""

    def version(self) -> str:
        return "test"


def _pages(n: int) -> list[Page]:
    return [Page(id=str(i), html_bytes=b"<p>x</p>", url=None,
                 gold_text="the harbour reopened on tuesday after weeks of repairs", site="s")
            for i in range(n)]


def test_rounds_interleave_tools_and_keep_the_fastest_pass() -> None:
    log: list[str] = []
    pages = _pages(3)
    tools = [_Logged("a", log), _Logged("b", log)]
    runs = [run_text(tool, pages, repeat=1, bootstrap=0)[0] for tool in tools]
    first = [r.seconds for r in runs]
    log.clear()
    timing_rounds(list(zip(runs, tools, strict=True)), pages, 2)
    # per round: every page of a, then every page of b
    assert log == ["a"] * 3 + ["b"] * 3 + ["a"] * 3 + ["b"] * 3
    for result, before in zip(runs, first, strict=True):
        assert result.seconds <= before
        assert result.pages_per_s == len(pages) / result.seconds
        assert result.f1 == 1.0  # scores come from the first pass, untouched
