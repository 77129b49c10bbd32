"""Code names as a front end shows them: the name stays the key, what is shown may be its rendition.

An in-vivo code is named with the informant's own words ("jeg heter Kristine Holm"). Commands,
files and the workbench address codes by their names; only what is shown to a reader goes
through :func:`shown_code_names`. Kept apart from :mod:`codebench.services.coding` so that a
short read-only command (``codebench codes``) loads no database layer for it.
"""

from __future__ import annotations

from typing import Sequence

from codebench.services.project import Project


def anonymised_code_names(project: Project, names: Sequence[str] | None = None) -> dict[str, str]:
    """Code names as an anonymised view shows them: ``{name: shown}`` for the names that change.

    An in-vivo code is named with the informant's own words ("jeg heter Kristine Holm"), and a
    researcher may name a code after someone too; both go through the anonymiser as the exports'
    code names do. The name itself stays the key (commands and files address codes by it); only
    what is shown changes. The anonymisation (its decisions, the texts they stand in) is read only
    when some of ``names`` are in-vivo codes or the project has replaced names at all: otherwise
    nothing can change and two small queries answer.

    Args:
        project: the project.
        names: the code names to show (None: every code and category).
    """
    with project.reading() as store:
        rows = store.codebook.rows()
        wanted = list(dict.fromkeys(r.name for r in rows)) if names is None else list(dict.fromkeys(names))
        in_vivo = {r.name for r in rows if r.origin == "in-vivo"}
        counts = store.anonymisation.status_counts() if wanted else {}
    replaced = counts.get("accepted", 0) + counts.get("manual", 0)
    if not wanted or not (replaced or in_vivo.intersection(wanted)):
        return {}
    return {name: shown for name, shown in zip(wanted, _anonymise(project, wanted)) if shown != name}


def _anonymise(project: Project, names: list[str]) -> list[str]:
    """``names`` as :func:`~codebench.services.anonymisation.renditions.anonymise_free_texts` renders
    researchers' text, on the read path: the key's id is read, not made (that took a writing
    transaction, and with it the whole database layer, into ``codebench codes``)."""
    # Imported here: the anonymisation pipeline is not needed (nor loaded) when nothing can change.
    from codebench.anonymise.key import load_key
    from codebench.anonymise.linking import normalise
    from codebench.anonymise.pipeline import replace_forms
    from codebench.errors import KeyFileError, ServiceError
    from codebench.services.anonymisation.renditions import _Replacer

    replacer = _Replacer(project)
    with project.reading() as store:
        key_id = store.anonymisation.settings().get("key_id")
    try:
        known = load_key(key_id).known_names if key_id else []  # no key yet: no names added by hand
    except KeyFileError as exc:
        raise ServiceError(str(exc)) from None
    for entry in known:
        replacer.form_to_pseudonym.setdefault(normalise(entry["name"]), "[…]")
    return [replace_forms(name, replacer.form_to_pseudonym) for name in names]


def shown_code_names(project: Project, names: Sequence[str] | None = None, *, anonymised: bool) -> dict[str, str]:
    """What a front end shows for each code name: ``{name: shown}`` for the names shown otherwise.

    The one rule for the CLI and the workbench: in the original view (a coder allowed to see
    originals who chose it) names are shown as written, so the map is empty; in the anonymised
    view they are shown as :func:`anonymised_code_names` renders them. Look names up with
    ``shown.get(name, name)``.
    """
    return anonymised_code_names(project, names) if anonymised else {}


def code_names_shown_to(project: Project, coder: str | None, names: Sequence[str]) -> dict[str, str]:
    """:func:`shown_code_names` for what ``coder`` sees without asking for originals: names as
    written only for a coder the project lets see originals (see services.anonymisation.disclosure)."""
    if not names:
        return {}
    from codebench.services.anonymisation import disclosure

    original = disclosure(project, coder).original
    return shown_code_names(project, sorted(set(names)), anonymised=not original)
