"""Entity pages read two ways (kg.serve.facts): a server over a local store reads the facts of
every entity once at start (EntityDigest) where one over a remote store asks per page
(QueriedFacts); both must show the same pages, page by page of the claims and mentions, on the
store as built and after an article is removed. Pages of claims and mentions link each other."""

from __future__ import annotations

import shutil

import httpx
import pytest

from kg.build import remove_articles
from kg.serve import LOOPBACK_HOSTS, create_app
from kg.serve.facts import EntityDigest, QueriedFacts
from kg.serve.pages import NotFound, Pages
from kg.settings import Settings
from kg.store.local import LocalStore
from serve_support import make_store, running


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return make_store(tmp_path_factory.mktemp("facts") / "store")


def entity_paths(pages: Pages) -> list[str]:
    return sorted(p for p in (pages.entity_path(iri) for iri in pages.labels()) if p)


def every_page(pages: Pages, path: str) -> list[dict]:
    """Every page of an entity's claims and mentions (each list paged on its own)."""
    tail = path[len("/entity/"):]
    first = pages.entity(tail)
    shown = [first]
    shown += [pages.entity(tail, mentions_page=n) for n in range(2, first["mentions_pages"] + 1)]
    shown += [pages.entity(tail, claims_page=n) for n in range(2, first["claims_pages"] + 1)]
    return shown


def both_ways(store: LocalStore, per_page: int) -> tuple[Pages, Pages]:
    digest, queried = Pages(store), Pages(store)
    digest.warm()
    queried._tables = digest._tables  # the same label and article tables; only the facts differ
    for pages in (digest, queried):
        pages.mentions_per_page = pages.claims_per_page = per_page
    assert isinstance(digest.facts, EntityDigest) and isinstance(queried.facts, QueriedFacts)
    return digest, queried


def assert_same_pages(store: LocalStore) -> list[str]:
    with store.session(create=False):
        digest, queried = both_ways(store, per_page=1)
        paths = entity_paths(digest)
        for path in paths:
            assert every_page(digest, path) == every_page(queried, path), path
    return paths


def test_the_digest_and_the_queries_show_the_same_entity_pages(built) -> None:
    paths = assert_same_pages(built)
    with built.session(create=False):
        digest, _ = both_ways(built, per_page=1)
        troops = every_page(digest, "/entity/MilitaryUnit/north-korean-troops")
    assert len(paths) >= 10
    assert [len(p["mentions"]) for p in troops] == [1, 1, 1, 1]  # three pages of mentions, two of claims
    assert {p["mentions"][0]["article"] for p in troops[:3]} == {"t1", "t2", "t3"}
    assert troops[0]["claims_pages"] == 2 and troops[0]["claims_total"] == 2
    assert troops[0]["neighbours"] and troops[0]["events"]


def test_the_digest_follows_a_removed_article(built, tmp_path) -> None:
    copy = tmp_path / "store"
    shutil.copytree(built.path, copy)
    store = LocalStore(Settings(store=str(copy)))
    with store.session(create=False):
        before = Pages(store)
        before.warm()
        assert "t1" in {m["article"] for m in before.entity("Q57792")["mentions"]}
    assert remove_articles(["t1"], store.settings, store) == []
    assert_same_pages(store)
    with store.session(create=False):
        after = Pages(store)
        after.warm()
        with pytest.raises(NotFound):
            after.entity("Q57792")  # Mark Rutte was mentioned in t1 only
        troops = after.entity("MilitaryUnit/north-korean-troops")
    assert {m["article"] for m in troops["mentions"]} == {"t2", "t3"}
    assert all(c["article"] != "t1" for g in troops["claims_by_date"] for c in g["claims"])
    assert all(e["article"] != "t1" for e in troops["events"])


def test_a_served_local_store_reads_the_digest_at_start(built) -> None:
    app = create_app(built.settings, store=built, allowed_hosts=LOOPBACK_HOSTS)
    with running(app):
        assert isinstance(app.state.kg.pages.facts, EntityDigest)


@pytest.fixture(scope="module")
def paged(built):
    app = create_app(built.settings, store=built, allowed_hosts=LOOPBACK_HOSTS)
    app.state.kg.pages.mentions_per_page = app.state.kg.pages.claims_per_page = 1
    with running(app) as base, httpx.Client(base_url=base, timeout=30) as http:
        yield http


def test_pages_of_mentions_and_claims_link_each_other(paged) -> None:
    first = paged.get("/entity/Q159.json").json()
    assert (first["mentions_page"], first["mentions_pages"], first["mentions_total"]) == (1, 3, 3)
    assert first["mentions_previous"] is None and first["mentions_next"] == "/entity/Q159.json?mentions=2"
    second = paged.get(first["mentions_next"]).json()
    assert second["mentions_previous"] == "/entity/Q159.json" and second["mentions_next"] == "/entity/Q159.json?mentions=3"
    third = paged.get(second["mentions_next"]).json()
    assert third["mentions_next"] is None
    seen = [(m["date"], m["article"], -m["begin"]) for page in (first, second, third) for m in page["mentions"]]
    assert len(set(seen)) == 3 and seen == sorted(seen, reverse=True), "most recent articles first"
    html = paged.get("/entity/Q159?mentions=2").text
    assert '<a href="/entity/Q159" rel="prev">' in html and '<a href="/entity/Q159?mentions=3" rel="next">more…</a>' in html
    assert 'href="/entity/Q159.json?mentions=2"' in html, "the twin of a page keeps its page"


def test_the_claims_page_keeps_the_mentions_page(paged) -> None:
    page = paged.get("/entity/MilitaryUnit/north-korean-troops.json", params={"mentions": 2}).json()
    assert page["claims_next"] == "/entity/MilitaryUnit/north-korean-troops.json?claims=2&mentions=2"
    nxt = paged.get(page["claims_next"]).json()
    assert (nxt["claims_page"], nxt["mentions_page"]) == (2, 2)
    assert nxt["claims_previous"] == "/entity/MilitaryUnit/north-korean-troops.json?mentions=2"
    assert nxt["claims_by_date"] != page["claims_by_date"]


@pytest.mark.parametrize("query,status", [("mentions=4", 404), ("claims=0", 404), ("mentions=x", 400),
                                          ("claims=-1", 400), ("mentions=99999999999", 400),
                                          ("mentions=%C2%B2", 400), ("claims=%D9%A3", 400)])
def test_a_page_beyond_the_lists_is_refused(paged, query: str, status: int) -> None:
    assert paged.get(f"/entity/Q159.json?{query}").status_code == status
    assert paged.get(f"/entity/Q159?{query}").status_code == status
