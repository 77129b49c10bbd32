"""The project's one anonymisation state, as every export, the CLI and the workbench report it.

A file or message may say "anonymised" only when it is: detection has searched every document
as its text now stands, no suggestion is left open, and the researcher has read the residual
list (the words left unmasked that may still be names) for every document. Anything short of
that is named for what it is, with the numbers, so a researcher never takes a half-reviewed
export for a safe one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from codebench.errors import ServiceError
from codebench.services.project import Project

NO_DOCUMENTS = "no documents"
NOT_RUN = "not run"
OPEN = "open"
REVIEWED = "reviewed"

SEARCHED = "searched"
"""Anonymisation setting: the SHA-256 of every document text detection has searched.

By text, not by document id, so that it survives a merge into a team project (documents are
matched by hash there) and a corrected transcript counts as not searched until detection runs.
"""

RESIDUAL_READ = "residual_read"
"""Anonymisation setting: the SHA-256 of every document text whose residual list the researcher
has read (``anonymise residual-read``). Detection and the review leave words that are names
unmasked (a nickname, a surname heard as a word): until someone has read what is left, the
project is not called anonymised. A corrected turn keeps the mark (its words are searched again)."""


@dataclass(frozen=True)
class AnonymisationState:
    """Where the project's anonymisation stands."""

    documents: int
    """Documents in the project."""
    unsearched: int
    """Documents detection has not searched as their text now stands (new or changed since)."""
    open: int
    """Suggestions waiting for a decision."""
    masked: int
    """Mentions that renditions replace (accepted and added by hand)."""
    unsearched_ids: frozenset[int] = field(default=frozenset(), compare=False)
    """Ids of the documents counted in ``unsearched``."""
    unread: int = 0
    """Searched documents whose residual list nobody has read yet."""
    unread_ids: frozenset[int] = field(default=frozenset(), compare=False)
    """Ids of the documents counted in ``unread``."""

    @property
    def status(self) -> str:
        """``no documents``, ``not run``, ``open`` or ``reviewed``."""
        if not self.documents:
            return NO_DOCUMENTS
        if self.unsearched == self.documents:
            return NOT_RUN
        return OPEN if self.open or self.unsearched or self.unread else REVIEWED

    @property
    def anonymised(self) -> bool:
        """True only when every document was searched, every suggestion decided and the residual
        list read."""
        return self.status == REVIEWED

    @property
    def exportable(self) -> bool:
        """Whether an anonymised export may go ahead without ``--allow-unreviewed``."""
        return self.status in (REVIEWED, NO_DOCUMENTS)

    def describe(self) -> str:
        """One English line for the terminal, e.g. ``not anonymised: 76 suggestions not reviewed``."""
        if self.status == NO_DOCUMENTS:
            return "no transcripts to anonymise yet"
        if self.status == NOT_RUN:
            return "not anonymised: detection has not been run"
        if self.status == REVIEWED:
            # De-identified, not anonymous (DOMAIN: a key-linked dataset is de-identified), and
            # the review covers what the detectors and the residual list put before the
            # researcher: a tester's reviewed export still had workplaces, dates and a diagnosis
            # in clear, so the line says what it rests on and what it does not promise.
            return (f"de-identified, not anonymous ({self.masked} mention(s) replaced, every suggestion reviewed, "
                    "the residual list read; workplaces, dates and diagnoses no detector found may remain)")
        parts = []
        if self.open:
            parts.append(f"{self.open} suggestion(s) not reviewed")
        if self.unsearched:
            parts.append(f"{self.unsearched} of {self.documents} document(s) not searched")
        if self.unread:
            parts.append(f"the residual list not read for {self.unread} document(s)")
        return "not fully anonymised: " + ", ".join(parts)

    def short(self) -> str:
        """A few words for a title bar: ``anonymisation not run``, ``76 to review``, ``de-identified``."""
        if self.status == NO_DOCUMENTS:
            return "no documents"
        if self.status == NOT_RUN:
            return "anonymisation not run"
        if self.status == REVIEWED:
            return "de-identified"
        parts = [f"{self.open} to review"] if self.open else []
        if self.unsearched:
            parts.append(f"{self.unsearched} not searched")
        if self.unread and not parts:
            parts.append("residual list not read")
        return "not anonymised: " + ", ".join(parts)

    def describe_nb(self) -> str:
        """The same in Norwegian, for the files researchers hand on (``Avidentifisert: …``)."""
        if self.status == NO_DOCUMENTS:
            return "ingen transkripsjoner i prosjektet"
        if self.status == NOT_RUN:
            return "nei – anonymisering er ikke kjørt; teksten inneholder navn og andre identifiserende opplysninger"
        if self.status == REVIEWED:
            return ("ja, ikke anonymt – alle forslag er gjennomgått og restlisten er lest; arbeidsplasser, datoer "
                    "og diagnoser som ingen detektor fant, kan stå igjen, og nøkkelen knytter navnene til personene")
        parts = []
        if self.open:
            parts.append(f"{self.open} forslag ikke gjennomgått")
        if self.unsearched:
            parts.append(f"{self.unsearched} av {self.documents} dokumenter ikke søkt gjennom")
        if self.unread:
            parts.append(f"restlisten (ord som kan være navn) ikke lest for {self.unread} dokument(er)")
        return "nei – ikke ferdig: " + ", ".join(parts) + "; teksten kan inneholde identifiserende opplysninger"

    def notice(self) -> str | None:
        """The line a file written before the review is finished carries, Norwegian then English.

        None when the project is reviewed (the file then says what the review rests on) or has no
        documents. One line in both languages because such a file is a draft that travels: a
        colleague abroad or a transcriber may be the one who opens it, and a plain .txt or .csv
        has no "about" sheet that would say it anywhere else.
        """
        if self.status in (REVIEWED, NO_DOCUMENTS):
            return None
        return (f"Avidentifisert: {self.describe_nb()}. Ikke del. | De-identified: no – {self.describe()}; "
                "the text may hold names and other identifiers. Do not share.")


def anonymisation_state(project: Project) -> AnonymisationState:
    """The project's anonymisation state (two small queries: no text or mention is read)."""
    with project.reading() as store:
        hashes = store.documents.hashes()
        settings = store.anonymisation.settings()
        counts = store.anonymisation.status_counts()
    searched = set(settings.get(SEARCHED) or ())
    read = set(settings.get(RESIDUAL_READ) or ())
    unsearched = frozenset(doc_id for doc_id, sha256 in hashes.items() if sha256 not in searched)
    unread = frozenset(doc_id for doc_id, sha256 in hashes.items() if doc_id not in unsearched and sha256 not in read)
    return AnonymisationState(
        documents=len(hashes), unsearched=len(unsearched),
        open=counts.get("suggested", 0), masked=counts.get("accepted", 0) + counts.get("manual", 0),
        unsearched_ids=unsearched, unread=len(unread), unread_ids=unread,
    )


def require_exportable(project: Project, *, allow_unreviewed: bool = False) -> AnonymisationState:
    """The state of a project about to be exported anonymised; refuses while it is not reviewed.

    Args:
        project: the project to export.
        allow_unreviewed: write anyway; the caller must then print the state in the file and
            on the terminal, never the word "anonymised".

    Raises:
        ServiceError: anonymisation is not run or not finished and ``allow_unreviewed`` is not set.
    """
    state = anonymisation_state(project)
    if state.exportable or allow_unreviewed:
        return state
    if state.status == NOT_RUN:
        todo = f"run `codebench anonymise {project.root}` and review the suggestions"
    elif not state.open and not state.unsearched:
        todo = (f"read the words left unmasked that may be names (`codebench anonymise {project.root} --list "
                f"--residual`, or U in the workbench's review and R there), then `codebench anonymise residual-read {project.root}`")
    else:
        todo = f"review them (`codebench anonymise {project.root} --list`, or the workbench's review screen)"
    raise ServiceError(f"{project.name}: {state.describe()}; {todo}, or give --allow-unreviewed "
                       "to write a file marked as not anonymised")
