"""The same project services against a real PostgreSQL server started on loopback by the test setup."""

from __future__ import annotations

from pathlib import Path

import pytest

from codebench import services
from tests.concurrency import concurrent_coders

pytestmark = pytest.mark.postgres

REPO = Path(__file__).resolve().parents[2]
HYBRID = REPO / "codebooks" / "hybridmodellen.yaml"


def test_full_loop_on_postgres(pg_project: services.Project, tmp_path: Path):
    project = pg_project
    assert project.engine.dialect.name == "postgresql"
    path = tmp_path / "v1.txt"
    path.write_text("I: Hvor mange brukere har du?\n\nR: Over hundre, så jeg må prioritere hardt.\n", encoding="utf-8")
    report = services.import_files(project, [path], services.ParticipantSpec(role="veileder", round=1))
    assert not report.errors and len(report.added) == 1
    assert services.import_files(project, [path]).duplicates
    services.load_codebook(project, HYBRID)
    text = services.get_document(project, "v1").text
    start = text.index("Over hundre")
    coding = services.apply_code(project, "v1", start, len(text.rstrip()), "kapasitet og portefølje", "ingrid")
    services.apply_code(project, "v1", start, start + 11, "over hundre", "per", create="in-vivo", category="veileder")
    quotes = services.quotes(project, category="veileder")
    assert sorted(q.text for q in quotes) == ["Over hundre", "Over hundre, så jeg må prioritere hardt."]
    assert services.stats(project).codings_by_coder == {"ingrid": 1, "per": 1}
    services.remove_coding(project, coding.uuid, "ingrid")
    services.undo(project, "ingrid")
    assert len(services.codings(project)) == 2
    assert "origin: in-vivo" in services.export_codebook(project, original=True)


def test_project_setting_points_commands_at_the_server(pg_url: str, tmp_path: Path):
    services.init_project(tmp_path / "team", db_url=pg_url).close()
    assert "postgresql+psycopg://" in (tmp_path / "team" / "codebench.yaml").read_text()
    reopened = services.open_project(tmp_path / "team")
    assert reopened.engine.dialect.name == "postgresql" and not (tmp_path / "team" / "codebench.sqlite").exists()
    reopened.close()


def test_two_projects_share_one_database(pg_url: str, tmp_path: Path):
    a = services.init_project(tmp_path / "a", db_url=pg_url)
    b = services.init_project(tmp_path / "b", db_url=pg_url)
    path = tmp_path / "x.txt"
    path.write_text("I: a\nR: b\n")
    services.import_files(a, [path])
    assert len(services.list_documents(a)) == 1 and services.list_documents(b) == []
    a.close()
    b.close()


@pytest.mark.slow
def test_concurrent_coders_lose_nothing_on_postgres(pg_project: services.Project, tmp_path: Path):
    path = tmp_path / "doc.txt"
    path.write_text("R: " + "ord " * 200, encoding="utf-8")
    services.import_files(pg_project, [path])
    services.load_codebook(pg_project, HYBRID)
    concurrent_coders(pg_project.root, ["a", "b", "c", "d"], 40)
    assert services.stats(pg_project).codings_by_coder == {"a": 40, "b": 40, "c": 40, "d": 40}


def test_the_same_code_edited_by_two_people_is_detected(pg_project: services.Project):
    services.load_codebook(pg_project, HYBRID)
    seen_by_ingrid = next(c for c in services.code_tree(pg_project) if c.name == "god mentor")
    seen_by_per = next(c for c in services.code_tree(pg_project) if c.name == "god mentor")
    services.update_code(pg_project, "god mentor", expected_version=seen_by_ingrid.version,
                         description="Ingrids definisjon", coder="ingrid")
    with pytest.raises(services.ServiceError, match="changed by someone else"):
        services.update_code(pg_project, "god mentor", expected_version=seen_by_per.version,
                             description="Pers definisjon", coder="per")
    (code,) = [c for c in services.code_tree(pg_project) if c.name == "god mentor"]
    assert code.description == "Ingrids definisjon" and code.version == seen_by_ingrid.version + 1


def test_simultaneous_code_edits_in_two_sessions_do_not_overwrite(pg_project: services.Project):
    """Two transactions that both read version 1 and both write: the second flush fails."""
    from sqlalchemy.orm.exc import StaleDataError

    services.load_codebook(pg_project, HYBRID)
    first, second = pg_project.sessions(), pg_project.sessions()
    try:
        from sqlalchemy import select

        from codebench.storage.orm import Code

        def row(session):  # the ORM row itself: the version counter lives there
            return session.scalar(select(Code).where(Code.project_id == pg_project.project_id, Code.name_key == "god mentor"))

        a, b = row(first), row(second)
        a.description = "fra A"
        first.commit()
        b.description = "fra B"
        with pytest.raises(StaleDataError):
            second.commit()
    finally:
        first.close()
        second.close()
    (code,) = [c for c in services.code_tree(pg_project) if c.name == "god mentor"]
    assert code.description == "fra A"


def test_merge_from_sqlite_coder_projects_into_a_server_team(pg_project: services.Project, coded_project: services.Project):
    coding = services.apply_code(coded_project, "kari", 39, 80, "tid og ressurser", "ingrid", memo="notat")
    services.apply_code(coded_project, "kari", 90, 120, "tidspress", "ingrid")
    (report,) = services.merge_projects(pg_project, [coded_project.root])
    assert (report.documents_added, report.codings_added) == (["kari"], 2)
    merged = {c.uuid: c for c in services.codings(pg_project)}
    assert merged[coding.uuid].memo == "notat"
    assert abs((merged[coding.uuid].created_at - coding.created_at.replace(tzinfo=merged[coding.uuid].created_at.tzinfo)).total_seconds()) < 1
    (again,) = services.merge_projects(pg_project, [coded_project.root])
    assert not again.changed and again.codings_unchanged == 2
