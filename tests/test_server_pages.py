"""Pages for people: laid out by kind, escaped, with schema.org JSON-LD and an offline map."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from server_support import ARTICLE_BODY, SENTENCES
from starlette.testclient import TestClient


class _Page(HTMLParser):
    """Collects links, scripts and text of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.external: list[str] = []
        self._script: dict[str, str | None] | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")
        if tag in ("script", "link", "img") and (a.get("src") or a.get("href") or "").startswith(
            ("http://", "https://", "//")
        ):
            self.external.append(a.get("src") or a.get("href") or "")
        if tag == "script":
            self._script = a

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self.scripts.append((self._script, data))
        else:
            self.text.append(data)


def page(client: TestClient, path: str) -> tuple[_Page, str]:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    parsed = _Page()
    parsed.feed(response.text)
    assert parsed.external == [], "pages load nothing from elsewhere (no CDN)"
    return parsed, response.text


def jsonld(parsed: _Page) -> dict[str, object]:
    docs = [
        json.loads(text)
        for attrs, text in parsed.scripts
        if attrs.get("type") == "application/ld+json"
    ]
    assert len(docs) == 1
    return docs[0]  # type: ignore[no-any-return]


def test_home(server_client: TestClient) -> None:
    parsed, html = page(server_client, "/")
    assert "/queries/events" in parsed.links
    assert "/.well-known/void" in parsed.links
    assert "/sparql" in parsed.links
    assert "Announcement" in html or "announcement" in html
    assert jsonld(parsed)["@type"] == "Dataset"


def test_event_series_page(server_client: TestClient) -> None:
    parsed, html = page(server_client, "/id/event/series")
    text = " ".join(parsed.text)
    assert "The series" in text
    assert "Organised by" in text and "Co-organised with" in text
    # the co-organiser is not also listed as organiser
    organised = re.search(r"Organised by</th><td>(.*?)</td>", html, re.S)
    assert organised and "Alpha Office" in organised.group(1) and "Beta" not in organised.group(1)
    assert "Attended by" in text
    assert "180" in text and "some 180" in text
    assert "/id/event/seminar-shymkent" in parsed.links
    assert "/id/place/shymkent" in parsed.links
    doc = jsonld(parsed)
    assert doc["@type"] == "EventSeries"
    organizers = doc["organizer"]
    assert {
        "@id": "https://data.example.org/id/org/beta"
    } in organizers  # co-organiser materialised


def test_seminar_page_links_to_series(server_client: TestClient) -> None:
    parsed, _ = page(server_client, "/id/event/seminar-shymkent")
    assert "/id/event/series" in parsed.links
    assert "2016-10-06" in " ".join(parsed.text)


def test_person_page(server_client: TestClient) -> None:
    parsed, _ = page(server_client, "/id/person/bob")
    text = " ".join(parsed.text)
    assert "Posts held" in text and "Head" in text
    assert "in post on 2016-10-06" in text
    assert "/id/org/alpha-unit" in parsed.links
    assert "Training matters," in text
    assert jsonld(parsed)["@type"] == "Person"


def test_organisation_page(server_client: TestClient) -> None:
    parsed, _ = page(server_client, "/id/org/alpha")
    text = " ".join(parsed.text)
    assert "Alpha Centre" in text  # alternate name
    assert "/id/org/alpha-unit" in parsed.links  # unit
    assert "/id/event/series" in parsed.links  # organised
    parsed, _ = page(server_client, "/id/org/alpha-unit")
    assert "/id/org/alpha" in parsed.links  # parent
    assert "/id/person/bob" in parsed.links  # people


def test_place_page_has_an_offline_map(server_client: TestClient) -> None:
    parsed, html = page(server_client, "/id/place/shymkent")
    text = " ".join(parsed.text)
    assert "42.3099, 69.6004" in text
    assert "<svg" in html and "<circle" in html
    assert "https://sws.geonames.org/1518980/" in parsed.links
    assert "/id/place/kazakhstan" in parsed.links  # containing place
    assert "/id/event/seminar-shymkent" in parsed.links  # what happened there


def test_map_page(server_client: TestClient) -> None:
    parsed, html = page(server_client, "/map")
    assert html.count("<circle") == 2
    assert "/id/place/almaty" in parsed.links and "/id/place/shymkent" in parsed.links


def test_article_spans_link_to_claim_graphs(server_client: TestClient) -> None:
    _, html = page(server_client, "/id/article/test")
    for key, words in SENTENCES.items():
        escaped = words.replace('"', "&#34;")
        assert f'href="/graph/test-{key}"' in html
        assert escaped in html
    # the whole text is there, in order, whatever the highlighting
    body = re.search(r'<div class="article-body">(.*?)</div>', html, re.S)
    assert body
    plain = re.sub(r"<[^>]+>", "", body.group(1)).replace("&#34;", '"').replace("&#39;", "'")
    assert plain == ARTICLE_BODY


def test_graph_page_shows_its_words_and_who_says_them(server_client: TestClient) -> None:
    parsed, _ = page(server_client, "/graph/test-s02")
    text = " ".join(parsed.text)
    assert "Training matters," in text
    assert "Asserted by" in text and "/id/person/bob" in parsed.links


def test_every_value_is_escaped(server_client: TestClient) -> None:
    for path in ("/id/org/gamma", "/id/event/series", "/"):
        _, html = page(server_client, path)
        assert "<script>alert(1)</script>" not in html
    _, html = page(server_client, "/id/org/gamma")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Gamma" in html


def test_json_ld_cannot_close_its_script(server_client: TestClient) -> None:
    parsed, html = page(server_client, "/id/org/gamma")
    doc = jsonld(parsed)
    assert doc["name"] == {"@language": "en", "@value": "<script>alert(1)</script> & Gamma"}
    script = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in script


def test_generic_layout_for_other_kinds(server_client: TestClient) -> None:
    parsed, html = page(server_client, "/id/value/target")
    assert "All statements" in html and "Incoming links" in html
    assert "/id/event/series" in parsed.links


@pytest.mark.parametrize("path", ["/query", "/queries", "/queries/events", "/ns", "/problems"])
def test_pages_load_only_local_assets(server_client: TestClient, path: str) -> None:
    page(server_client, path)


def test_static_assets(server_client: TestClient) -> None:
    css = server_client.get("/static/style.css")
    assert css.status_code == 200 and "text/css" in css.headers["content-type"]
    js = server_client.get("/static/query.js")
    assert js.status_code == 200 and "fetch(" in js.text
