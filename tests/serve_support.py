"""What the kg serve tests share: a store holding the corpus fixture and a hostile article, and
a real uvicorn server over it in a thread of the test process."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox
import uvicorn

from kg.derived.entity_index import refresh_entity_index
from kg.settings import Settings
from kg.store.local import LocalStore

FIXTURES = Path(__file__).resolve().parent / "fixtures"
HOSTILE_TEXT = 'He said "</textarea><script>alert(1)</script>" & \'quoted\' <b>bold</b> to Evil Corp.'
"""An article text that breaks any page that does not escape it."""
HOSTILE_LABEL = '</textarea><script>alert("label")</script>'
_LITERAL = HOSTILE_TEXT.replace("\\", "\\\\").replace('"', '\\"')
_BEGIN = HOSTILE_TEXT.index("Evil Corp")
_LABEL = HOSTILE_LABEL.replace('"', '\\"')
HOSTILE_TRIG = f"""
@base <https://w3id.org/kg-news/> .
@prefix kg: <https://w3id.org/kg-news/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
@prefix itsrdf: <http://www.w3.org/2005/11/its/rdf#> .
<graph/x%3Cscript%3E> {{
  <article/x%3Cscript%3E> a kg:Article ; dcterms:identifier "x<script>" ;
    dcterms:title "<script>alert('title')</script>" ; dcterms:date "2024-11-02"^^xsd:date ; kg:contentHash "sha256:x" .
  <article/x%3Cscript%3E#char=0,{len(HOSTILE_TEXT)}> a nif:Context ; nif:isString "{_LITERAL}" ;
    nif:beginIndex 0 ; nif:endIndex {len(HOSTILE_TEXT)} ; nif:sourceUrl <article/x%3Cscript%3E> .
  <article/x%3Cscript%3E#sentence=0,{len(HOSTILE_TEXT)}> a nif:Sentence ; nif:referenceContext <article/x%3Cscript%3E#char=0,{len(HOSTILE_TEXT)}> ;
    nif:beginIndex 0 ; nif:endIndex {len(HOSTILE_TEXT)} ; nif:anchorOf "{_LITERAL}" .
  <article/x%3Cscript%3E#char={_BEGIN},{_BEGIN + 9}> a nif:Phrase ; nif:referenceContext <article/x%3Cscript%3E#char=0,{len(HOSTILE_TEXT)}> ;
    nif:beginIndex {_BEGIN} ; nif:endIndex {_BEGIN + 9} ; nif:anchorOf "Evil Corp" ;
    nif:sentence <article/x%3Cscript%3E#sentence=0,{len(HOSTILE_TEXT)}> ; itsrdf:taIdentRef <entity/Organization/evil-corp> .
  <entity/Organization/evil-corp> a kg:Organization ; rdfs:label "Evil Corp" ; skos:altLabel "{_LABEL}" ;
    kg:mentionedIn <article/x%3Cscript%3E> .
  <article/x%3Cscript%3E#claim=8,46> a kg:Claim ; kg:speaker <entity/Organization/evil-corp> ; kg:cue "said" ;
    kg:content "{_LABEL}" ; kg:date "2024-11-02"^^xsd:date ; kg:modality "asserted" ; kg:negated false ;
    kg:sentence <article/x%3Cscript%3E#sentence=0,{len(HOSTILE_TEXT)}> ; prov:wasDerivedFrom <article/x%3Cscript%3E> .
}}
"""


def make_store(path: Path) -> LocalStore:
    """A store on disk: the three articles of ``tests/fixtures/corpus.trig`` and the hostile one,
    with the entity index."""
    store = LocalStore(Settings(store=str(path)))
    store.load_quads(ox.parse(path=str(FIXTURES / "corpus.trig"), format=ox.RdfFormat.TRIG))
    store.load_quads(ox.parse(HOSTILE_TRIG.encode("utf-8"), format=ox.RdfFormat.TRIG))
    refresh_entity_index(store)
    return store


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running(app) -> Iterator[str]:
    """Serve ``app`` on uvicorn on a free loopback port in a thread; yield its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name="kg-serve-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
