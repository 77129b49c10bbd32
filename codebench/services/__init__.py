"""Use cases shared by the CLI and the workbench, one module per use case.

Every public function is one user action in one transaction: it either completes or leaves the
project as it was. Functions take a :class:`Project` handle and return plain records
(``codebench.domain.records``), never ORM rows. The names below are re-exported explicitly so
that ``services.apply_code`` leads a reader (and an IDE) straight to its module:

- ``project``        creating and opening projects
- ``importing``      transcripts and surveys in
- ``documents``      listing and reading documents
- ``editing``        correcting a transcript: edits of turns, codings that follow, the revision history
- ``media``          a transcript's recording: linking it, and playing a turn through an external player
- ``codebook``       the code tree: load, export, create, change, move, promote, merge
- ``coding``         apply, remove, recode, coding memos, import codings, the transcript's codings
- ``code_names``     code names as a reader is shown them (anonymised unless the original is asked for)
- ``history``        undo / redo and the audit log
- ``memos``          memos on codes, documents and the project
- ``retrieval``      quotes, statistics, participants
- ``search``         text search across the project, coding the hits, saved searches
- ``team``           merging coders' projects, agreement, disagreements, adjudication
- ``anonymisation``  detection, review decisions, who sees originals, anonymised renditions
- ``exports``        matrices, chapter quotes, codebook documents
- ``interchange``    REFI-QDA (QDPX/QDC) import and export

Each name is imported when it is first read (:mod:`codebench.services.lazy`): the command line
names every use case while it builds its commands, and a command then loads only the modules of
the use cases it runs (``codebench --help`` none, so neither SQLAlchemy nor Alembic).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codebench.services.lazy import lazy_exports

if TYPE_CHECKING:  # the names below, for type checkers and readers; at run time each is imported on first use
    from codebench.domain.memos import MemoFilter
    from codebench.domain.quote_editing import without_time_marks
    from codebench.domain.records import DocumentInfo
    from codebench.errors import ServiceError
    from codebench.services import anonymisation
    from codebench.services.anonymisation import Rendition, anonymise_free_text, anonymise_quotes, rendition
    from codebench.services.codebook import (
        CodebookReport, code_tree, codebook_file_warnings, create_code, export_codebook, load_codebook, merge_codes, move_code, promote_code,
        read_codebook_file, remove_unused_code, unused_open_code, update_code,
    )
    from codebench.services.coding import (
        CodedSpanView, apply_code, codings, document_codings, document_version, effective_colours, import_codings, in_vivo_code_name, recent_codes, recode,
        remove_coding,
        set_coding_memo,
    )
    from codebench.services.code_names import code_names_shown_to, shown_code_names
    from codebench.services.documents import (
        DocumentText, document_id_for, document_info, get_document, import_details, list_documents, turn_span,
    )
    from codebench.services.editing import (
        CheckItem, EditReport, Unchanged, check_coding, document_revisions, edit_span, edit_turn, flagged_codings,
        rename_speaker, turn_text,
    )
    from codebench.services.media import Linked, link_media, media_of
    from codebench.services.exports import (
        ExportResult, export_chapter_quotes, export_codebook_document, export_matrix, export_memos,
    )
    from codebench.services.history import (
        CoderHistory, HistoryItem, OperationPlace, audit_log, coder_history, describe_operation, history_item, redo, undo,
    )
    from codebench.services.importing import ImportReport, ParticipantSpec, import_files, import_survey
    from codebench.services.interchange import ExportSummary, InterchangeReport, export_qdc, export_qdpx, import_qdc, import_qdpx
    from codebench.services.memos import add_memo, edit_memo, find_memo_document, memo_entries, memos
    from codebench.services.project import CONFIG_NAME, DB_NAME, Project, init_project, open_project
    from codebench.services.retrieval import CodingCounts, ProjectStats, coding_counts, participants, quotes, stats
    from codebench.domain.search import WIDEN_UNITS, MatchOptions, QueryFilters, SearchHit
    from codebench.services.search import (
        CodedHits, SavedSearch, SearchResult, code_hits, forget_search, run_saved_search, save_search, saved_searches,
        search,
    )
    from codebench.services.team import (
        AgreementResult, accept_agreed, agreement, disagreements, merge_projects, resolve_disagreement,
    )

_EXPORTS = {
    "codebench.domain.memos": ("MemoFilter",),
    "codebench.domain.quote_editing": ("without_time_marks",),
    "codebench.domain.records": ("DocumentInfo",),
    "codebench.errors": ("ServiceError",),
    ".anonymisation": ("Rendition", "anonymise_free_text", "anonymise_quotes", "rendition"),
    ".codebook": ("CodebookReport", "code_tree", "codebook_file_warnings", "create_code", "export_codebook", "load_codebook", "merge_codes",
        "move_code", "promote_code", "read_codebook_file", "remove_unused_code", "unused_open_code", "update_code"),
    ".code_names": ("code_names_shown_to", "shown_code_names"),
    ".coding": ("CodedSpanView", "apply_code", "codings", "document_codings", "document_version", "effective_colours", "import_codings",
        "in_vivo_code_name", "recent_codes", "recode", "remove_coding", "set_coding_memo"),
    ".documents": ("DocumentText", "document_id_for", "document_info", "get_document", "import_details", "list_documents",
        "turn_span"),
    ".editing": ("CheckItem", "EditReport", "Unchanged", "check_coding", "document_revisions", "edit_span", "edit_turn",
        "flagged_codings", "rename_speaker", "turn_text"),
    ".media": ("Linked", "link_media", "media_of"),
    ".exports": ("ExportResult", "export_chapter_quotes", "export_codebook_document", "export_matrix", "export_memos"),
    ".history": ("CoderHistory", "HistoryItem", "OperationPlace", "audit_log", "coder_history", "describe_operation",
                 "history_item", "redo", "undo"),
    ".importing": ("ImportReport", "ParticipantSpec", "import_files", "import_survey"),
    ".interchange": ("ExportSummary", "InterchangeReport", "export_qdc", "export_qdpx", "import_qdc",
        "import_qdpx"),
    ".memos": ("add_memo", "edit_memo", "find_memo_document", "memo_entries", "memos"),
    ".project": ("CONFIG_NAME", "DB_NAME", "Project", "init_project", "open_project"),
    ".retrieval": ("CodingCounts", "ProjectStats", "coding_counts", "participants", "quotes", "stats"),
    # The query vocabulary comes from the domain: the command line builds its options from it
    # without loading the database layer.
    "codebench.domain.search": ("WIDEN_UNITS", "MatchOptions", "QueryFilters", "SearchHit"),
    ".search": ("CodedHits", "SavedSearch", "SearchResult", "code_hits", "forget_search", "run_saved_search",
        "save_search", "saved_searches", "search"),
    ".team": ("AgreementResult", "accept_agreed", "agreement", "disagreements", "merge_projects",
        "resolve_disagreement"),
}

__all__ = [
    "AgreementResult", "CONFIG_NAME", "CodebookReport", "CodedSpanView", "CodingCounts", "coding_counts", "DB_NAME", "DocumentInfo", "DocumentText", "ExportResult",
    "ExportSummary", "ImportReport", "InterchangeReport", "MemoFilter", "ParticipantSpec", "Project", "ProjectStats", "Rendition",
    "ServiceError", "accept_agreed", "add_memo", "agreement", "anonymisation", "anonymise_free_text",
    "anonymise_quotes", "apply_code", "audit_log", "code_tree", "codings", "create_code", "disagreements",
    "describe_operation", "document_codings", "document_version", "edit_memo", "effective_colours", "export_chapter_quotes", "export_codebook",
    "export_codebook_document", "export_matrix", "export_memos", "find_memo_document", "memo_entries", "export_qdc", "export_qdpx", "document_id_for", "get_document", "import_codings", "in_vivo_code_name", "import_files", "import_qdc",
    "import_details", "document_info", "import_qdpx", "import_survey", "init_project", "list_documents", "load_codebook", "codebook_file_warnings", "memos", "merge_codes",
    "merge_projects", "move_code", "open_project", "participants", "promote_code", "quotes", "read_codebook_file",
    "recent_codes", "recode", "redo", "remove_coding", "rendition", "resolve_disagreement", "set_coding_memo", "code_names_shown_to", "shown_code_names", "stats", "undo",
    "update_code", "without_time_marks", "remove_unused_code", "unused_open_code",
    "CheckItem", "EditReport", "Unchanged", "check_coding", "document_revisions", "edit_span", "edit_turn",
    "flagged_codings", "rename_speaker", "turn_text", "Linked", "link_media", "media_of", "turn_span",
    # search
    "WIDEN_UNITS", "CodedHits", "MatchOptions", "QueryFilters", "SavedSearch", "SearchHit", "SearchResult", "code_hits",
    "forget_search", "run_saved_search", "save_search", "saved_searches", "search",
    # history as the workbench shows it
    "CoderHistory", "HistoryItem", "OperationPlace", "coder_history", "history_item",
]

#: Modules read as ``services.<module>`` (``memos`` is the function of that name, as ever).
_SUBMODULES = ("anonymisation", "codebook", "coding", "documents", "editing", "exports", "media", "playback", "file_anonymisation", "history", "importing",
               "interchange", "project", "retrieval", "sample", "team")

lazy_exports(__name__, _EXPORTS, submodules=_SUBMODULES)
