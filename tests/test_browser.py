"""A person's path through the site, in headless Chromium against a real server.

Open the series page, follow a link to a seminar, back to the series, on to the
organiser and to a person; then run a canned query in the query editor and read
the table it draws. Chromium is driven over the DevTools protocol through a pipe
(tests/browser_cdp.py); it is Debian's ``chromium`` (``make test`` installs it).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_cdp import CHROMIUM, Browser

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")

SERIES = "/id/event/osce-astana-2016-anti-trafficking-seminar-series"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    chromium = Browser(tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield chromium
    finally:
        chromium.close()


def text(browser: Browser, selector: str) -> str:
    return str(browser.js(f"document.querySelector({selector!r}).innerText"))


def test_follow_links_from_the_series(browser: Browser, server_live: str, tmp_path: Path) -> None:
    browser.goto(server_live + SERIES)
    assert "Series of anti-trafficking seminars" in text(browser, "h1")
    assert "Events in this series" in text(browser, "main")
    assert browser.js("document.querySelectorAll('section.sub-events li').length") == 5
    browser.screenshot(tmp_path / "series.png")

    browser.click("section.sub-events a[href$='seminar-shymkent']")
    assert browser.js("location.pathname").endswith("seminar-shymkent")
    assert text(browser, "h1") == "Anti-trafficking seminar in Shymkent"
    main = text(browser, "main")
    assert "2016-10-06" in main and "Shymkent" in main

    browser.click(f"a[href='{SERIES}']")
    browser.click("section.event a[href='/id/org/osce-programme-office-astana']")
    assert "Programme Office" in text(browser, "h1")

    browser.click("section.people a[href='/id/person/sara-bonotti']")
    assert text(browser, "h1") == "Sara Bonotti"
    posts = text(browser, "section.person")
    assert "Human Dimension Officer" in posts and "2016-10-06" in posts
    assert "complex phenomenon" in text(browser, "section.quotes")


def test_run_a_canned_query_in_the_editor(browser: Browser, server_live: str) -> None:
    browser.goto(server_live + "/query")
    browser.js(
        "(() => { const s = document.getElementById('canned'); s.value = 'seminars';"
        " s.dispatchEvent(new Event('change')); })()"
    )
    assert "schema:startDate" in browser.js("document.getElementById('query').value")
    browser.js("document.getElementById('run').click()")
    rows = browser.wait_for("document.querySelectorAll('#results table.results tbody tr').length")
    assert rows == 5
    headers = browser.js(
        "[...document.querySelectorAll('#results thead th')].map(th => th.innerText)"
    )
    assert "event_name" in headers and "place_name" in headers
    cells = text(browser, "#results tbody")
    for city in ("Almaty", "Astana", "Karaganda", "Kostanay", "Shymkent"):
        assert city in cells
    link = browser.js("document.querySelector('#results tbody a').getAttribute('href')")
    assert link.startswith("/id/")  # IRIs under the base link to this server's pages
