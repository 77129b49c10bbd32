"""Anonymise one transcript file without a project (``codebench anonymise-file``).

The same reader as ``codebench import`` and the same pipeline and defaults as a project's
detection, so a file anonymised on its own reads like an export of the same interview. Nothing
is stored: no database, no pseudonym key.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from codebench.anonymise.pipeline import DEFAULT_THRESHOLD, AnonymiseInputError, anonymise_text
from codebench.errors import ServiceError
from codebench.ingest import import_file


def anonymise_file(
    source: str | Path,
    *,
    style: str = "labels",
    threshold: float = DEFAULT_THRESHOLD,
    use_model: bool = True,
    known_names: Iterable[str] = (),
    mask_public: bool = False,
) -> str:
    """Read one transcript and return its anonymised text.

    Args:
        source: the transcript (any format ``codebench import`` reads).
        style: pseudonyms as bracketed role labels (``labels``) or realistic names.
        threshold: detections scored below this are left as they are.
        use_model: also run the NER model (otherwise rules, name lists and linking only).
        known_names: names to replace wherever they occur, found or not.
        mask_public: also mask countries, counties, large cities and national bodies (kept by default).

    Returns:
        The anonymised text, LF line ends.

    Raises:
        IngestError: the file cannot be read (the message names the file).
        ServiceError: the file has no text, or text the pipeline cannot take (e.g. one huge line).
    """
    document = import_file(source)
    if not document.text.strip():
        raise ServiceError(f"{source}: the file has no text to anonymise")
    try:
        return anonymise_text(document.text, style=style, threshold=threshold, use_model=use_model,
                              known_names=known_names, mask_public=mask_public)
    except AnonymiseInputError as exc:
        raise ServiceError(f"{source}: {exc}") from exc


def write_anonymised_file(text: str, target: str | Path) -> None:
    """Write ``anonymise_file``'s text to ``target``, readable by its owner only: nobody has
    reviewed it, so it may still hold names (as an unreviewed export does)."""
    from codebench.export.atomic import write_text_atomically

    write_text_atomically(Path(target), text, private=True)
