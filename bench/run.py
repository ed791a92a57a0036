"""kg's throughput, store, query and memory benchmark (issue 9). Not a test: run it by hand.

    cd /work/main && python -m bench.run --limit 500 --jobs 2

Every measurement runs in a fresh subprocess (``--stage``), so model loading is counted the same
way everywhere and each peak RSS belongs to one stage. See ``bench/README.md`` for what each
figure means and the goals; results go to ``bench/results/latest.json`` (gitignored).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import multiprocessing as mp
import os
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "bbc" / "bbc_news.jsonl"
RESULTS = ROOT / "bench" / "results"
GOALS = {"end_to_end_vs_bare": 0.8, "store_vs_bulk": 0.5, "query_median_ms": 200.0, "memory_growth": 1.2}


# helpers --------------------------------------------------------------------------------------
def peak_rss_mb() -> dict[str, float]:
    """High-water RSS of this process and of its largest finished child, in MiB (Linux: KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"self_mb": round(own, 1), "largest_child_mb": round(children, 1)}


def cpu_seconds() -> dict[str, float]:
    """CPU time (user + system) of this process and of its finished children, in seconds."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"self": round(own.ru_utime + own.ru_stime, 2),
            "children": round(children.ru_utime + children.ru_stime, 2)}


def subset(corpus: Path, limit: int | None, target: Path) -> Path:
    """The first ``limit`` lines of the corpus as a JSONL file."""
    with corpus.open(encoding="utf-8") as src, target.open("w", encoding="utf-8") as dst:
        for number, line in enumerate(src):
            if limit is not None and number >= limit:
                break
            dst.write(line)
    return target


def read_articles(path: Path):
    from kg.model import Article
    from kg.sources import read_sources

    return [a for a in read_sources([str(path)]) if isinstance(a, Article)]


def body(article) -> str:
    return article.text[article.body_start:]


def words(articles) -> int:
    return sum(len(body(a).split()) for a in articles)


# stage: the bare model and kg's pipeline, nlp.pipe only ----------------------------------------------
_pool_nlp = None


def _pool_init(model: str, with_rules: bool) -> None:
    global _pool_nlp
    from kg.pipeline import load_pipeline

    _pool_nlp = load_pipeline(model, with_rules=with_rules)


def _pool_pipe(args: tuple[list[str], int]) -> int:
    texts, batch_size = args
    return sum(1 for _ in _pool_nlp.pipe(texts, batch_size=batch_size))  # type: ignore[union-attr]


def stage_floor(args) -> dict:
    articles = read_articles(Path(args.input))
    texts = [body(a) for a in articles]
    with_rules = args.stage == "floor-rules"
    started = time.perf_counter()
    if args.jobs <= 1:
        from kg.pipeline import load_pipeline

        nlp = load_pipeline(args.model, with_rules=with_rules)
        loaded = time.perf_counter()
        count = sum(1 for _ in nlp.pipe(texts, batch_size=args.batch_size))
        load_seconds = loaded - started
    else:  # the same layout as kg's --jobs: spawned processes, model loaded once each
        batches = [(texts[i:i + args.batch_size], args.batch_size) for i in range(0, len(texts), args.batch_size)]
        with mp.get_context("spawn").Pool(args.jobs, _pool_init, (args.model, with_rules)) as pool:
            count = sum(pool.imap(_pool_pipe, batches))
        load_seconds = None
    seconds = time.perf_counter() - started
    return {"articles": count, "words": words(articles), "seconds": seconds, "load_seconds": load_seconds,
            "cpu": cpu_seconds(), "rss": peak_rss_mb()}


# stage: kg build end to end ------------------------------------------------------------------------------
def stage_build(args) -> dict:
    from kg.build import build_sources
    from kg.settings import Settings

    source = Path(args.input)
    settings = Settings(store=args.store, model=args.model, jobs=args.jobs, batch_size=args.batch_size)
    profiler = cProfile.Profile() if args.profile_to else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    summary = build_sources([str(source)], settings)
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - started
    rss = peak_rss_mb()  # before anything else is loaded
    result = {"articles": summary.new, "failed": summary.failed, "quads": summary.quads,
              "entities": summary.entities, "seconds": seconds, "cpu": cpu_seconds(), "rss": rss}
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(30)
        Path(args.profile_to).write_text(out.getvalue(), encoding="utf-8")
        result["profile"] = args.profile_to
    if args.dump:
        from kg.store import serialize_quads
        from kg.store.local import LocalStore

        Path(args.dump).write_bytes(serialize_quads(LocalStore(settings).quads()))
    result["words"] = words(read_articles(source))
    return result


# stage: kg's store writes vs Oxigraph's bulk loader -----------------------------------------------------------
def stage_store(args) -> dict:
    import pyoxigraph as ox

    from kg.build import WRITE_BATCH_ARTICLES
    from kg.settings import Settings
    from kg.store.local import LocalStore
    from kg.vocab import DCTERMS

    dump = Path(args.dump)
    by_graph: dict = {}
    for quad in ox.parse(path=str(dump), format=ox.RdfFormat.N_QUADS):
        by_graph.setdefault(quad.graph_name, []).append(quad)
    articles = []
    for quads in by_graph.values():
        ident = next(q.object.value for q in quads if q.predicate == DCTERMS.identifier)
        articles.append((ident, quads))
    total = sum(len(q) for _, q in articles)
    work = Path(args.store)

    kg_store = LocalStore(Settings(store=str(work / "kg")))
    started = time.perf_counter()
    with kg_store.writer():
        for i in range(0, len(articles), WRITE_BATCH_ARTICLES):
            kg_store.replace_articles(articles[i:i + WRITE_BATCH_ARTICLES])
    kg_seconds = time.perf_counter() - started

    # a rewrite of the same articles: what an update run pays (drop, then insert)
    started = time.perf_counter()
    with kg_store.writer():
        for i in range(0, len(articles), WRITE_BATCH_ARTICLES):
            kg_store.replace_articles(articles[i:i + WRITE_BATCH_ARTICLES])
    rewrite_seconds = time.perf_counter() - started

    started = time.perf_counter()
    bulk = ox.Store(str(work / "bulk"))
    bulk.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    bulk.flush()
    del bulk
    bulk_seconds = time.perf_counter() - started
    return {"quads": total, "articles": len(articles), "kg_seconds": kg_seconds,
            "kg_rewrite_seconds": rewrite_seconds, "bulk_seconds": bulk_seconds, "rss": peak_rss_mb()}


# stage: bundled queries ---------------------------------------------------------------------------
def _catalogue() -> list[tuple[str, bool]]:
    try:
        from kg.queries import list_queries
    except ImportError:  # kg.queries not there yet: the files as they are
        return [(p.stem, "# network: required" in p.read_text()) for p in sorted((ROOT / "queries").glob("*.rq"))]
    return [(info.name, info.network) for info in list_queries()]


def _time_query(store_path: str, name: str, runs_wanted: int, budget: float) -> dict:
    """Median latency of one bundled query (run in a child process that can be killed)."""
    from kg.settings import Settings
    from kg.store.local import LocalStore

    store = LocalStore(Settings(store=store_path))
    params: dict = {}
    try:
        from kg.queries import load_query, parse_params, run_query
    except ImportError:
        text = (ROOT / "queries" / f"{name}.rq").read_text()
        run = lambda: store.query(text)  # noqa: E731
    else:
        query = load_query(name)
        # a required parameter gets the header's example, an ``article`` one of the store's ids
        required = {p.name: (store.article_ids()[0] if p.name == "article" else p.example)
                    for p in query.info.params if p.required}
        params = parse_params(required, query) if required else {}
        run = lambda: run_query(store, query, params)  # noqa: E731
    runs: list[float] = []
    rows = 0
    with store.session():  # one open database, as a long-running reader would hold
        deadline = time.perf_counter() + budget
        while len(runs) < runs_wanted and (not runs or time.perf_counter() < deadline):
            started = time.perf_counter()
            result = run()
            runs.append((time.perf_counter() - started) * 1000)
            rows = len(result.rows)
    return {"median_ms": statistics.median(runs), "runs": len(runs), "rows": rows, "params": sorted(params),
            "rss": peak_rss_mb()}


def _time_browse(store_path: str, runs_wanted: int, budget: float) -> dict:
    """Median latency of what ``kg entities``, ``kg show`` and an entity given by name do, for
    the store's most mentioned entity (not bundled queries, but read by analysts as often)."""
    from kg.queries.browse import describe_entity, list_entities
    from kg.queries import resolve_entity
    from kg.settings import Settings
    from kg.store.local import LocalStore

    store = LocalStore(Settings(store=store_path))
    timings: dict[str, dict] = {}
    with store.session():
        listed = list_entities(store)
        if not listed:
            return {}
        top = listed[0]
        calls = {
            "kg entities": lambda: list_entities(store),
            f"kg show {top.label!r}": lambda: describe_entity(store, top.iri),
            f"entity named {top.label!r}": lambda: resolve_entity(store, top.label),
        }
        for name, call in calls.items():
            runs: list[float] = []
            deadline = time.perf_counter() + budget
            while len(runs) < runs_wanted and (not runs or time.perf_counter() < deadline):
                started = time.perf_counter()
                call()
                runs.append((time.perf_counter() - started) * 1000)
            timings[name] = {"median_ms": statistics.median(runs), "runs": len(runs)}
    return timings


def stage_queries(args) -> dict:
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures import TimeoutError as FutureTimeout

    context = mp.get_context("spawn")
    timings: dict[str, dict] = {}
    pool = ProcessPoolExecutor(1, mp_context=context)
    try:
        for name, network in _catalogue():
            if network:
                timings[name] = {"skipped": "network: required"}
                continue
            future = pool.submit(_time_query, args.store, name, args.query_runs, args.query_budget)
            try:
                timings[name] = future.result(timeout=args.query_timeout)
            except FutureTimeout:
                timings[name] = {"error": f"timed out after {args.query_timeout:g} s (killed)"}
                for process in list(pool._processes.values()):  # a running query cannot be cancelled
                    process.kill()
                pool.shutdown(wait=False, cancel_futures=True)
                pool = ProcessPoolExecutor(1, mp_context=context)
            except Exception as exc:  # report and go on with the other queries
                timings[name] = {"error": f"{type(exc).__name__}: {exc}"}
        browse = pool.submit(_time_browse, args.store, args.query_runs, args.query_budget)
        try:
            browsing = browse.result(timeout=args.query_timeout * 3)
        except Exception as exc:  # a timeout or a failure: reported, the queries stand
            browsing = {"error": {"error": f"{type(exc).__name__}: {exc}"}}
            for process in list(pool._processes.values()):
                process.kill()
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return {"queries": timings, "browse": browsing, "rss": peak_rss_mb()}


STAGES = {"floor-bare": stage_floor, "floor-rules": stage_floor, "build": stage_build,
          "store": stage_store, "queries": stage_queries}


# the driver ----------------------------------------------------------------------------------------------
def run_stage(stage: str, out: Path, **options) -> dict:
    command = [sys.executable, "-m", "bench.run", "--stage", stage, "--out", str(out)]
    for key, value in options.items():
        if value is not None and value is not False:
            command += [f"--{key.replace('_', '-')}"] + ([] if value is True else [str(value)])
    print(f"  {stage} {' '.join(command[5:])}", file=sys.stderr, flush=True)
    completed = subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if completed.returncode != 0:
        raise SystemExit(f"stage {stage} failed:\n{completed.stderr[-3000:]}")
    return json.loads(out.read_text())


def rate(count: float, seconds: float) -> float:
    return count / seconds if seconds else float("nan")


def main_driver(args) -> dict:
    corpus = Path(args.corpus)
    if not corpus.is_file():
        raise SystemExit(f"no corpus at {corpus}; pass --corpus FILE.jsonl")
    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    try:
        full = subset(corpus, args.limit, tmp / "articles.jsonl")
        half = subset(corpus, max(1, (args.limit or sum(1 for _ in corpus.open())) // 2), tmp / "half.jsonl")
        common = dict(model=args.model, jobs=args.jobs, batch_size=args.batch_size)
        print(f"kg benchmark: {full} (jobs={args.jobs})", file=sys.stderr)
        # bare, build, kg pipeline, build, bare: on a shared machine speed drifts during a run
        # (up to 14% between two floors of one run), and with the runs of each stage placed
        # symmetrically around the middle, a steady drift cancels out of the means
        bare = run_stage("floor-bare", tmp / "bare.json", input=full, **common)
        build_first = run_stage("build", tmp / "build.json", input=full, store=tmp / "store",
                                dump=tmp / "dump.nq", **common)
        rules = run_stage("floor-rules", tmp / "rules.json", input=full, **common)
        build_again = run_stage("build", tmp / "build-again.json", input=full, store=tmp / "store-again", **common)
        bare_after = run_stage("floor-bare", tmp / "bare-after.json", input=full, **common)
        store = run_stage("store", tmp / "store.json", dump=tmp / "dump.nq", store=tmp / "replay")
        queries = run_stage("queries", tmp / "queries.json", store=tmp / "store",
                            query_runs=args.query_runs, query_budget=args.query_budget,
                            query_timeout=args.query_timeout)
        memory = None
        if not args.skip_memory:
            memory = run_stage("build", tmp / "half-build.json", input=half, store=tmp / "half-store", **common)
        if args.profile:  # a separate run: profiling slows the build and inflates its memory
            RESULTS.mkdir(parents=True, exist_ok=True)
            run_stage("build", tmp / "profiled.json", input=full, store=tmp / "profiled-store",
                      profile_to=RESULTS / "profile-build.txt", model=args.model, jobs=1, batch_size=args.batch_size)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    def throughput(stage: dict) -> dict:
        return {"articles_per_s": rate(stage["articles"], stage["seconds"]),
                "words_per_s": rate(stage["words"], stage["seconds"])}

    mean_floor = {**bare, "seconds": (bare["seconds"] + bare_after["seconds"]) / 2}
    mean_floor.update(throughput(mean_floor))
    build = {**build_first, "seconds": (build_first["seconds"] + build_again["seconds"]) / 2,
             "rss": {key: max(build_first["rss"][key], build_again["rss"][key]) for key in build_first["rss"]}}
    result = {
        "corpus": str(corpus), "limit": args.limit, "jobs": args.jobs, "batch_size": args.batch_size,
        "model": args.model, "cpu_count": os.cpu_count(), "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "floor_bare_runs": [{**bare, **throughput(bare)}, {**bare_after, **throughput(bare_after)}],
        "floor_bare": mean_floor,
        "floor_rules": {**rules, **throughput(rules)},
        "build_runs": [{**build_first, **throughput(build_first)}, {**build_again, **throughput(build_again)}],
        "build": {**build, **throughput(build), "quads_per_s": rate(build["quads"], build["seconds"])},
        "store": {**store, "kg_quads_per_s": rate(store["quads"], store["kg_seconds"]),
                  "kg_rewrite_quads_per_s": rate(store["quads"], store["kg_rewrite_seconds"]),
                  "bulk_quads_per_s": rate(store["quads"], store["bulk_seconds"])},
        "queries": queries["queries"],
        "browse": queries.get("browse", {}),
    }
    result["ratios"] = {
        "end_to_end_vs_bare": rate(mean_floor["seconds"], build["seconds"]),
        "end_to_end_vs_rules": rate(rules["seconds"], build["seconds"]),
        "rules_vs_bare": rate(mean_floor["seconds"], rules["seconds"]),
        "store_vs_bulk": rate(store["bulk_seconds"], store["kg_seconds"]),
    }
    if memory is not None:
        def peak(stage: dict) -> float:
            return max(stage["rss"]["self_mb"], stage["rss"]["largest_child_mb"])

        result["memory"] = {"half_articles": memory["articles"], "half_peak_mb": peak(memory),
                            "full_articles": build["articles"], "full_peak_mb": peak(build),
                            "growth": rate(peak(build), peak(memory))}
    timed = [q["median_ms"] for q in result["queries"].values() if "median_ms" in q]
    result["goals"] = {
        "end_to_end_vs_bare >= 0.8": result["ratios"]["end_to_end_vs_bare"] >= GOALS["end_to_end_vs_bare"],
        "store_vs_bulk >= 0.5": result["ratios"]["store_vs_bulk"] >= GOALS["store_vs_bulk"],
        "every query median <= 200 ms": bool(timed) and max(timed) <= GOALS["query_median_ms"]
        and not any("error" in q for q in result["queries"].values()),
    }
    if memory is not None:
        result["goals"]["memory growth (N vs N/2) < 1.2"] = result["memory"]["growth"] < GOALS["memory_growth"]
    return result


def print_table(result: dict) -> None:
    def row(name: str, value: str, note: str = "") -> None:
        print(f"  {name:<38} {value:>16}  {note}")

    print(f"\nkg benchmark — {result['floor_bare']['articles']} articles, "
          f"{result['floor_bare']['words']:,} words, jobs={result['jobs']}, {result['model']}")
    print("throughput (wall clock, model loading included)")
    before, after = result["floor_bare_runs"]
    row("bare model nlp.pipe, first / last run", f"{before['seconds']:.1f} / {after['seconds']:.1f} s",
        "the floor is their mean")
    first, again = result["build_runs"]
    row("kg build, first / second run", f"{first['seconds']:.1f} / {again['seconds']:.1f} s",
        "end to end is their mean")
    for key, label in (("floor_bare", "bare model nlp.pipe"), ("floor_rules", "kg pipeline nlp.pipe (with rules)"),
                       ("build", "kg build end to end")):
        stage = result[key]
        row(label, f"{stage['words_per_s']:,.0f} words/s", f"{stage['articles_per_s']:.1f} articles/s, "
            f"{stage['seconds']:.1f} s")
    ratios = result["ratios"]
    row("end to end / bare model", f"{ratios['end_to_end_vs_bare']:.2f}", "goal >= 0.8")
    row("end to end / kg pipeline", f"{ratios['end_to_end_vs_rules']:.2f}")
    row("kg pipeline / bare model", f"{ratios['rules_vs_bare']:.2f}")
    store = result["store"]
    print(f"store writes ({store['quads']:,} quads, {store['articles']} graphs)")
    row("kg replace_articles (new store)", f"{store['kg_quads_per_s']:,.0f} quads/s", f"{store['kg_seconds']:.2f} s")
    row("kg replace_articles (rewrite)", f"{store['kg_rewrite_quads_per_s']:,.0f} quads/s",
        f"{store['kg_rewrite_seconds']:.2f} s")
    row("pyoxigraph bulk_load (N-Quads)", f"{store['bulk_quads_per_s']:,.0f} quads/s", f"{store['bulk_seconds']:.2f} s")
    row("kg / bulk", f"{ratios['store_vs_bulk']:.2f}", "goal >= 0.5")
    print("queries (median)")
    for name, q in result["queries"].items():
        if "median_ms" in q:
            row(name, f"{q['median_ms']:,.1f} ms", f"{q['rows']} rows, {q['runs']} runs"
                + ("  > 200 ms" if q["median_ms"] > GOALS["query_median_ms"] else ""))
        else:
            row(name, "-", q.get("skipped") or q.get("error", ""))
    if result.get("browse"):
        print("browsing the store (median; not bundled queries, no goal)")
        for name, b in result["browse"].items():
            row(name, f"{b['median_ms']:,.1f} ms" if "median_ms" in b else "-", b.get("error", f"{b.get('runs')} runs"))
    if "memory" in result:
        mem = result["memory"]
        print("peak RSS (largest process)")
        row(f"build of {mem['half_articles']} articles", f"{mem['half_peak_mb']:,.0f} MiB")
        row(f"build of {mem['full_articles']} articles", f"{mem['full_peak_mb']:,.0f} MiB",
            f"growth {mem['growth']:.2f} (goal < 1.2)")
    print("goals")
    for goal, met in result["goals"].items():
        row(goal, "met" if met else "NOT MET")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS), help="JSONL corpus (default: the BBC corpus)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles (default: all)")
    parser.add_argument("--jobs", type=int, default=1, help="processes, for the model floor and kg build alike")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--model", default=None, help="spaCy pipeline (default: kg's)")
    parser.add_argument("--query-runs", type=int, default=5, help="runs per query (median reported)")
    parser.add_argument("--query-budget", type=float, default=20.0, help="seconds per query before stopping early")
    parser.add_argument("--query-timeout", type=float, default=120.0, help="seconds before one query run is killed")
    parser.add_argument("--skip-memory", action="store_true", help="skip the N/2-article build for the memory check")
    parser.add_argument("--profile", action="store_true", help="also cProfile a one-process build (bench/results/profile-build.txt)")
    parser.add_argument("--output", default=str(RESULTS / "latest.json"))
    # internal: one stage in this process
    parser.add_argument("--stage", choices=sorted(STAGES), help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--input", help=argparse.SUPPRESS)
    parser.add_argument("--store", help=argparse.SUPPRESS)
    parser.add_argument("--dump", help=argparse.SUPPRESS)
    parser.add_argument("--profile-to", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.model is None:
        from kg.settings import DEFAULT_MODEL

        args.model = DEFAULT_MODEL
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.stage:
        result = STAGES[args.stage](args)
        Path(args.out).write_text(json.dumps(result))
        return
    result = main_driver(args)
    RESULTS.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(result, indent=2))
    print_table(result)
    print(f"\nwrote {args.output}")


if __name__ == "__main__":
    main()
