"""Online linking against a local fake of the Wikidata API (no real network)."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from kg.linking import link
from kg.settings import Settings
from kg.linking.wikidata import USER_AGENT, WikidataClient

SEARCH = {
    "Kim Yong-hyun": [{"id": "Q100", "label": "Kim Yong-hyun", "description": "politician"},
                      {"id": "Q101", "label": "Kim Yong-hyun (film)"}],
    "Nowhere Fund": [{"id": "Q200", "label": "Nowhere Fund"}],
}
ENTITIES = {
    "Q100": {"labels": {"en": {"language": "en", "value": "Kim Yong-hyun"}},
             "claims": {"P31": [{"mainsnak": {"snaktype": "value", "property": "P31",
                                              "datavalue": {"type": "wikibase-entityid",
                                                            "value": {"entity-type": "item",
                                                                      "id": "Q5"}}}}]}},
    "Q101": {"labels": {"en": {"language": "en", "value": "Kim Yong-hyun (film)"}},
             "claims": {"P31": [{"mainsnak": {"datavalue": {"value": {"id": "Q11424"}}}}]}},
    "Q200": {"labels": {"en": {"language": "en", "value": "Nowhere Fund"}},
             "claims": {"P31": [{"mainsnak": {"datavalue": {"value": {"id": "Q43229"}}}}]}},
}


def synthetic_hits(name: str) -> list[dict]:
    """``Person 7`` -> two candidates, Q9007 (a human) and Q19007 (a film)."""
    if not name.startswith("Person "):
        return []
    n = int(name.split()[1])
    return [{"id": f"Q{9000 + n}", "label": name}, {"id": f"Q{19000 + n}", "label": f"{name} (film)"}]


def synthetic_entity(qid: str) -> dict:
    n = int(qid[1:])
    kind = "Q5" if n < 19000 else "Q11424"
    return {"labels": {"en": {"value": f"Person {n % 1000}" + ("" if kind == "Q5" else " (film)")}},
            "claims": {"P31": [{"mainsnak": {"datavalue": {"value": {"id": kind}}}}]}}


class FakeWikidata(BaseHTTPRequestHandler):
    calls: list[dict] = []
    delay = 0.0

    def do_GET(self):  # noqa: N802
        query = {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}
        query["user-agent"] = self.headers.get("User-Agent")
        type(self).calls.append(query)
        if self.delay:
            time.sleep(self.delay)
        if query.get("action") == "wbsearchentities":
            body = {"searchinfo": {"search": query["search"]},
                    "search": SEARCH.get(query["search"]) or synthetic_hits(query["search"]), "success": 1}
        elif query.get("action") == "wbgetentities":
            ids = query["ids"].split("|")
            if len(ids) > 50:
                body = {"error": {"code": "toomanyvalues", "info": "Too many values supplied for ids"}}
            else:
                body = {"entities": {i: {"id": i, **(ENTITIES.get(i) or synthetic_entity(i))} for i in ids},
                        "success": 1}
        else:
            body = {"error": {"code": "badvalue", "info": "unknown action"}}
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture()
def server():
    FakeWikidata.calls = []
    FakeWikidata.delay = 0.0
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeWikidata)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/w/api.php"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture()
def settings(server, tmp_path):
    return Settings(online=True, wikidata_api=server, cache_dir=str(tmp_path / "cache"))


def test_links_a_person_with_matching_p31(settings):
    with WikidataClient(settings, min_interval=0) as client:
        result = client.link("Kim Yong-hyun", "Person")
    assert result.qid == "Q100" and result.source == "wikidata"
    assert result.confidence >= 0.8
    assert FakeWikidata.calls[0]["action"] == "wbsearchentities"
    assert FakeWikidata.calls[0]["format"] == "json"
    assert FakeWikidata.calls[0]["user-agent"] == USER_AGENT


def test_cache_hit_does_not_call_the_server_again(settings):
    with WikidataClient(settings, min_interval=0) as client:
        first = client.link("Kim Yong-hyun", "Person")
    calls = len(FakeWikidata.calls)
    with WikidataClient(settings, min_interval=0) as client:
        second = client.link("Kim Yong-hyun", "Person")
        assert client.requests == 0
    assert first == second
    assert len(FakeWikidata.calls) == calls == 2


def test_p31_mismatch_stays_unlinked(settings):
    with WikidataClient(settings, min_interval=0) as client:
        assert client.link("Nowhere Fund", "Person") is None
        assert client.link("Nowhere Fund", "Organization").qid == "Q200"


def test_no_hit_stays_unlinked(settings):
    with WikidataClient(settings, min_interval=0) as client:
        assert client.link("Xyzzy", "Person") is None


def test_prefetch_batches_candidates_fifty_at_a_time_and_link_then_asks_nothing(settings):
    names = [(f"Person {n}", "Person") for n in range(60)]
    seen = []
    with WikidataClient(settings, min_interval=0) as client:
        client.prefetch(names, progress=lambda done, total: seen.append((done, total)))
        searches = [c for c in FakeWikidata.calls if c["action"] == "wbsearchentities"]
        batches = [c["ids"].split("|") for c in FakeWikidata.calls if c["action"] == "wbgetentities"]
        assert len(searches) == 60 and [len(b) for b in batches] == [50, 50, 20]  # 120 candidates
        assert client.requests == 63  # instead of 120 one search and one lookup per name
        sent = client.requests
        assert [client.link(name, cls).qid for name, cls in names] == [f"Q{9000 + n}" for n in range(60)]
        assert client.requests == sent and not client.failures
    assert seen[-1] == (63 - 0, 63) and [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_an_interrupted_prefetch_resumes_from_the_cache(settings):
    with WikidataClient(settings, min_interval=0) as client:
        client.prefetch([(f"Person {n}", "Person") for n in range(10)])
    FakeWikidata.calls = []
    with WikidataClient(settings, min_interval=0) as client:
        client.prefetch([(f"Person {n}", "Person") for n in range(30)])
        assert client.requests == 20 + 1  # only the 20 new searches and one batch of their 40 candidates
    assert {c["search"] for c in FakeWikidata.calls if c["action"] == "wbsearchentities"} == {
        f"Person {n}" for n in range(10, 30)}


def test_an_unreachable_api_is_asked_once_then_every_lookup_fails_at_once(tmp_path):
    dead = Settings(online=True, wikidata_api="http://127.0.0.1:9/w/api.php", cache_dir=str(tmp_path))
    with WikidataClient(dead, min_interval=0, timeout=1) as client:
        with pytest.warns(RuntimeWarning, match="cannot reach"):
            client.prefetch([(f"Person {n}", "Person") for n in range(5)])
        assert client.requests == 1 and len(client.failures) == 5 and client.unreachable


def test_timeout_warns_and_stays_unlinked(settings):
    FakeWikidata.delay = 1.0
    with WikidataClient(settings, min_interval=0, timeout=0.1) as client:
        with pytest.warns(RuntimeWarning, match="left unlinked"):
            assert client.link("Kim Yong-hyun", "Person") is None


def test_connection_failure_warns_and_stays_unlinked(tmp_path):
    dead = Settings(online=True, wikidata_api="http://127.0.0.1:9/w/api.php",
                    cache_dir=str(tmp_path))
    with WikidataClient(dead, min_interval=0, timeout=1) as client:
        with pytest.warns(RuntimeWarning):
            assert client.link("Kim Yong-hyun", "Person") is None


def test_rate_limit_spaces_requests(settings):
    with WikidataClient(settings, min_interval=0.2) as client:
        start = time.monotonic()
        client.link("Kim Yong-hyun", "Person")
    assert time.monotonic() - start >= 0.2  # two requests, one interval apart


def test_link_uses_wikidata_only_when_online(settings):
    offline = settings.replace(online=False)
    assert link("Kim Yong-hyun", "Person", settings=offline) is None
    assert FakeWikidata.calls == []
    client = WikidataClient(settings, min_interval=0)
    assert link("Kim Yong-hyun", "Person", settings=settings, client=client).qid == "Q100"
    client.close()


def test_offline_link_wins_without_network(settings):
    client = WikidataClient(settings, min_interval=0)
    assert link("NATO", "Organization", settings=settings, client=client).qid == "Q7184"
    assert FakeWikidata.calls == []
    client.close()
