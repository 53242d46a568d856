"""Fixtures for the inspector's browser tests: Debian chromium driven by Playwright.

Playwright's own browser download does not work offline, so we point it at
the system chromium (`.ci/run` and `make test` install it with apt). The
tests skip, saying why, only when chromium or the playwright package is absent.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from copydesk.serve.vocab import CHROMIUM_ARGS, CHROMIUM_PATH

CHROMIUM = Path(CHROMIUM_PATH)
REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seed" / "000_243ae2b9009f719b.txt"
SCREENSHOTS = REPO / "docs" / "img"


def _chromium() -> str | None:
    if CHROMIUM.exists():
        return str(CHROMIUM)
    return shutil.which("chromium")


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    """One browser for the e2e package, closed when it ends: playwright's sync API keeps
    an event loop running in the main thread while it lives, and any later test calling
    asyncio.run (the fetcher's, the inspector's timeout test) would fail under it."""
    path = _chromium()
    if path is None:
        pytest.skip("e2e: /usr/bin/chromium not installed "
                    "(make test installs it: apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="e2e: python package playwright not installed")
    with sync_api.sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=path, headless=True, args=list(CHROMIUM_ARGS))
        yield launched
        launched.close()


@pytest.fixture(scope="session", autouse=True)
def warm_extractor() -> None:
    """Compile the text path's kernels before any browser waits on them.

    On a fresh install the first text dump compiles them (numba; tens of
    seconds, then cached), longer than a browser test waits for a page.
    """
    from copydesk import preload
    from copydesk.corpus.worker import warm_up
    from copydesk.options import Options

    warm_up(Options(), preload.PARTS)


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip(f"seed dump not found at {SEED} (shared/ must sit beside the repo)")
    return SEED.read_text(encoding="utf-8")
