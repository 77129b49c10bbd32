"""The project view shows each document's format and import warnings, and opens its details."""

from __future__ import annotations

from codebench import services
from codebench.tui.app import CodebenchApp
from codebench.tui.screens.details import ImportDetailsDialog
from codebench.tui.screens.project import ProjectScreen
from tests.tui.helpers import settle, wait_until
from textual.widgets import DataTable, Static

# One cue's end time cannot be read: the cue is kept untimed and the import warns.
VTT = ("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Intervjuer>Hvordan var første uke?\n\n"
       "00:00:05.000 --> 00:00:0x.500\n<v Informant>Den var fin, takk.\n")


async def test_format_column_and_details_of_a_document_with_a_warning(sample_copy, tmp_path):
    project = sample_copy
    source = tmp_path / "Intervju Trine Bakke opptak.vtt"
    source.write_text(VTT, encoding="utf-8")
    report = services.import_files(project, [source], services.importing.ParticipantSpec(role="mentor"))
    doc = report.added[0]
    # Only the project lead may see original names: the tester sees pseudonyms.
    services.anonymisation.set_original_viewer(project, "prosjektleder", True)
    assert len(doc.import_warnings) == 1
    app = CodebenchApp(project, "tester")
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ProjectScreen)
        table = screen.query_one("#documents", DataTable)
        row = table.get_row_index(str(doc.id))
        column = [c.label.plain for c in table.columns.values()].index
        assert str(table.get_cell_at((row, column("fmt")))) == "vtt !1"
        # Too narrow for the format column: the warning count follows the name.
        await pilot.resize_terminal(80, 24)
        await wait_until(pilot, lambda: "fmt" not in [c.label.plain for c in table.columns.values()], "the narrow list")
        await settle(pilot)
        column = [c.label.plain for c in table.columns.values()].index
        row = table.get_row_index(str(doc.id))
        assert str(table.get_cell_at((row, column("document")))).endswith(" !1")
        table.move_cursor(row=row)
        await pilot.press("i")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ImportDetailsDialog)
        body = str(dialog.query_one("#details-body", Static).render())
        assert "format      vtt" in body and "warning" in body and "kept without times" in body
        # The list does not count turns; the details read the document and do.
        assert f"{doc.word_count} words, {doc.turn_count} turns" in body and doc.turn_count
        # The source file's name names the informant; it shows only where originals may.
        assert not app.original_allowed and "Trine" not in body
        assert "Trine" not in str(table.get_cell_at((row, column("document"))))
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ProjectScreen)
