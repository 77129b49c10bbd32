"""The count tables (migration 0005) that the project view and ``stats`` read must always equal a
fresh count of the codings, whatever wrote them: every kind of write the product does, driven in
a random order on SQLite and on PostgreSQL, and an old project opened by this codebench."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest
import yaml
from alembic import command

from codebench import services
from codebench.errors import ServiceError
from codebench.storage import db as storage_db

REPO = Path(__file__).resolve().parents[2]
CODEBOOK = REPO / "codebooks" / "hybridmodellen.yaml"
COUNTS = {"coding_counts_by_document": "document_id", "coding_counts_by_code": "code_id"}
CODES = ["tidspress", "god mentor", "tid og ressurser", "rekruttering", "motivasjon"]
CODERS = ["ingrid", "per", "kari"]
TURNS = ["Hvordan ble du mentor i prosjektet?", "Lederen spurte meg en dag, og jeg tenkte at det var en god idé å prøve.",
         "Hvor mye tid har du til det hver uke?", "Altfor lite tid, det er tidspress hele veien og mye annet arbeid.",
         "Hva gjør dere når det blir vanskelig?", "Vi snakker sammen, og noen ganger ringer jeg veilederen min."]


def assert_counted(project: services.Project) -> None:
    """Each count table holds exactly what grouping the codings gives, and the services say the same."""
    with project.engine.connect() as connection:
        for table, key in COUNTS.items():
            kept = sorted(connection.exec_driver_sql(f"SELECT {key}, coder_id, codings FROM {table}").all())
            fresh = sorted(connection.exec_driver_sql(
                f"SELECT {key}, coder_id, count(*) FROM codings GROUP BY {key}, coder_id").all())
            assert kept == fresh, table


def assert_services_count(project: services.Project) -> None:
    every = services.codings(project)
    counts = services.coding_counts(project)
    assert counts.by_document == dict(Counter(c.document_id for c in every))
    assert counts.by_code == dict(Counter(c.code_id for c in every))
    assert counts.by_coder == dict(Counter(c.coder for c in every))
    assert services.stats(project).codings == len(every)


def _transcript(folder: Path, name: str, turns: list[str]) -> Path:
    path = folder / f"{name}.txt"
    path.write_text("".join(f"{'IR'[i % 2]}: {turn}\n\n" for i, turn in enumerate(turns)), encoding="utf-8")
    return path


def _source(tmp_path: Path) -> tuple[services.Project, list[Path]]:
    """A coder's SQLite project with two transcripts and the codebook: what the team project merges."""
    files = [_transcript(tmp_path, "kari", TURNS), _transcript(tmp_path, "ola", TURNS[::-1])]
    source = services.init_project(tmp_path / "kilde")
    assert not services.import_files(source, files, services.ParticipantSpec(role="mentor", round=1)).errors
    services.load_codebook(source, CODEBOOK)
    return source, files


def _span(rng: random.Random, project: services.Project) -> tuple[int, int, int, str]:
    """A random span inside one turn's words: document id, start, end, the words."""
    doc = rng.choice(services.list_documents(project))
    text = services.get_document(project, doc.id)
    turn = rng.choice(text.turns)
    start = rng.randrange(turn.body_start, turn.end - 3)
    end = rng.randrange(start + 1, min(turn.end, start + 30) + 1)
    return doc.id, start, end, text.text[start:end]


def _random_coding(rng: random.Random, project: services.Project):
    every = services.codings(project)
    return rng.choice(every) if every else None


def _step(rng: random.Random, project: services.Project, source: services.Project, files: list[Path],
          tmp_path: Path, n: int) -> str:
    """One random write, as a user would make it; refused ones (someone else's coding...) count too."""
    kind = rng.choice(["code", "code", "code", "uncode", "recode", "take over", "memo", "undo", "redo", "merge codes",
                       "remove code", "import codings", "merge", "reimport", "adjudicate", "accept agreed"])
    coder = rng.choice(CODERS)
    coding = _random_coding(rng, project)
    if kind == "code":
        doc_id, start, end, _ = _span(rng, project)
        services.apply_code(project, doc_id, start, end, rng.choice(CODES + ["nytt tema"]), coder)
    elif kind == "uncode" and coding is not None:
        services.remove_coding(project, coding.uuid, coding.coder, with_memo=True)
    elif kind == "recode" and coding is not None:
        services.recode(project, coding.uuid, rng.choice(CODES), coding.coder)
    elif kind == "take over" and coding is not None:  # the coding becomes another coder's
        services.recode(project, coding.uuid, rng.choice(CODES), coder, take_over=True)
    elif kind == "memo" and coding is not None:
        services.set_coding_memo(project, coding.uuid, f"notat {n}", coding.coder)
    elif kind == "undo":
        services.undo(project, coder)
    elif kind == "redo":
        services.redo(project, coder)
    elif kind == "merge codes":
        services.apply_code(project, *_span(rng, project)[:3], f"tema {n}", coder)
        services.merge_codes(project, f"tema {n}", rng.choice(CODES), coder)
    elif kind == "remove code":
        services.create_code(project, f"ubrukt {n}", origin="open")
        services.remove_unused_code(project, f"ubrukt {n}", coder)
    elif kind == "import codings":
        items = []
        for _ in range(rng.randint(1, 4)):
            doc_id, start, end, words = _span(rng, project)
            name = services.get_document(project, doc_id).info.name
            items.append({"document": name, "start": start, "end": end, "code": rng.choice(CODES), "text": words})
        file = tmp_path / f"kodinger{n}.yaml"
        file.write_text(yaml.safe_dump({"coder": coder, "codings": items}, allow_unicode=True), encoding="utf-8")
        services.import_codings(project, file)
    elif kind == "merge":  # the coder changed their own project; the team merges it again
        theirs = services.codings(source)
        if theirs and rng.random() < 0.4:
            services.recode(source, rng.choice(theirs).uuid, rng.choice(CODES), "ola")
        if theirs and rng.random() < 0.4:
            services.remove_coding(source, rng.choice(theirs).uuid, "ola", with_memo=True)
        for _ in range(rng.randint(1, 3)):
            services.apply_code(source, *_span(rng, source)[:3], rng.choice(CODES), "ola")
        services.merge_projects(project, [source.root])
    elif kind == "reimport":  # a corrected file whose one turn says something else: codings on it go
        which = rng.randrange(len(files))
        turns = (TURNS if which == 0 else TURNS[::-1])[:]
        turns[rng.randrange(len(turns))] = f"Helt andre ord i runde {n} uten noe felles."
        (tmp_path / f"rettet{n}").mkdir()
        corrected = _transcript(tmp_path / f"rettet{n}", files[which].stem, turns)
        doc = next(d for d in services.list_documents(project) if d.name == files[which].stem)
        report = services.import_files(project, [corrected], replaces=doc.id, coder=coder, drop_memos=True)
        if report.errors:
            raise ServiceError(report.errors[0])
    elif kind == "adjudicate":
        a, b = rng.sample(CODERS, 2)
        regions = services.disagreements(project, a, b)
        if regions:
            region = rng.choice(regions)
            services.resolve_disagreement(project, a, b, region.key, rng.choice(["keep-a", "keep-b", "both", "neither"]),
                                          adjudicator=coder)
    elif kind == "accept agreed":
        a, b = rng.sample(CODERS, 2)
        services.accept_agreed(project, a, b, adjudicator=coder)
    return kind


def _drive(project: services.Project, tmp_path: Path, seed: int, steps: int) -> Counter[str]:
    rng = random.Random(seed)
    source, files = _source(tmp_path)
    services.merge_projects(project, [source.root])  # the team project starts from the coder's documents and codes
    done: Counter[str] = Counter()
    for n in range(steps):
        try:
            kind = _step(rng, project, source, files, tmp_path, n)
            done[kind] += 1
        except ServiceError:
            done["refused"] += 1
        assert_counted(project)
    assert_services_count(project)
    # The same codings read back from a REFI-QDA export into an empty project (a bulk insert of its own).
    exported = tmp_path / "prosjekt.qdpx"
    services.export_qdpx(project, exported, original=True, allow_unreviewed=True)
    copy = services.init_project(tmp_path / "kopi")
    services.import_qdpx(copy, exported)
    assert services.stats(copy).codings == services.stats(project).codings
    assert_counted(copy)
    copy.close()
    # No use case deletes a document; the database does, for a whole document, through its codings' cascade.
    doc = services.list_documents(project)[0]
    with project.engine.begin() as connection:
        connection.exec_driver_sql(f"DELETE FROM documents WHERE id = {doc.id}")
    assert_counted(project)
    assert_services_count(project)
    source.close()
    return done


@pytest.mark.parametrize("seed", [1, 2])
def test_random_writes_keep_the_counts_on_sqlite(project: services.Project, tmp_path: Path, seed: int) -> None:
    done = _drive(project, tmp_path, seed, 70)
    assert sum(done.values()) - done["refused"] >= 40  # most steps wrote something


def test_random_writes_keep_the_counts_on_postgresql(pg_project: services.Project, tmp_path: Path) -> None:
    done = _drive(pg_project, tmp_path, 3, 70)
    assert sum(done.values()) - done["refused"] >= 40


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_project_from_before_the_count_tables_opens_with_its_codings_counted(
        backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue("pg_url") if backend == "postgresql" else None
    made = services.init_project(tmp_path / "gammel", db_url=url)
    source, _ = _source(tmp_path)
    rng = random.Random(4)
    for n in range(30):
        services.apply_code(source, *_span(rng, source)[:3], CODES[n % len(CODES)], CODERS[n % len(CODERS)])
    services.merge_projects(made, [source.root])
    expected = Counter((c.document_id, c.code_id, c.coder) for c in services.codings(made))
    with made.engine.begin() as connection:  # as codebench before migration 0005 left it
        command.downgrade(storage_db._alembic_config(connection), "0004")
        assert connection.exec_driver_sql(f"SELECT version_num FROM {storage_db.VERSION_TABLE}").scalar_one() == "0004"
    made.close()
    opened = services.open_project(tmp_path / "gammel")
    assert storage_db.current_revision(opened.engine) == storage_db.SCHEMA_HEAD
    assert Counter((c.document_id, c.code_id, c.coder) for c in services.codings(opened)) == expected
    assert_counted(opened)
    assert_services_count(opened)
    services.apply_code(opened, *_span(rng, opened)[:3], "tidspress", "ingrid")  # the triggers count from here on
    assert_counted(opened)
    assert sum(services.coding_counts(opened).by_document.values()) == sum(expected.values()) + 1
    opened.close()
    source.close()
