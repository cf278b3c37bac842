"""The rendered book in a real browser: build it, serve it on 127.0.0.1, walk every page.

The strict build (`jupyter-book build -W -n --keep-going`, any warning fails) is a test of
its own and always runs. The browser tests need Debian's Chromium (`apt-get install
chromium`; `.ci/run` installs it); without it they are skipped, except under CI
(CI=true), where a missing browser fails.
Screenshots of every chapter are saved to build/screenshots/ as test artifacts (JPEG: a
full-page PNG of a chapter takes seconds to encode).
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOTS = ROOT / "build" / "screenshots"

if not CHROMIUM and os.environ.get("CI"):
    raise RuntimeError("CI needs Debian's chromium for the browser test: apt-get install chromium")
try:
    import playwright.sync_api as playwright
except ImportError:  # the strict build below still runs
    playwright = None


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("book")
    subprocess.run([sys.executable, "-m", "rnn_tutorial.book.report"], cwd=ROOT, check=True)
    build = subprocess.run(
        [str(Path(sys.executable).parent / "jupyter-book"), "build", str(ROOT), "--path-output", str(out), "-W", "-n", "--keep-going", "--quiet"],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    html = out / "_build" / "html"
    handler = functools.partial(_QuietHandler, directory=str(html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_book_builds_with_no_warning(site):
    # the build in `site` fails on any Sphinx warning (-W -n --keep-going); make test relies
    # on it instead of building the book a second time
    assert site.startswith("http://127.0.0.1:")


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    if playwright is None:
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )
        yield b
        b.close()


# Every request that does not go to the local server (nor data:, blob:, about:). Matched in
# the browser, so the book's own requests never wait on a round trip through Python.
EXTERNAL = re.compile(r"^(?!http://127\.0\.0\.1[:/]|data:|blob:|about:)")


class PageWatcher:
    """Collects console errors, failed requests and requests that leave 127.0.0.1."""

    def __init__(self, page):
        self.errors, self.external = [], []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("requestfailed", lambda r: self.errors.append(f"failed request {r.url}"))
        page.route(EXTERNAL, self._block)

    def _block(self, route):
        self.external.append(route.request.url)
        route.abort()


def _check_page(page, watcher, url):
    page.wait_for_load_state("load")
    images = page.evaluate("Array.from(document.images).map(i => [i.src, i.complete && i.naturalWidth > 0])")
    broken = [src for src, ok in images if not ok]
    assert not broken, f"{url}: images not loaded: {broken}"
    maths = page.locator("div.math, span.math").count()
    if maths:
        page.wait_for_function("document.querySelectorAll('mjx-container').length > 0", timeout=20000)
        typeset = page.locator("mjx-container").count()
        assert typeset >= maths, f"{url}: {maths} equations but only {typeset} typeset"
        assert page.locator("mjx-merror").count() == 0, f"{url}: MathJax reports an error"
    return len(images), maths


def test_walk_every_page(site, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    watcher = PageWatcher(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{site}/index.html")  # redirects to the introduction
    page.wait_for_url("**/book/intro.html")
    visited, figures, equations = [], 0, 0
    while True:
        url = page.url.split("#")[0]
        assert url not in visited, f"next links loop back to {url}"
        # each page's previous link leads back to the page the walk came from
        prev = page.locator("a.left-prev")
        prev_url = urljoin(url, prev.first.get_attribute("href")).split("#")[0] if prev.count() else None
        assert prev_url == (visited[-1] if visited else None), f"{url}: the previous link leads to {prev_url}"
        visited.append(url)
        n_images, n_maths = _check_page(page, watcher, url)
        figures += n_images
        equations += n_maths
        if "/chapters/" in url:
            stem = Path(urlparse(url).path).stem
            assert page.locator(f"a[href$='{stem}.ipynb']").count() >= 1, f"{url}: no download button for the notebook"
            assert page.locator("button.copybtn").count() >= 1, f"{url}: no copy buttons on code"
            page.screenshot(path=str(SCREENSHOTS / f"{stem}.jpg"), type="jpeg", quality=70, full_page=True)
        nxt = page.locator("a.right-next")
        if nxt.count() == 0:
            break
        with page.expect_navigation():
            nxt.first.click()
    toc_pages = {"intro", "how_to_run", "results", "glossary", "references"} | {p.stem for p in (ROOT / "chapters").glob("[0-9][0-9]_*.ipynb") if p.stem in (ROOT / "_toc.yml").read_text()}
    stems = {Path(urlparse(u).path).stem for u in visited}
    assert toc_pages <= stems, f"next links missed {toc_pages - stems}"
    assert figures > 0 and equations > 0
    assert not watcher.errors, f"console errors: {watcher.errors}"
    assert not watcher.external, f"pages reached outside 127.0.0.1: {sorted(set(watcher.external))[:5]}"


def test_search_finds_lstm(site, browser):
    page = browser.new_page()
    watcher = PageWatcher(page)
    page.goto(f"{site}/search.html?q=LSTM")
    page.wait_for_selector("#search-results ul.search li", timeout=20000)
    hits = page.locator("#search-results ul.search li").count()
    assert hits >= 2, f"search for LSTM found {hits} pages"
    assert not watcher.errors, watcher.errors


def test_glossary_terms_link_both_ways(site, browser):
    page = browser.new_page()
    PageWatcher(page)
    page.goto(f"{site}/chapters/01_concepts.html")
    link = page.locator("a[href*='glossary.html#term-hidden-state']").first
    assert link.count() == 1, "the concepts chapter links the glossary term 'hidden state'"
    with page.expect_navigation():
        link.click()
    assert page.locator("dt#term-hidden-state").count() == 1
    # the glossary entry leads back to the chapters that use the term
    back = page.locator("dt#term-hidden-state + dd a[href*='chapters/']")
    assert back.count() >= 1, "the glossary entry for 'hidden state' links back to a chapter"


def test_watcher_blocks_and_reports_requests_that_leave_the_machine(site, browser):
    page = browser.new_page()
    watcher = PageWatcher(page)
    page.goto(f"{site}/book/intro.html")
    page.set_content(
        '<img src="https://example.com/a.png"><img src="http://127.0.0.1.example.com/b.png">'
        f'<img src="{site}/_static/missing.png">'
    )
    page.wait_for_load_state("load")
    assert sorted(watcher.external) == ["http://127.0.0.1.example.com/b.png", "https://example.com/a.png"]
    assert any("404" in e for e in watcher.errors), watcher.errors  # a missing local file is an error
