"""Benchmarks: generate a synthetic project and time what users wait for; results go to JSON.

    python -m bench                      # all benchmarks, default sizes
    python -m bench import quotes        # some of them
    python -m bench --transcripts 50     # smaller project for a quick look

Synthetic transcripts are built from the sentences of the sample corpus (so word lengths,
Norwegian letters and turn shapes are realistic), with I:/R: labels. Results are written to
bench/results/<benchmark>.json with the machine, the sizes and the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from codebench import services  # noqa: E402
from codebench.services.sample import CODEBOOK, transcript_files  # noqa: E402
from codebench.ingest import import_file  # noqa: E402

RESULTS = HERE / "results"


def _sentences() -> list[str]:
    sentences: list[str] = []
    for path in transcript_files():
        text = import_file(path).text
        for line in text.split("\n"):
            body = re.sub(r"^[^:\n]{1,40}:\s*", "", line)
            sentences.extend(s.strip() for s in re.split(r"(?<=[.?!])\s+", body) if len(s.split()) >= 3)
    return sentences


def make_transcripts(folder: Path, count: int, words_each: int, seed: int = 7) -> int:
    """Write ``count`` synthetic .txt interviews of about ``words_each`` words; returns total words."""
    rng = random.Random(seed)
    sentences = _sentences()
    total = 0
    for n in range(count):
        turns: list[str] = []
        words = 0
        while words < words_each:
            question = rng.choice(sentences)
            answer = " ".join(rng.choice(sentences) for _ in range(rng.randint(3, 12)))
            turns.append(f"I: {question}")
            turns.append(f"R: {answer}")
            words += len(question.split()) + len(answer.split()) + 2
        # Make every file unique even with a small sentence pool (hash-based dedup would skip it).
        turns.append(f"I: Takk for intervjuet, nummer {n}.")
        (folder / f"intervju_{n:04d}.txt").write_text("\n\n".join(turns) + "\n", encoding="utf-8")
        total += words + 6
    return total


def _machine() -> dict[str, Any]:
    import os

    return {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
            "processor": platform.processor() or platform.machine()}


def _write(name: str, payload: dict[str, Any]) -> Path:
    RESULTS.mkdir(exist_ok=True)
    payload = {"benchmark": name, "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
               "machine": _machine(), **payload}
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(payload, indent=1, ensure_ascii=False))
    return path


def _timed(func: Callable[[], Any], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return times


def bench_import(args: argparse.Namespace, work: Path) -> None:
    """Import throughput of plain-text transcripts (parse + store, one transaction)."""
    source = work / "txt"
    source.mkdir()
    words = make_transcripts(source, args.transcripts, args.words)
    project = services.init_project(work / "import_project")
    files = sorted(source.glob("*.txt"))
    start = time.perf_counter()
    report = services.import_files(project, files)
    elapsed = time.perf_counter() - start
    assert not report.errors and len(report.added) == len(files)
    parse_start = time.perf_counter()
    for path in files:
        import_file(path)
    parse_only = time.perf_counter() - parse_start
    _write("import_txt", {
        "transcripts": len(files), "words": words, "seconds": round(elapsed, 3),
        "words_per_minute": round(words / elapsed * 60), "parse_only_words_per_minute": round(words / parse_only * 60),
        "target_words_per_minute": 2_000_000,
    })
    project.close()


def build_project(work: Path, name: str, transcripts: int, words: int, *, extra_codes: int = 0) -> services.Project:
    """A project of synthetic transcripts (roles in turn) with the hybrid codebook."""
    source = work / f"{name}_txt"
    source.mkdir()
    make_transcripts(source, transcripts, words)
    project = services.init_project(work / name)
    roles = ["veileder", "IA-rådgiver", "mentor", "arbeidsgiver"]
    files = sorted(source.glob("*.txt"))
    for i, role in enumerate(roles):
        services.import_files(project, files[i::4], services.ParticipantSpec(role=role, round=1 + i % 2))
    services.load_codebook(project, CODEBOOK)
    for n in range(extra_codes):
        services.create_code(project, f"åpen kode {n:03d}", parent="samskaping")
    return project


def add_random_codings(project: services.Project, codings: int, coders: tuple[str, ...], seed: int = 11,
                       max_length: int = 400) -> None:
    """Bulk-insert random codings (40–``max_length`` characters) spread over documents, codes and coders."""
    rng = random.Random(seed)
    codes = [c for c in services.code_tree(project) if c.kind == "code"]
    docs = [(d.id, d.sha256) for d in services.list_documents(project)]
    texts = {d_id: services.get_document(project, d_id).text for d_id, _ in docs}
    with project.transaction() as repo:
        coder_ids = [repo.codings.coder_id(name) for name in coders]
        rows = []
        for _ in range(codings):
            doc_id, sha = rng.choice(docs)
            text = texts[doc_id]
            start = rng.randrange(0, len(text) - max_length)
            end = start + rng.randint(40, max_length)
            rows.append({"uuid": str(uuid.uuid4()), "document_id": doc_id, "code_id": rng.choice(codes).id,
                         "coder_id": rng.choice(coder_ids), "start": start, "end": end, "text_sha256": sha,
                         "quote": text[start:end]})
        repo.interchange.add_codings(rows)
    project.checkpoint()  # as the real bulk paths (import, merge, import-codings) do


def build_coded_project(work: Path, transcripts: int, words: int, codings: int) -> services.Project:
    """The retrieval benchmark's project: ``codings`` random codings by four coders."""
    project = build_project(work, "coded_project", transcripts, words)
    add_random_codings(project, codings, ("ingrid", "per", "kari", "ola"))
    return project


def add_anonymisation(project: services.Project) -> int:
    """Mark names of the sample corpus (which the synthetic sentences carry) as accepted
    pseudonymised entities, so anonymised exports replace real mentions; returns how many."""
    from codebench.services import anonymisation

    marked = 0
    for name, kind in (("Kristine", "PER"), ("Bjørn", "PER"), ("Sara", "PER"), ("Tone", "PER"), ("Hanne", "PER"),
                       ("Liv Berg", "PER"), ("Sørvik", "LOC"), ("Fjellby", "LOC"), ("NAV Sørvik", "NAV_OFFICE")):
        marked += anonymisation.add_name(project, name, kind=kind, coder="bench")[1]
    return marked


def quote_floor(project: services.Project, category: str, repeat: int) -> dict[str, Any]:
    """Quotes of a category in process against the bare SQL that fetches the same codings.

    Timed as CPU time of this process (``time.process_time``), which other work on a shared
    machine disturbs far less than wall time, and as wall time; medians of ``repeat`` runs.

    - ``bare``: the category's codings (id, code, coder, document, span, words) in one SELECT on a
      warm sqlite3 connection: the least any retrieval must do;
    - ``with_speakers``: the same with each coding's speaker (one index seek per coding, the
      cheapest way found), in its own read transaction on a fresh connection, as a command has it;
    - ``user_rows``: the floor the target is set against: one SELECT giving the rows a reader sees,
      as the service gives them: each coding with its code's and main category's names, the coder's
      name, the document's name, case, role and round, the speaker, in reading order (document,
      position), fetched as tuples in a read transaction on a fresh connection, as a command has it;
    - ``service``: ``services.quotes(category=...)``: the quotes a reader gets, sorted.
    """
    import sqlite3

    from codebench.domain.code_tree import subtree_ids

    with project.reading() as store:
        rows = store.codebook.rows()
        node = store.codebook.by_name(category)
    assert node is not None
    ids = subtree_ids(rows, node.id)
    path = project.url.split("///", 1)[1]
    marks = ",".join("?" * len(ids))
    bare_sql = f'SELECT uuid, code_id, coder_id, document_id, start, "end", quote FROM codings WHERE code_id IN ({marks})'
    speaker_sql = (f'SELECT c.uuid, c.code_id, c.coder_id, c.document_id, c.start, c."end", c.quote, '
                   f'(SELECT t.speaker FROM turns t WHERE t.document_id = c.document_id AND t.start <= c.start '
                   f'ORDER BY t.start DESC LIMIT 1) FROM codings c WHERE c.code_id IN ({marks})')
    # The main category of each code is its top ancestor when that is a category (domain.code_tree.main_categories).
    user_sql = (f'WITH RECURSIVE tops(id, top) AS (SELECT id, id FROM codes WHERE parent_id IS NULL AND project_id = ? '
                f'UNION ALL SELECT k.id, t.top FROM codes k JOIN tops t ON k.parent_id = t.id) '
                f'SELECT c.uuid, k.name, CASE WHEN top.kind = \'category\' THEN top.name END, r.name, c.document_id, '
                f'd.name, p.pid, p.role, d.round, c.start, c."end", c.quote, '
                f'(SELECT t.speaker FROM turns t WHERE t.document_id = c.document_id AND t.start <= c.start '
                f'ORDER BY t.start DESC LIMIT 1) '
                f'FROM codings c JOIN codes k ON k.id = c.code_id JOIN tops ON tops.id = c.code_id '
                f'JOIN codes top ON top.id = tops.top JOIN coders r ON r.id = c.coder_id '
                f'JOIN documents d ON d.id = c.document_id LEFT JOIN participants p ON p.id = d.participant_id '
                f'WHERE c.code_id IN ({marks}) ORDER BY c.document_id, c.start, c."end", c.coder_id, c.code_id, c.uuid')
    warm = sqlite3.connect(path)

    def bare() -> Any:
        return warm.execute(bare_sql, ids).fetchall()

    def with_speakers() -> Any:
        with sqlite3.connect(path, isolation_level=None) as connection:
            connection.execute("BEGIN")
            found = connection.execute(speaker_sql, ids).fetchall()
            connection.execute("ROLLBACK")
        return found

    def user_rows() -> Any:
        with sqlite3.connect(path, isolation_level=None) as connection:
            connection.execute("BEGIN")
            found = connection.execute(user_sql, [project.project_id, *ids]).fetchall()
            connection.execute("ROLLBACK")
        return found

    def service() -> Any:
        return services.quotes(project, category=category)

    # The floor gives what the service gives, field for field and in the same order.
    assert [tuple(q) for q in service()] == user_rows(), "the user_rows floor is not the service's rows"
    figures: dict[str, Any] = {"quotes": len(service())}
    for name, func in (("bare", bare), ("with_speakers", with_speakers), ("user_rows", user_rows), ("service", service)):
        func()  # warm the file cache
        cpu, wall = [], []
        for _ in range(repeat):
            start_cpu, start_wall = time.process_time(), time.perf_counter()
            func()
            cpu.append(time.process_time() - start_cpu)
            wall.append(time.perf_counter() - start_wall)
        figures[f"{name}_cpu_ms"] = round(statistics.median(cpu) * 1000, 1)
        figures[f"{name}_wall_ms"] = round(statistics.median(wall) * 1000, 1)
    warm.close()
    figures["service_to_bare"] = round(figures["service_cpu_ms"] / figures["bare_cpu_ms"], 2)
    figures["service_to_bare_with_speakers"] = round(figures["service_cpu_ms"] / figures["with_speakers_cpu_ms"], 2)
    figures["service_to_user_rows"] = round(figures["service_cpu_ms"] / figures["user_rows_cpu_ms"], 2)
    figures["service_to_user_rows_wall"] = round(figures["service_wall_ms"] / figures["user_rows_wall_ms"], 2)
    return figures


def bench_quotes(args: argparse.Namespace, work: Path) -> None:
    """Latency of retrieving every quote of one main category (the constant-comparison view)."""
    import os

    project = build_coded_project(work, args.transcripts, args.words, args.codings)
    stats = services.stats(project)
    load_before = os.getloadavg()[0]
    per_category = {}
    for category in ("veileder", "IA-rådgiver", "mentor", "arbeidsgiver"):
        found = services.quotes(project, category=category)
        times = _timed(lambda: services.quotes(project, category=category), args.repeat)
        per_category[category] = {"quotes": len(found), "median_ms": round(statistics.median(times) * 1000, 1),
                                  "max_ms": round(max(times) * 1000, 1)}
    one_code = _timed(lambda: services.quotes(project, code="god mentor"), args.repeat)
    _write("quotes", {
        "transcripts": stats.documents, "words": stats.words, "codings": stats.codings,
        "by_category": per_category,
        "one_code_median_ms": round(statistics.median(one_code) * 1000, 1),
        "mentor_against_sql_floor": quote_floor(project, "mentor", args.repeat),
        "target_ms": 100, "target_ratio_to_floor": 1.5,
        "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    })
    project.close()


def bench_merge(args: argparse.Namespace, work: Path) -> None:
    """Merging two coders' copies of a project, each with ``--codings`` codings, into the team copy."""
    import shutil

    team = build_project(work, "team", args.transcripts, args.words)
    team.close()
    for seed, coder in enumerate(("ingrid", "per")):
        shutil.copytree(work / "team", work / coder)
        copy = services.open_project(work / coder)
        add_random_codings(copy, args.codings, (coder,), seed=seed)
        copy.close()
    import os

    team = services.open_project(work / "team")
    load_before = os.getloadavg()[0]
    start, start_cpu = time.perf_counter(), time.process_time()
    reports = services.merge_projects(team, [work / "ingrid", work / "per"])
    first, first_cpu = time.perf_counter() - start, time.process_time() - start_cpu
    start, start_cpu = time.perf_counter(), time.process_time()
    services.merge_projects(team, [work / "ingrid", work / "per"])
    again, again_cpu = time.perf_counter() - start, time.process_time() - start_cpu
    _write("merge", {
        "transcripts": args.transcripts, "codings_per_coder": args.codings,
        "codings_added": [r.codings_added for r in reports], "seconds": round(first, 3),
        "remerge_seconds": round(again, 3), "target_seconds": 5,
        # CPU time of this process: on a shared machine the wall time is mostly waiting for a core and the disk.
        "cpu_seconds": round(first_cpu, 3), "remerge_cpu_seconds": round(again_cpu, 3),
        "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    })
    team.close()


def bench_agreement(args: argparse.Namespace, work: Path) -> None:
    """Agreement of two coders for about 100 codes over about 2 million characters."""
    # ~3,900 words of sample Norwegian are ~20,000 characters; 100 of them make 2 M characters.
    project = build_project(work, "agreement", 100, 3900, extra_codes=54)
    add_random_codings(project, 10_000, ("ingrid", "per"), max_length=600)
    stats = services.stats(project)
    characters = sum(d.length for d in services.list_documents(project))
    times = _timed(lambda: services.agreement(project, ["ingrid", "per"]), 3)
    result = services.agreement(project, ["ingrid", "per"])
    _write("agreement", {
        "codes": stats.codes, "characters": characters, "codings": stats.codings,
        "documents_compared": len(result.documents), "median_seconds": round(statistics.median(times), 3),
        "target_seconds": 5,
    })
    project.close()


def bench_qdpx(args: argparse.Namespace, work: Path) -> None:
    """REFI-QDA: export the retrieval benchmark's project as QDPX (anonymised and original) and import it."""
    import os

    project = build_coded_project(work, args.transcripts, args.words, args.codings)
    mentions = add_anonymisation(project)
    stats = services.stats(project)
    anonymised, original = work / "anonymised.qdpx", work / "original.qdpx"
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    # The names are marked by hand (add_anonymisation), not detected: the state is "not run".
    summary = services.export_qdpx(project, anonymised, allow_unreviewed=True)
    export_seconds = time.perf_counter() - start
    start = time.perf_counter()
    services.export_qdpx(project, original, original=True)
    original_seconds = time.perf_counter() - start
    fresh = services.init_project(work / "imported")
    start = time.perf_counter()
    report = services.import_qdpx(fresh, original)
    import_seconds = time.perf_counter() - start
    start = time.perf_counter()
    again = services.import_qdpx(fresh, original)
    reimport_seconds = time.perf_counter() - start
    assert summary.codings == stats.codings and len(report.documents_added) == stats.documents
    assert report.codings_added + report.codings_present == stats.codings and again.codings_added == 0
    _write("qdpx", {
        "transcripts": stats.documents, "words": stats.words, "codings": stats.codings,
        "export_seconds": round(export_seconds, 3), "export_original_seconds": round(original_seconds, 3),
        "file_mb": round(anonymised.stat().st_size / 1e6, 2), "import_seconds": round(import_seconds, 3),
        "codings_imported": report.codings_added, "reimport_seconds": round(reimport_seconds, 3),
        "anonymised_mentions": mentions, "target_export_seconds": 10,
        # Shared machines: the one-minute load average before and after says how busy the CPUs were.
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    })
    fresh.close()
    project.close()


def bench_export(args: argparse.Namespace, work: Path) -> None:
    """The category–quote matrix of the retrieval benchmark's project: XLSX (target ≤ 5 s) and tidy CSV."""
    import os

    project = build_coded_project(work, args.transcripts, args.words, args.codings)
    mentions = add_anonymisation(project)
    stats = services.stats(project)
    repeat = max(1, min(args.repeat, 3))  # each run writes the whole matrix; three show the spread
    retrieval = _timed(lambda: services.quotes(project, anonymised=True), repeat)
    figures: dict[str, Any] = {}
    runs = {"xlsx": {}, "csv": {"fmt": "csv"}, "xlsx_counts_only": {"counts_only": True},
            "xlsx_one_category": {"categories": ["mentor"]}}
    for name, options in runs.items():
        path = work / f"{name}.{options.get('fmt', 'xlsx')}"
        # allow_unreviewed: names are marked by hand (add_anonymisation), detection is not run.
        times = _timed(lambda: services.export_matrix(project, path, allow_unreviewed=True, **options), repeat)
        figures[name] = {"median_seconds": round(statistics.median(times), 3), "max_seconds": round(max(times), 3),
                         "file_mb": round(path.stat().st_size / 1e6, 2)}
    _write("export", {
        "transcripts": stats.documents, "words": stats.words, "codings": stats.codings,
        "anonymised_mentions": mentions,
        "anonymised_retrieval_median_seconds": round(statistics.median(retrieval), 3),
        "matrix": figures, "target_xlsx_seconds": 5,
        "load_average_1min": round(os.getloadavg()[0], 2),  # other work on the machine slows every figure
    })
    project.close()


def bench_tui(args: argparse.Namespace, work: Path) -> None:
    """The workbench's paint, apply and retrieval times (bench/tui.py)."""
    from bench.tui import bench_tui as run_tui

    run_tui(args, work)


def bench_pdf(args: argparse.Namespace, work: Path) -> None:
    """Importing a long PDF report (target: 500 pages in at most 30 s), parse alone and into a project."""
    from tests.writers import lay_out_pages, write_pdf

    rng = random.Random(5)
    sentences = _sentences()
    paragraphs: list[str] = []
    pages: list[list[str]] = []
    while len(pages) < args.pages:
        paragraphs.append(" ".join(rng.choice(sentences) for _ in range(rng.randint(2, 9))))
        if len(paragraphs) % 50 == 0:
            pages = lay_out_pages(paragraphs, lines_per_page=46)
    pages = pages[: args.pages]
    path = work / "rapport.pdf"
    write_pdf(path, pages, title="Sluttrapport", header="Sluttrapport – evaluering av mentorordningen")
    parse = _timed(lambda: import_file(path), 1)[0]
    doc = import_file(path)
    project = services.init_project(work / "pdf_project")
    start = time.perf_counter()
    report = services.import_files(project, [path])
    elapsed = time.perf_counter() - start
    assert not report.errors and len(report.added) == 1
    _write("import_pdf", {
        "pages": doc.meta["page_count"], "bytes": path.stat().st_size, "words": len(doc.text.split()),
        "paragraphs": len(doc.turns), "parse_seconds": round(parse, 3), "import_seconds": round(elapsed, 3),
        "target_seconds": 30,
    })
    project.close()


def bench_search(args: argparse.Namespace, work: Path) -> None:
    """Text search: first page, all hits of a common word, coding 1,000 hits (bench/search.py)."""
    from bench.search import bench_search as run_search

    run_search(args, work)


def bench_startup(args: argparse.Namespace, work: Path) -> None:
    """Start-up of short commands against a bare Python (bench/scaling.py)."""
    from bench.scaling import bench_startup as run_startup

    run_startup(args, work)


def bench_peers(args: argparse.Namespace, work: Path) -> None:
    """codebench against qc on the same REFI-QDA project (bench/peers.py; qc must be installed)."""
    from bench.peers import bench_peers as run_peers

    run_peers(args, work)


def bench_edit(args: argparse.Namespace, work: Path) -> None:
    """Correcting a 20,000-word transcript with 1,000 codings (bench/edit.py)."""
    from bench.edit import bench_edit as run_edit

    run_edit(args, work)


def bench_scaling(args: argparse.Namespace, work: Path) -> None:
    """stats and the project screen at 20k … 10 M words (bench/scaling.py)."""
    from bench.scaling import bench_scaling as run_scaling

    run_scaling(args, work)


def bench_hardening(args: argparse.Namespace, work: Path) -> None:
    """Pathological inputs (huge codebooks, QDPX, transcripts, a .docx bomb): time and peak memory (bench/hardening.py)."""
    from bench.hardening import bench_hardening as run_hardening

    run_hardening(args, work)


BENCHMARKS = {"import": bench_import, "pdf": bench_pdf, "quotes": bench_quotes, "merge": bench_merge, "agreement": bench_agreement,
              "tui": bench_tui, "qdpx": bench_qdpx, "export": bench_export, "startup": bench_startup, "scaling": bench_scaling,
              "edit": bench_edit, "hardening": bench_hardening, "search": bench_search}
# Run only when named: it needs qc installed (python -m bench peers --install-qc, which uses the network).
ON_REQUEST = {"peers": bench_peers}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="codebench benchmarks (results in bench/results/*.json)")
    parser.add_argument("names", nargs="*", choices=[*BENCHMARKS, *ON_REQUEST, []],
                        help="which benchmarks (default: all but peers)")
    parser.add_argument("--transcripts", type=int, default=200)
    parser.add_argument("--words", type=int, default=10_000, help="words per transcript")
    parser.add_argument("--codings", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--pages", type=int, default=500, help="pages of the PDF report")
    parser.add_argument("--before", metavar="DIR", help="startup: also time the codebench/ package of this checkout")
    parser.add_argument("--before-label", help="startup: what --before is (a commit), for the JSON")
    parser.add_argument("--sizes", type=int, nargs="+",
                        help="scaling: project sizes in words (default 20k 200k 2M 10M); peers: default 500k 2.5M")
    parser.add_argument("--keep", metavar="DIR", help="scaling: build projects here once and reuse them")
    parser.add_argument("--output", help="scaling, hardening, peers: result name (default: the benchmark's)")
    parser.add_argument("--cases", nargs="+", help="hardening: which pathological cases (default: all)")
    parser.add_argument("--scale", type=float, default=1.0, help="hardening: fraction of each case's full size")
    parser.add_argument("--install-qc", action="store_true", help="peers: install qc into --qc-venv first (network)")
    parser.add_argument("--qc-venv", metavar="DIR", help="peers: qc's virtual environment (default bench/.peers/qc-venv)")
    args = parser.parse_args(argv)
    for name in args.names or list(BENCHMARKS):
        with tempfile.TemporaryDirectory(prefix=f"codebench-bench-{name}-") as tmp:
            # The synthetic projects' pseudonym keys are thrown away with them, never left among
            # the user's real keys (~/.local/share/codebench/keys).
            keys = Path(tmp) / "keys"
            previous = os.environ.get("CODEBENCH_KEY_DIR")
            os.environ["CODEBENCH_KEY_DIR"] = str(keys)
            try:
                {**BENCHMARKS, **ON_REQUEST}[name](args, Path(tmp))
            finally:
                if previous is None:
                    os.environ.pop("CODEBENCH_KEY_DIR", None)
                else:
                    os.environ["CODEBENCH_KEY_DIR"] = previous


if __name__ == "__main__":
    main()
