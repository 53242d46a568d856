"""Memory measurement and table rendering of the benchmark."""

from __future__ import annotations

from copydesk_lab.bench import report
from copydesk_lab.bench.memory import PeakMemory, rss_bytes, settle, tracemalloc_peak
from copydesk_lab.bench.runner import TextResult, add_speed_ratios


def test_peak_memory_sees_a_32_mib_allocation_and_not_an_idle_block() -> None:
    settle()
    with PeakMemory() as idle:
        pass
    with PeakMemory() as busy:
        block = bytearray(32 * 1024 * 1024)
        block[::4096] = b"x" * len(block[::4096])  # touch every page so it is resident
        del block
    assert idle.result.peak_mib < 4
    assert 30 <= busy.result.peak_mib < 48
    assert busy.result.method in ("VmHWM", "rss-sampling-2ms")
    assert rss_bytes() > 0


def test_tracemalloc_peak_counts_python_allocations() -> None:
    peak = tracemalloc_peak(lambda: [str(i) * 10 for i in range(100_000)])
    assert peak > 5


def _result(name: str, pages_per_s: float) -> TextResult:
    return TextResult(extractor=name, version="1", pages=10, precision=0.9, recall=0.8, f1=0.847,
                      accuracy=0.1, precision_std=0.01, recall_std=0.0, f1_std=0.0,
                      seconds=10 / pages_per_s, pages_per_s=pages_per_s, cpu_seconds=1.0,
                      pages_per_cpu_s=10.0, peak_rss_mib=12.3, first_use_mib=1.0,
                      memory_method="VmHWM", failures=0)


def test_speed_ratio_against_trafilatura_and_tables() -> None:
    results = [_result("copydesk", 50.0), _result("trafilatura", 10.0)]
    add_speed_ratios(results)
    assert results[0].speed_vs_trafilatura == 5.0
    assert results[1].cpu_speed_vs_trafilatura == 1.0
    text = report.render_text_section("aeb", 10, results, as_markdown=False)
    assert "== aeb (10 pages)" in text and "0.900 ± 0.010" in text and "5.00" in text
    md = report.render_text_section("aeb", 10, results, as_markdown=True)
    assert md.splitlines()[2].startswith("| extractor | version | precision")
    assert "| copydesk | 1 | 0.900 ± 0.010 | 0.800 |" in md


def test_no_ratio_without_trafilatura() -> None:
    results = [_result("copydesk", 50.0)]
    add_speed_ratios(results)
    assert results[0].speed_vs_trafilatura is None
    assert "n/a" in report.render_text_section("aeb", 10, results, as_markdown=False)
