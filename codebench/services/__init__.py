"""Use cases shared by the CLI and the workbench.

One module per concern; every public name is re-exported here so callers write
``services.apply_code(...)`` without knowing where it lives:

- ``core``          projects, importing, codebook, coding, retrieval, undo, team (historical home;
                    to be split further along these lines)
- ``anonymisation`` detection, review decisions, pseudonym key, anonymised renditions
- ``exports``       matrices, chapter quotes, codebook documents, anonymised text
- ``interchange``   REFI-QDA (QDPX/QDC) import and export
"""

from __future__ import annotations

from codebench.services.core import *  # noqa: F401,F403
from codebench.services.core import Project  # noqa: F401  (explicit for type checkers)
from codebench.services.anonymisation import Rendition, anonymise_free_text, anonymise_quotes, rendition  # noqa: F401
from codebench.services import anonymisation  # noqa: F401,E402  (services.anonymisation.detect, …)
from codebench.services.exports import ExportResult, export_chapter_quotes, export_codebook_document, export_matrix  # noqa: F401
from codebench.services.interchange import ExportSummary, InterchangeReport, export_qdc, export_qdpx, import_qdc, import_qdpx  # noqa: F401
