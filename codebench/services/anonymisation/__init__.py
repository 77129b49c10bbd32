"""Anonymisation use cases: detect, review decisions, who sees originals, anonymised renditions.

The original text is never changed.  Detection stores *mentions* (document, span, detector,
score, status) grouped into *entities* that carry the pseudonym; the anonymised rendition of a
document is computed from the accepted and manual mentions, with an offset map back to the
original.  Codings always live on the original, so they stay on the same words whatever is
accepted or rejected later.  The key (original ↔ pseudonym) is a separate owner-only file.

- ``access``      who may see original names; the pseudonym key
- ``detection``   finding identifiers and storing them as suggestions
- ``review``      entities and mentions, decisions, names and spans added by hand, applying
- ``renditions``  documents, quotes, passages, names and free text as readers get them
- ``disclosure``  what a front end may show a coder: original or rendition, and what to say
- ``keys``        moving and merging pseudonym keys, as the owner chooses
- ``state``       the one anonymisation state (not run / N open / reviewed) every output reports
- ``residual``    the words left unmasked that may still be names, ranked for the researcher
- ``positions``   character positions as a coder who may not see names reads and gives them
- ``scope``       whether the interviews speak of the same people (how far a lone name reaches)

The detectors' vocabulary (kinds, styles, the auto-accept threshold) is re-exported here so
that the front ends name it through the services. Like :mod:`codebench.services`, the package
imports each name on first use: the command line reads the vocabulary to build its options
without loading the detectors or the database.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codebench.services.lazy import lazy_exports

if TYPE_CHECKING:  # the names below, for type checkers and readers; at run time each is imported on first use
    from codebench.anonymise.detections import (
        DEFAULT_THRESHOLD, DIRECT_KINDS, KINDS, PEOPLE_SCOPES, PER, REVIEW_ONLY, STYLES,
    )
    from codebench.services.anonymisation.access import (
        may_see_original, original_viewers, pseudonym_key, require_reviewer, set_original_viewer, write_key,
    )
    from codebench.services.anonymisation.disclosure import Disclosure, disclosure, require_original_viewer
    from codebench.services.anonymisation.keys import KeyMerge, KeySummary, export_key, key_summary, merge_key
    from codebench.services.anonymisation.detection import DetectReport, Progress, detect, informant_roles
    from codebench.services.anonymisation.automatic import AutoReport, detect_and_accept
    from codebench.services.anonymisation.renditions import (
        ACTIVE, Rendition, anonymise_free_text, anonymise_free_texts, anonymise_quotes, anonymised_names, anonymised_passages,
        document_labels, export_text, masked_spans, rendition, renditions,
    )
    from codebench.services.anonymisation.state import (
        NO_DOCUMENTS, NOT_RUN, OPEN, REVIEWED, AnonymisationState, anonymisation_state, require_exportable,
    )
    from codebench.services.anonymisation.people import (
        AddedName, NameLine, add_names, looks_like_path, names_file_named, parse_kind, parse_typed_names,
        read_names_file,
    )
    from codebench.services.anonymisation.positions import Positions, positions_for, positions_in_view
    from codebench.services.anonymisation.scope import people_scope, set_people_scope
    from codebench.services.anonymisation.residual import (
        ResidualContext, ResidualView, is_ordinary_word_too, keep_residual, mark_residual_read, residual,
    )
    from codebench.services.anonymisation.review import (
        DECISIONS, STATUSES, DocumentAnonymisation, EntityView, MentionView, add_mention, add_name, apply,
        auto_accept, decide, document_status, entities, find_entity, join_entities, rename_entity, retype_entity,
        split_mentions,
    )

_EXPORTS = {
    "codebench.anonymise.detections": ("DEFAULT_THRESHOLD", "DIRECT_KINDS", "KINDS", "PEOPLE_SCOPES", "PER",
        "REVIEW_ONLY", "STYLES"),
    ".access": ("may_see_original", "original_viewers", "pseudonym_key", "require_reviewer", "set_original_viewer",
                "write_key"),
    ".disclosure": ("Disclosure", "disclosure", "require_original_viewer"),
    ".keys": ("KeyMerge", "KeySummary", "export_key", "key_summary", "merge_key"),
    ".detection": ("DetectReport", "Progress", "detect", "informant_roles"),
    ".automatic": ("AutoReport", "detect_and_accept"),
    ".renditions": ("ACTIVE", "Rendition", "anonymise_free_text", "anonymise_free_texts", "anonymise_quotes", "anonymised_names",
        "anonymised_passages", "document_labels", "export_text", "masked_spans", "rendition", "renditions"),
    ".state": ("NO_DOCUMENTS", "NOT_RUN", "OPEN", "REVIEWED", "AnonymisationState", "anonymisation_state",
        "require_exportable"),
    ".people": ("AddedName", "NameLine", "add_names", "looks_like_path", "names_file_named", "parse_kind",
                "parse_typed_names", "read_names_file"),
    ".positions": ("Positions", "positions_for", "positions_in_view"),
    ".scope": ("people_scope", "set_people_scope"),
    ".residual": ("ResidualContext", "ResidualView", "is_ordinary_word_too", "keep_residual", "mark_residual_read",
                  "residual"),
    ".review": ("DECISIONS", "STATUSES", "DocumentAnonymisation", "EntityView", "MentionView", "add_mention",
        "add_name", "apply", "auto_accept", "decide", "document_status", "entities", "find_entity",
        "join_entities", "rename_entity", "retype_entity", "split_mentions"),
}

__all__ = [
    "Disclosure", "disclosure", "require_original_viewer",
    "KeyMerge", "KeySummary", "export_key", "key_summary", "merge_key",
    "NO_DOCUMENTS", "NOT_RUN", "OPEN", "REVIEWED", "AnonymisationState", "anonymisation_state", "require_exportable",
    "ACTIVE", "DECISIONS", "DEFAULT_THRESHOLD", "DIRECT_KINDS", "KINDS", "PER", "REVIEW_ONLY", "STATUSES", "STYLES",
    "AutoReport", "DetectReport", "DocumentAnonymisation", "detect_and_accept", "EntityView", "MentionView", "Progress", "Rendition",
    "add_mention", "add_name", "anonymise_free_text", "anonymise_free_texts", "anonymise_quotes", "anonymised_names", "anonymised_passages",
    "apply", "auto_accept", "decide", "detect", "document_labels", "document_status", "entities", "export_text",
    "find_entity", "informant_roles", "may_see_original", "original_viewers", "pseudonym_key", "rename_entity",
    "require_reviewer", "join_entities", "retype_entity", "split_mentions",
    "masked_spans", "rendition", "renditions", "set_original_viewer", "write_key",
    "ResidualContext", "ResidualView", "is_ordinary_word_too", "keep_residual", "mark_residual_read", "residual",
    "Positions", "positions_for", "positions_in_view",
    "PEOPLE_SCOPES", "people_scope", "set_people_scope",
    "AddedName", "NameLine", "add_names", "looks_like_path", "names_file_named", "parse_kind", "parse_typed_names",
    "read_names_file",
]

lazy_exports(__name__, _EXPORTS, submodules=("access", "detection", "keys", "review", "state"))
