"""Scoring kg's graph against hand-made gold annotations (``docs/gold-format.md``).

Per gold document and in total (micro-averaged over documents):

* **entities**: precision = predicted entities that match a gold entity (required or not) /
  predicted entities; recall = required gold entities matched by some prediction / required
  gold entities. A prediction matches a gold entity by Wikidata ID when both have one, else by
  name or alias (:func:`kg.text.name_key`: case-, accent- and punctuation-insensitive). Each
  prediction is assigned to its best match (same QID, then right type, then exact name, then required).
* **types**: accuracy of the class over matched predicted entities (``also_accepted_types``
  count as right).
* **links**: precision over the Wikidata links of matched predicted entities (right if the QID
  is the gold one or an ``also_accepted_wikidata``); recall over required gold entities with
  ``wikidata_checked: true`` and a QID (optional entities are neither rewarded nor penalised).
* **relations**, one score per family (role, part_of, located_in, deployed, count, conflict,
  alliance, event, claim): predicted facts are translated into gold ids through the entity
  matching, de-duplicated, and matched on family, ids (any of a gold list) and date where the
  gold gives one; ``between`` is unordered. Precision counts predicted facts that match some
  gold fact, recall gold facts matched by some prediction. Only asserted facts count: an event
  whose modality is possible or hypothetical is not read (a scheduled one is), and a statement without a speaker is a
  ``kg:Statement``, not a ``kg:Claim``. Event kinds follow the gold's closed vocabulary
  (:data:`EVENT_KINDS`); a gold event of kind ``other`` is matched on place and date alone.
  The ``deployed`` family reads deployments, troop transfers and sightings (troops seen
  somewhere are there), each with the places it has.

Predictions are read from the store with the SPARQL in ``queries/eval/``; the article graph
of a gold document is the one whose ``dcterms:identifier`` is the document name without
``.txt`` (kg's article id is the file stem).
"""

from __future__ import annotations

import io
import json
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import pyoxigraph as ox
from rich.console import Console
from rich.table import Table

from kg.build import build_sources
from kg.errors import EvaluationError
from kg.settings import Settings
from kg.store import KGStore, bundled_sparql
from kg.store.local import LocalStore
from kg.text import name_key
from kg.vocab import WD

FAMILIES = ("role", "part_of", "located_in", "deployed", "count", "conflict", "alliance", "event", "claim")
EVENT_KINDS = {"Clash": "clash", "Summit": "meeting", "Meeting": "meeting", "Agreement": "agreement",
               "Sighting": "sighting", "Election": "election", "Event": "other"}
"""kg event classes scored in the ``event`` family, and the gold ``kind`` (the closed vocabulary of
the gold format: meeting, agreement, clash, sighting, election, other) each one is. A summit is
a meeting; ``kg:Event`` itself, an event of no more specific kind, is ``other``."""
_DEPLOY_SUBJECT = {"agent", "deployedUnit", "sendingState", "participant"}
_DEPLOY_OBJECT = {"place", "destination", "receivingState"}


# ----------------------------------------------------------------------------------------------
# scores
@dataclass(frozen=True)
class Score:
    """Counts behind precision and recall; scores are None when nothing was there to count."""

    tp_pred: int = 0
    n_pred: int = 0
    tp_gold: int = 0
    n_gold: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp_pred / self.n_pred if self.n_pred else None

    @property
    def recall(self) -> float | None:
        return self.tp_gold / self.n_gold if self.n_gold else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: "Score") -> "Score":
        return Score(self.tp_pred + other.tp_pred, self.n_pred + other.n_pred,
                     self.tp_gold + other.tp_gold, self.n_gold + other.n_gold)

    def to_dict(self) -> dict[str, Any]:
        return {"precision": _round(self.precision), "recall": _round(self.recall), "f1": _round(self.f1),
                "tp_pred": self.tp_pred, "n_pred": self.n_pred, "tp_gold": self.tp_gold, "n_gold": self.n_gold}


@dataclass(frozen=True)
class Accuracy:
    correct: int = 0
    total: int = 0

    @property
    def value(self) -> float | None:
        return self.correct / self.total if self.total else None

    def __add__(self, other: "Accuracy") -> "Accuracy":
        return Accuracy(self.correct + other.correct, self.total + other.total)

    def to_dict(self) -> dict[str, Any]:
        return {"accuracy": _round(self.value), "correct": self.correct, "total": self.total}


@dataclass(frozen=True)
class DocumentEval:
    """The scores of one document (or, for the total, of all of them)."""

    document: str
    entities: Score
    types: Accuracy
    links: Score
    relations: Mapping[str, Score]
    missed: tuple[str, ...] = ()
    """Required gold entities no prediction matched."""
    spurious: tuple[str, ...] = ()
    """Labels of predicted entities that matched no gold entity."""

    @property
    def all_relations(self) -> Score:
        """Every relation family pooled (micro-average): the overall relation score."""
        total = Score()
        for family in FAMILIES:
            total = total + self.relations[family]
        return total

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "entities": self.entities.to_dict(),
            "types": self.types.to_dict(),
            "links": self.links.to_dict(),
            "relations": {f: self.relations[f].to_dict() for f in FAMILIES},
            "relations_all": self.all_relations.to_dict(),
            "missed": list(self.missed),
            "spurious": list(self.spurious),
        }


@dataclass(frozen=True)
class EvalReport:
    documents: tuple[DocumentEval, ...]
    total: DocumentEval

    def to_dict(self) -> dict[str, Any]:
        return {"documents": [d.to_dict() for d in self.documents], "total": self.total.to_dict()}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


# ----------------------------------------------------------------------------------------------
# gold
@dataclass(frozen=True)
class GoldEntity:
    id: str
    name: str
    type: str
    also_accepted_types: tuple[str, ...]
    names: frozenset[str]
    wikidata: str | None
    also_accepted_wikidata: tuple[str, ...]
    wikidata_checked: bool
    required: bool

    @property
    def qids(self) -> frozenset[str]:
        return frozenset(q for q in (self.wikidata, *self.also_accepted_wikidata) if q)


@dataclass(frozen=True)
class GoldDocument:
    document: str
    article_id: str
    entities: tuple[GoldEntity, ...]
    relations: tuple[Mapping[str, Any], ...]


def read_gold(gold_dir: str | Path) -> list[GoldDocument]:
    """Every ``*.json`` gold file of ``gold_dir``, sorted by name.

    Raises:
        EvaluationError: the folder has no gold files or a file is not valid gold JSON.
    """
    root = Path(gold_dir)
    paths = sorted(root.glob("*.json")) if root.is_dir() else []
    if not paths:
        raise EvaluationError(f"no gold annotations (*.json) in {root}")
    documents = []
    for path in paths:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            entities = tuple(
                GoldEntity(
                    id=e["id"],
                    name=e["name"],
                    type=e["type"],
                    also_accepted_types=tuple(e.get("also_accepted_types") or ()),
                    names=frozenset(
                        n for n in map(name_key, [e["name"], *(e.get("aliases") or ())]) if n
                    ),
                    wikidata=e.get("wikidata"),
                    also_accepted_wikidata=tuple(e.get("also_accepted_wikidata") or ()),
                    wikidata_checked=bool(e.get("wikidata_checked")),
                    required=e.get("required", True) is not False,
                )
                for e in data["entities"]
            )
            document = data["document"]
            relations = tuple(data.get("relations") or ())
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise EvaluationError(f"cannot read gold file {path}: {exc!r}") from None
        article_id = document[: -len(".txt")] if document.endswith(".txt") else document
        documents.append(GoldDocument(document, article_id, entities, relations))
    return documents


# ----------------------------------------------------------------------------------------------
# predictions
@dataclass
class PredEntity:
    iri: str
    cls: str | None = None
    names: set[str] = field(default_factory=set)
    labels: set[str] = field(default_factory=set)
    qids: set[str] = field(default_factory=set)


@dataclass
class Predictions:
    """What kg stored for one article, as plain values (IRIs as strings)."""

    entities: dict[str, PredEntity] = field(default_factory=dict)
    relations: set[tuple[str, str, str]] = field(default_factory=set)
    roles: dict[str, tuple[str, set[str]]] = field(default_factory=dict)
    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    quantities: dict[str, tuple[int, set[str]]] = field(default_factory=dict)
    claims: dict[str, tuple[set[str], str | None]] = field(default_factory=dict)


def _value(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> str | None:
    return None if term is None else term.value


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1]


def _run(store: KGStore, name: str) -> list[dict[str, str | None]]:
    result = store.query(bundled_sparql(f"eval/{name}"))
    return [dict(zip(result.columns, map(_value, row))) for row in result.rows]


def read_predictions(store: KGStore) -> dict[str, Predictions]:
    """``{article_id: Predictions}`` for every article graph in the store."""
    graph_ids = {row["g"]: row["id"] for row in _run(store, "articles")}
    preds: dict[str, Predictions] = defaultdict(Predictions)

    def bucket(row: Mapping[str, str | None]) -> Predictions | None:
        article_id = graph_ids.get(row["g"] or "")
        return None if article_id is None else preds[article_id]

    for row in _run(store, "entities"):
        p = bucket(row)
        if p is None or row["entity"] is None:
            continue
        entity = p.entities.setdefault(row["entity"], PredEntity(row["entity"]))
        if row["class"]:
            entity.cls = min(filter(None, (entity.cls, _local(row["class"]))))
        for key in ("label", "alias"):
            if row[key]:
                entity.names.add(name_key(row[key]))
        if row["label"]:
            entity.labels.add(row["label"])
        if row["item"] and row["item"].startswith(WD):
            entity.qids.add(row["item"][len(WD):])
    for row in _run(store, "relations"):
        p = bucket(row)
        if p is not None:
            p.relations.add((row["s"], _local(row["p"]), row["o"]))  # type: ignore[arg-type]
    for row in _run(store, "roles"):
        p = bucket(row)
        if p is not None:
            holder, orgs = p.roles.setdefault(row["role"], (row["holder"], set()))  # type: ignore[arg-type]
            if row["org"]:
                orgs.add(row["org"])
    for row in _run(store, "events"):
        p = bucket(row)
        if p is None or (row["modality"] or "asserted") in {"possible", "hypothetical"}:
            continue  # only asserted events are facts (a scheduled one, "will meet on Monday", is)
        event = p.events.setdefault(row["event"], {"class": _local(row["class"]), "args": defaultdict(set), "date": None})  # type: ignore[arg-type]
        if row["arg"] and row["value"]:
            event["args"][_local(row["arg"])].add(row["value"])
        if row["date"]:
            event["date"] = min(filter(None, (event["date"], row["date"])))
    for row in _run(store, "quantities"):
        p = bucket(row)
        if p is None:
            continue
        try:
            value = int(Decimal(row["value"] or ""))
        except InvalidOperation:
            continue
        _, of = p.quantities.setdefault(f"{row['quantity']} {value}", (value, set()))  # a range: two figures
        if row["of"]:
            of.add(row["of"])
    for row in _run(store, "claims"):
        p = bucket(row)
        if p is None:
            continue
        speakers, date = p.claims.setdefault(row["claim"], (set(), row["date"]))  # type: ignore[arg-type]
        speakers.update(x for x in (row["speaker"], row["source"]) if x)
    return dict(preds)


# ----------------------------------------------------------------------------------------------
# matching
def _type_ok(pred: PredEntity, gold: GoldEntity) -> bool:
    return pred.cls is not None and (pred.cls == gold.type or pred.cls in gold.also_accepted_types)


def match_entity(pred: PredEntity, gold_entities: Sequence[GoldEntity]) -> GoldEntity | None:
    """The gold entity a prediction stands for, or None."""
    candidates = []
    for index, gold in enumerate(gold_entities):
        if pred.qids and gold.wikidata:
            by_qid = bool(pred.qids & gold.qids)
            if not by_qid:
                continue
        else:
            by_qid = False
            if not pred.names & gold.names:
                continue
        exact = name_key(gold.name) in pred.names
        candidates.append(((by_qid, _type_ok(pred, gold), exact, gold.required, -index), gold))
    return max(candidates, key=lambda c: c[0])[1] if candidates else None


def _ids(iris: Iterable[str], mapping: Mapping[str, str]) -> frozenset[str]:
    return frozenset(mapping.get(iri, iri) for iri in iris)


def _states_of(iri: str, preds: Predictions) -> set[str]:
    return {o for s, p, o in preds.relations if s == iri and p in ("partOf", "belongsToState")}


def predicted_facts(preds: Predictions, mapping: Mapping[str, str]) -> dict[str, set[tuple]]:
    """The article's facts per family, in gold ids (unmatched entities keep their IRI)."""
    facts: dict[str, set[tuple]] = {family: set() for family in FAMILIES}
    families = {"partOf": "part_of", "belongsToState": "part_of", "locatedIn": "located_in",
                "alliedWith": "alliance", "fightsAgainst": "conflict"}
    for s, p, o in preds.relations:
        family = families[p]
        a, b = mapping.get(s, s), mapping.get(o, o)
        if family in ("alliance", "conflict"):
            facts[family].add(tuple(sorted((a, b))))
        else:
            facts[family].add((a, b))
    for holder, orgs in preds.roles.values():
        facts["role"].add((mapping.get(holder, holder), _ids(orgs, mapping)))
    for event in preds.events.values():
        args = event["args"]
        if event["class"] in ("Deployment", "TroopTransfer", "Sighting"):  # troops seen somewhere are there
            subjects: set[str] = set()
            for arg in _DEPLOY_SUBJECT:
                subjects |= args.get(arg, set())
            for subject in list(subjects):
                subjects |= _states_of(subject, preds)
            objects: set[str] = set()
            for arg in _DEPLOY_OBJECT:
                objects |= args.get(arg, set())
            for place in objects:
                facts["deployed"].add((_ids(subjects, mapping), mapping.get(place, place)))
        if event["class"] in EVENT_KINDS:
            facts["event"].add((EVENT_KINDS[event["class"]], _ids(args.get("place", ()), mapping), event["date"]))
    for value, of in preds.quantities.values():
        subjects = set(of)
        for subject in of:
            subjects |= _states_of(subject, preds)
        facts["count"].add((_ids(subjects, mapping), value))
    for speakers, date in preds.claims.values():
        facts["claim"].add((_ids(speakers, mapping), date))
    return facts


def fact_matches(family: str, fact: tuple, gold: Mapping[str, Any]) -> bool:
    """Whether a predicted fact (from :func:`predicted_facts`) matches a gold relation."""
    if family in ("part_of", "located_in"):
        return fact[0] in gold["subject"] and fact[1] in gold["object"]
    if family == "role":
        return fact[0] in gold["subject"] and bool(fact[1] & set(gold["object"]))
    if family == "deployed":
        return bool(fact[0] & set(gold["subject"])) and fact[1] in gold["object"]
    if family == "count":
        return bool(fact[0] & set(gold["subject"])) and fact[1] == int(gold["value"])
    if family in ("conflict", "alliance"):
        side_a, side_b = (set(side) for side in gold["between"])
        a, b = fact
        return (a in side_a and b in side_b) or (a in side_b and b in side_a)
    if family == "event":
        kind, places, date = fact
        if gold.get("kind") != "other" and kind != gold.get("kind"):
            return False  # an event of kind "other" is matched on place and date alone
        if gold.get("place") and not places & set(gold["place"]):
            return False
        return not gold.get("date") or date == gold["date"]
    if family == "claim":
        speakers, date = fact
        if not speakers & set(gold["speaker"]):
            return False
        return not gold.get("date") or date == gold["date"]
    raise EvaluationError(f"unknown relation family {family!r}")


def score_document(gold: GoldDocument, preds: Predictions) -> DocumentEval:
    """Score one article's predictions against its gold annotations."""
    mapping: dict[str, str] = {}
    matched: dict[str, GoldEntity] = {}
    spurious = []
    for iri in sorted(preds.entities):
        pred = preds.entities[iri]
        gold_entity = match_entity(pred, gold.entities)
        if gold_entity is None:
            spurious.append(min(pred.labels) if pred.labels else iri)
        else:
            mapping[iri] = gold_entity.id
            matched[iri] = gold_entity
    found = set(mapping.values())
    required = [g for g in gold.entities if g.required]
    entities = Score(len(matched), len(preds.entities),
                     sum(1 for g in required if g.id in found), len(required))
    types = Accuracy(sum(1 for iri, g in matched.items() if _type_ok(preds.entities[iri], g)), len(matched))
    linked = [(preds.entities[iri], g) for iri, g in matched.items() if preds.entities[iri].qids]
    right_links = {g.id for p, g in linked if p.qids & g.qids}
    link_gold = [g for g in required if g.wikidata_checked and g.wikidata]
    links = Score(sum(1 for p, g in linked if p.qids & g.qids), len(linked),
                  sum(1 for g in link_gold if g.id in right_links), len(link_gold))
    facts = predicted_facts(preds, mapping)
    relations = {}
    for family in FAMILIES:
        gold_facts = [r for r in gold.relations if r.get("type") == family]
        predicted = sorted(facts[family], key=repr)
        tp_pred = sum(1 for f in predicted if any(fact_matches(family, f, g) for g in gold_facts))
        tp_gold = sum(1 for g in gold_facts if any(fact_matches(family, f, g) for f in predicted))
        relations[family] = Score(tp_pred, len(predicted), tp_gold, len(gold_facts))
    missed = tuple(g.id for g in required if g.id not in found)
    return DocumentEval(gold.article_id, entities, types, links, relations, missed, tuple(sorted(spurious)))


def evaluate(gold_dir: str | Path, store: KGStore, settings: Settings | None = None) -> EvalReport:
    """Score the graph in ``store`` against every gold file in ``gold_dir``.

    Raises:
        EvaluationError: gold files cannot be read, or a gold document is not in the store.
    """
    golds = read_gold(gold_dir)
    predictions = read_predictions(store)
    missing = [g.article_id for g in golds if g.article_id not in predictions]
    if missing:
        raise EvaluationError(
            f"the store has no article {', '.join(missing)}; build the gold texts first "
            "(kg eval builds them itself unless --store is given)"
        )
    documents = tuple(score_document(g, predictions[g.article_id]) for g in golds)
    return EvalReport(documents, _total(documents))


def _total(documents: Sequence[DocumentEval]) -> DocumentEval:
    def add(items: Iterable[Any], zero: Any) -> Any:
        total = zero
        for item in items:
            total = total + item
        return total

    return DocumentEval(
        "TOTAL",
        add((d.entities for d in documents), Score()),
        add((d.types for d in documents), Accuracy()),
        add((d.links for d in documents), Score()),
        {f: add((d.relations[f] for d in documents), Score()) for f in FAMILIES},
    )


def evaluate_texts(
    gold_dir: str | Path,
    settings: Settings,
    *,
    texts_dir: str | Path | None = None,
    store: KGStore | None = None,
) -> EvalReport:
    """Build the gold documents' texts into a temporary store and score it.

    With ``store``, score that store as it is instead (it must already hold the gold articles).
    ``texts_dir`` defaults to ``GOLD_DIR/../seeds``.

    Raises:
        EvaluationError: a gold document has no text, or its build failed.
    """
    if store is not None:
        return evaluate(gold_dir, store, settings)
    golds = read_gold(gold_dir)
    texts = Path(texts_dir) if texts_dir is not None else Path(gold_dir).parent / "seeds"
    sources = []
    for gold in golds:
        path = texts / gold.document
        if not path.is_file():
            raise EvaluationError(f"no text {path} for gold file {gold.document}; pass --texts DIR")
        sources.append(str(path))
    with tempfile.TemporaryDirectory(prefix="kg-eval-") as tmp:
        build_settings = settings.replace(store=str(Path(tmp) / "store"))
        temp_store = LocalStore(build_settings)
        summary = build_sources(sources, build_settings, store=temp_store)
        if summary.failed:
            reasons = "; ".join(f"{f.path}: {f.reason}" for f in summary.failures)
            raise EvaluationError(f"could not build the gold texts: {reasons}")
        return evaluate(gold_dir, temp_store, build_settings)


# ----------------------------------------------------------------------------------------------
# output
def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def format_report(report: EvalReport, fmt: str = "table", *, width: int | None = None) -> str:
    """The report as a table (one block of rows per document) or as JSON."""
    if fmt == "json":
        return json.dumps(report.to_dict(), indent=1, ensure_ascii=False) + "\n"
    if fmt != "table":
        raise EvaluationError(f"unknown format {fmt!r}; choose table or json")
    table = Table(header_style="bold")
    for column in ("document", "measure", "P", "R", "F1", "pred ok/all", "gold found/all"):
        table.add_column(column, justify="left" if column in ("document", "measure") else "right")
    for doc in (*report.documents, report.total):
        rows: list[tuple[str, Score | Accuracy]] = [("entities", doc.entities), ("types", doc.types),
                                                     ("links", doc.links)]
        rows += [("relations (all)", doc.all_relations)]
        rows += [(f"  {family}", doc.relations[family]) for family in FAMILIES]
        for i, (measure, score) in enumerate(rows):
            name = doc.document if i == 0 else ""
            if isinstance(score, Accuracy):
                table.add_row(name, "type accuracy", _pct(score.value), "", "", f"{score.correct}/{score.total}", "")
            else:
                table.add_row(name, measure, _pct(score.precision), _pct(score.recall), _pct(score.f1),
                              f"{score.tp_pred}/{score.n_pred}", f"{score.tp_gold}/{score.n_gold}")
        table.add_section()
    buffer = io.StringIO()
    Console(file=buffer, width=width or 100, color_system=None, force_terminal=False).print(table)
    return buffer.getvalue()
