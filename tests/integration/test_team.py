"""Team work: merging coders' projects, agreement through the services, adjudication."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from codebench import services
from codebench.cli import main
from codebench.domain.agreement_reference import krippendorff_alpha
from codebench.domain.reliability import coverage_alpha

REPO = Path(__file__).resolve().parents[2]
HYBRID = REPO / "codebooks" / "hybridmodellen.yaml"


@pytest.fixture
def team_and_coders(coded_project: services.Project, tmp_path: Path):
    """A team project and two copies handed to coders, as a team really starts."""
    coded_project.close()
    for coder in ("ingrid", "per"):
        shutil.copytree(coded_project.root, tmp_path / coder)
    projects = {name: services.open_project(tmp_path / name) for name in ("ingrid", "per")}
    team = services.open_project(coded_project.root)
    yield team, projects
    for p in (team, *projects.values()):
        p.close()


def _key(q):
    return (q.document, q.code, q.coder, q.start, q.end)


def test_merge_gives_the_union_with_attribution_and_is_idempotent(team_and_coders, tmp_path):
    team, coders = team_and_coders
    a, b = coders["ingrid"], coders["per"]
    services.apply_code(a, "kari", 39, 80, "tid og ressurser", "ingrid", memo="viktig")
    services.apply_code(a, "kari", 100, 140, "tidspress", "ingrid")  # an open code
    services.add_memo(a, "Tidspress går igjen", code="tidspress", author="ingrid")
    services.apply_code(b, "kari", 39, 80, "tid og ressurser", "per")
    services.apply_code(b, "kari", 100, 140, "tidspresset", "per")
    expected = sorted(_key(q) for p in (a, b) for q in services.quotes(p))
    reports = services.merge_projects(team, [a.root, b.root])
    assert sorted(_key(q) for q in services.quotes(team)) == expected
    assert [r.codings_added for r in reports] == [2, 2]
    assert ("tidspresset", "tidspress", pytest.approx(90, abs=5)) in [(x, y, s) for x, y, s in reports[1].suggestions]
    assert {c.name: c.origin for c in services.code_tree(team)}["tidspress"] == "open"
    assert [m["text"] for m in services.memos(team)] == ["Tidspress går igjen"]
    ids = {q.coding_uuid for p in (a, b) for q in services.quotes(p)}
    assert {q.coding_uuid for q in services.quotes(team)} == ids  # the coders' ids are kept
    before = services.audit_log(team)
    again = services.merge_projects(team, [a.root, b.root])
    assert not any(r.changed for r in again)
    assert [r.codings_unchanged for r in again] == [2, 2]
    assert sorted(_key(q) for q in services.quotes(team)) == expected
    assert len(services.audit_log(team)) == len(before)


def test_changes_and_removals_follow_on_the_next_merge(team_and_coders):
    team, coders = team_and_coders
    a = coders["ingrid"]
    keep = services.apply_code(a, "kari", 39, 80, "tid og ressurser", "ingrid")
    gone = services.apply_code(a, "kari", 100, 140, "sosial inkludering", "ingrid")
    services.merge_projects(team, [a.root])
    services.recode(a, keep.uuid, "sosial inkludering", "ingrid")
    services.remove_coding(a, gone.uuid, "ingrid")
    (report,) = services.merge_projects(team, [a.root])
    assert (report.codings_updated, report.codings_removed, report.codings_added) == (1, 1, 0)
    assert [(q.code, q.start) for q in services.quotes(team)] == [("sosial inkludering", 39)]


def test_a_document_whose_text_differs_is_refused(coded_project, tmp_path):
    other = services.init_project(tmp_path / "other")
    path = tmp_path / "kari.txt"
    path.write_text("I: Hvordan ble du mentor?\n\nR: Helt annen tekst her.\n", encoding="utf-8")
    services.import_files(other, [path])
    services.load_codebook(other, HYBRID)
    services.apply_code(other, "kari", 30, 40, "tid og ressurser", "per")
    before = services.stats(coded_project)
    with pytest.raises(services.ServiceError, match=r"nothing merged: document \d+ has a different text") as refused:
        services.merge_projects(coded_project, [other.root])
    assert "kari" not in str(refused.value)  # a file name may name the informant: never in a message
    assert services.stats(coded_project) == before
    other.close()


def test_new_documents_come_along_with_their_participant(coded_project, tmp_path):
    other = services.init_project(tmp_path / "other")
    path = tmp_path / "ny.txt"
    path.write_text("I: Spørsmål\nR: Et nytt svar\n", encoding="utf-8")
    services.import_files(other, [path], services.ParticipantSpec(pid="A09", role="arbeidsgiver", round=2))
    services.load_codebook(other, HYBRID)
    text = services.get_document(other, "ny").text
    services.apply_code(other, "ny", text.index("Et nytt"), text.index("svar") + 4, "vinn-vinn", "per")
    (report,) = services.merge_projects(coded_project, [other.root])
    assert report.documents_added == ["ny"]
    (quote,) = services.quotes(coded_project, documents=["ny"])
    assert (quote.participant, quote.role, quote.round, quote.text) == ("A09", "arbeidsgiver", 2, "Et nytt svar")
    other.close()


def test_agreement_through_the_project_matches_the_reference_fixture(project, tmp_path):
    path = tmp_path / "doc.txt"
    path.write_text("abcdefghijklmnopqrst", encoding="utf-8")  # L = 20
    services.import_files(project, [path])
    services.create_code(project, "X")
    services.apply_code(project, "doc", 2, 10, "X", "A")
    services.apply_code(project, "doc", 5, 15, "X", "B")
    result = services.agreement(project, ["A", "B"])
    row = result.rows[0]
    assert row.percent_agreement == pytest.approx(0.6)
    assert row.cohen_kappa == pytest.approx(0.2)
    assert row.krippendorff_alpha == pytest.approx(0.212121, abs=5e-6)
    assert row.u_alpha_binary == pytest.approx(0.285859, abs=5e-6)
    assert result.documents == ["doc"]


def test_coverage_alpha_equals_the_general_alpha_for_three_coders():
    rng = random.Random(3)
    for _ in range(30):
        length = rng.randint(5, 40)
        spans = []
        for _ in range(3):
            coder = []
            for _ in range(rng.randint(0, 3)):
                start = rng.randrange(length)
                coder.append((start, rng.randint(start + 1, length)))
            spans.append(coder)
        data = [[1 if any(s <= i < e for s, e in coder) else 0 for i in range(length)] for coder in spans]
        expected = krippendorff_alpha(data, "nominal")
        got = coverage_alpha(length, spans)
        assert (got is None and expected is None) or got == pytest.approx(expected, abs=1e-9)


def test_agreement_cli_formats(project, tmp_path):
    path = tmp_path / "doc.txt"
    path.write_text("R: " + "ord " * 100, encoding="utf-8")
    services.import_files(project, [path])
    services.load_codebook(project, HYBRID)
    for coder, (s, e) in (("ingrid", (3, 60)), ("per", (5, 60))):
        services.apply_code(project, "doc", s, e, "god mentor", coder)
    services.apply_code(project, "doc", 100, 150, "tidspress", "per")
    runner = CliRunner()
    table = runner.invoke(main, ["agreement", str(project.root), "--coders", "ingrid,per"])
    assert table.exit_code == 0, table.output
    assert "god mentor" in table.output and "(all codes)" in table.output and "1 document(s) compared" in table.output
    md = runner.invoke(main, ["agreement", str(project.root), "--coders", "ingrid,per", "--format", "md"]).output
    assert md.startswith("| code | n ingrid | n per |")
    csv_text = runner.invoke(main, ["agreement", str(project.root), "--coders", "ingrid,per", "--format", "csv"]).output
    assert csv_text.splitlines()[0].startswith("code,segments_ingrid,segments_per,percent_agreement")
    bad = runner.invoke(main, ["agreement", str(project.root), "--coders", "ingrid,nobody"])
    assert bad.exit_code == 1 and "no codings by nobody" in bad.output


def test_near_full_agreement_is_never_printed_as_100(project, tmp_path):
    """Found by a tester: a code only one coder used, on a few characters of a long text, agrees
    on every character neither coded: 99.96 % was printed as 100.0."""
    path = tmp_path / "doc.txt"
    path.write_text("R: " + "ord " * 5000, encoding="utf-8")
    services.import_files(project, [path])
    services.load_codebook(project, HYBRID)
    services.apply_code(project, "doc", 3, 400, "god mentor", "ingrid")
    services.apply_code(project, "doc", 3, 400, "god mentor", "per")
    services.apply_code(project, "doc", 500, 507, "tidspress", "per")  # 7 of 20,003 characters
    table = CliRunner().invoke(main, ["agreement", str(project.root), "--coders", "ingrid,per"]).output
    row = next(line for line in table.splitlines() if line.startswith("tidspress"))
    assert "99.96" in row.split() and "100.0" not in row.split(), row
    full = next(line for line in table.splitlines() if line.startswith("god mentor"))
    assert "100.0" in full.split(), full


def test_adjudication_keeps_originals_and_records_consensus(project, tmp_path):
    path = tmp_path / "doc.txt"
    path.write_text("R: " + " ".join(f"ord{i}" for i in range(80)), encoding="utf-8")
    services.import_files(project, [path])
    services.load_codebook(project, HYBRID)
    services.apply_code(project, "doc", 3, 50, "god mentor", "ingrid")
    services.apply_code(project, "doc", 3, 50, "god mentor", "per")          # agreed
    services.apply_code(project, "doc", 100, 160, "tidspress", "ingrid")
    services.apply_code(project, "doc", 110, 170, "tid og ressurser", "per")  # disagreement
    services.apply_code(project, "doc", 200, 230, "vinn-vinn", "per")        # only per
    open_ = services.disagreements(project, "ingrid", "per")
    assert [(r.start, r.end, r.codes_of("ingrid"), r.codes_of("per")) for r in open_] == [
        (100, 170, ["tidspress"], ["tid og ressurser"]), (200, 230, [], ["vinn-vinn"])]
    services.resolve_disagreement(project, "ingrid", "per", open_[0].key, "keep-b", adjudicator="kari")
    services.resolve_disagreement(project, "ingrid", "per", open_[1].key, "neither", adjudicator="kari")
    assert services.disagreements(project, "ingrid", "per") == []
    assert services.accept_agreed(project, "ingrid", "per") == 1
    consensus = sorted((q.code, q.start, q.end) for q in services.quotes(project, coders=["consensus"]))
    assert consensus == [("god mentor", 3, 50), ("tid og ressurser", 110, 170)]
    assert len(services.quotes(project, coders=["ingrid", "per"])) == 5  # originals untouched
    with pytest.raises(services.ServiceError, match="no open disagreement"):
        services.resolve_disagreement(project, "ingrid", "per", open_[0].key, "keep-a")


def test_an_adjudicators_decision_is_undone_by_codebench_undo_and_the_region_reopens(project, tmp_path):
    path = tmp_path / "doc.txt"
    path.write_text("R: " + " ".join(f"ord{i}" for i in range(80)), encoding="utf-8")
    services.import_files(project, [path])
    services.load_codebook(project, HYBRID)
    services.apply_code(project, "doc", 100, 160, "tidspress", "ingrid")
    services.apply_code(project, "doc", 110, 170, "tid og ressurser", "per")
    root, runner = str(project.root), CliRunner()
    key = f"{_doc_id(project)}:100-170"
    resolved = runner.invoke(main, ["resolve", root, key, "keep-b", "--coders", "ingrid,per",
                                    "--adjudicator", "kari"])
    assert resolved.exit_code == 0, resolved.output
    assert services.disagreements(project, "ingrid", "per") == []
    label = services.anonymisation.document_labels(project)[_doc_id(project)]
    logged = runner.invoke(main, ["log", root, "--limit", "1"]).output
    assert "adjudicate" in logged and f"keep B (per) of ingrid/per in {label} [100–170], 1 consensus coding" in logged

    undone = runner.invoke(main, ["undo", root, "--coder", "kari"])
    assert undone.exit_code == 0 and undone.output.startswith(f"undid keep B (per) of ingrid/per in {label} [100–170]")
    assert services.quotes(project, coders=["consensus"]) == []
    assert [r.key for r in services.disagreements(project, "ingrid", "per")] == [key]
    assert len(services.quotes(project, coders=["ingrid", "per"])) == 2  # the coders' own codings untouched

    assert runner.invoke(main, ["redo", root, "--coder", "kari"]).exit_code == 0
    assert [(q.code, q.start, q.end) for q in services.quotes(project, coders=["consensus"])] == [
        ("tid og ressurser", 110, 170)]
    assert services.disagreements(project, "ingrid", "per") == []

    # Copying the agreed codings (g in the workbench) is undone the same way.
    services.apply_code(project, "doc", 3, 50, "god mentor", "ingrid")
    services.apply_code(project, "doc", 3, 50, "god mentor", "per")
    assert runner.invoke(main, ["resolve", root, "--agreed", "--coders", "ingrid,per",
                                "--adjudicator", "kari"]).exit_code == 0
    assert ("god mentor", 3, 50) in [(q.code, q.start, q.end) for q in services.quotes(project, coders=["consensus"])]
    undone = runner.invoke(main, ["undo", root, "--coder", "kari"])
    assert undone.output.startswith("undid copy of 1 agreed coding of ingrid/per to consensus"), undone.output
    assert [(q.code, q.start, q.end) for q in services.quotes(project, coders=["consensus"])] == [
        ("tid og ressurser", 110, 170)]


def _doc_id(project) -> int:
    return services.get_document(project, "doc").info.id


@pytest.fixture(scope="module")
def gold_team(tmp_path_factory):
    """The sample project split as a team would: a team copy and one copy per gold coder."""
    from codebench.services.sample import GOLD_CODINGS, build_demo_project

    root = tmp_path_factory.mktemp("gold")
    build_demo_project(root / "team", with_codings=False).close()
    for coder in ("ingrid", "per"):
        shutil.copytree(root / "team", root / coder)
        opened = services.open_project(root / coder)
        services.import_codings(opened, GOLD_CODINGS / f"{coder}.yaml")
        opened.close()
    return root


@pytest.mark.slow
def test_merging_the_gold_codings_gives_exactly_the_union(gold_team):
    coders = {c: services.open_project(gold_team / c) for c in ("ingrid", "per")}
    team = services.open_project(gold_team / "team")
    union = sorted(_key(q) for p in coders.values() for q in services.quotes(p))
    assert len(union) == 152 + 136
    reports = services.merge_projects(team, [gold_team / "ingrid", gold_team / "per"])
    assert [r.codings_added for r in reports] == [152, 136]
    merged = sorted(_key(q) for q in services.quotes(team))
    assert merged == union
    assert services.stats(team).codings_by_coder == {"ingrid": 152, "per": 136}
    pairs = {(a, b) for a, b, _ in reports[1].suggestions}
    assert ("tillitt over tid", "tillit tar tid") in pairs
    again = services.merge_projects(team, [gold_team / "ingrid", gold_team / "per"])
    assert not any(r.changed for r in again) and sorted(_key(q) for q in services.quotes(team)) == merged
    for p in (team, *coders.values()):
        p.close()


@pytest.mark.slow
def test_gold_agreement_matches_a_character_by_character_count(gold_team):
    """The sweep-based figures equal a naive count over every character, on real gold codings."""
    project = services.open_project(gold_team / "team")
    # The merge test may have run on another worker: merging again changes nothing if it did.
    services.merge_projects(project, [gold_team / "ingrid", gold_team / "per"])
    result = services.agreement(project, ["ingrid", "per"], codes=["god mentor", "vinn-vinn", "jobbmatch"])
    rows = {r.code: r for r in result.rows}
    docs = {d.name: d for d in services.list_documents(project)}
    for code in ("god mentor", "vinn-vinn", "jobbmatch"):
        counts = [0, 0, 0, 0]  # both, a only, b only, neither
        for name in result.documents:
            length = docs[name].length
            marks = {c: bytearray(length) for c in ("ingrid", "per")}
            for q in services.quotes(project, code=code, documents=[name]):
                for i in range(q.start, q.end):
                    marks[q.coder][i] = 1
            for a, b in zip(marks["ingrid"], marks["per"]):
                counts[0 if a and b else 1 if a else 2 if b else 3] += 1
        both, a_only, b_only, neither = counts
        total = sum(counts)
        pa, pb = (both + a_only) / total, (both + b_only) / total
        po = (both + neither) / total
        pe = pa * pb + (1 - pa) * (1 - pb)
        assert rows[code].percent_agreement == pytest.approx(po, abs=1e-12)
        assert rows[code].cohen_kappa == pytest.approx((po - pe) / (1 - pe), abs=1e-9)
    project.close()


def test_unitized_alpha_over_all_codes_is_reported_or_explained(project, tmp_path):
    path = tmp_path / "doc.txt"
    path.write_text("x" * 100, encoding="utf-8")
    services.import_files(project, [path])
    for code in ("A", "B"):
        services.create_code(project, code)
    for coder, spans in (("k1", [(0, 30, "A"), (40, 60, "B")]), ("k2", [(0, 30, "A"), (40, 60, "A")])):
        for start, end, code in spans:
            services.apply_code(project, "doc", start, end, code, coder)
    result = services.agreement(project, ["k1", "k2"])
    from codebench.domain.agreement import unitized_alpha

    expected = unitized_alpha(100, [[(0, 30, "A"), (40, 60, "B")], [(0, 30, "A"), (40, 60, "A")]])
    assert result.unitized.u_alpha == pytest.approx(expected.u_alpha) and result.unitized.cu_alpha == pytest.approx(expected.cu_alpha)
    services.apply_code(project, "doc", 10, 20, "B", "k2")  # k2 double-codes
    result = services.agreement(project, ["k1", "k2"])
    assert result.unitized.u_alpha is None and result.unitized.overlapping_coders == ("k2",)
    out = CliRunner().invoke(main, ["agreement", str(project.root), "--coders", "k1,k2"]).output
    assert "not defined, k2 coded overlapping segments" in out


def test_disagreements_compare_the_documents_agreement_compares(coded_project, tmp_path):
    """A document only one coder has coded is no disagreement yet (the other may not have reached
    it): `disagreements` leaves it out as `agreement` does, and lists it when it is named."""
    path = tmp_path / "ola.txt"
    path.write_text("I: Hva gjør du?\n\nR: Jeg er mentor for en ny kollega.\n", encoding="utf-8")
    services.import_files(coded_project, [path], services.ParticipantSpec(role="mentor", round=1))
    services.apply_code(coded_project, "kari", 39, 80, "tid og ressurser", "ingrid")
    services.apply_code(coded_project, "kari", 39, 80, "sosial inkludering", "per")
    services.apply_code(coded_project, "ola", 19, 40, "tid og ressurser", "ingrid")  # per has not got there
    compared = services.agreement(coded_project, ["ingrid", "per"]).documents
    listed = services.disagreements(coded_project, "ingrid", "per")
    assert [r.document for r in listed] == ["kari"] and compared == ["kari"]
    named = services.disagreements(coded_project, "ingrid", "per", documents=["ola"])
    assert [r.document for r in named] == ["ola"]
