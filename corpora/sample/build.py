"""Build the sample corpus and its identifier gold from the annotated sources in src/.

    python corpora/sample/build.py          # rewrite the transcripts, participants.yaml and gold/identifiers
    python corpora/sample/build.py --check  # verify that the committed files match the sources

Each source (see src/FORMAT.md) is rendered into its target format with the writers in
tests/writers.py. The gold spans are found without guessing: the same source is rendered a
second time with every identifier replaced by sentinel words of the same word count, that file
is imported with codebench's own importer, the sentinels are located in the imported text, and
the identifiers are put back. The result must equal the import of the real file character for
character, so every gold offset is in code points of the text codebench stores.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from codebench.ingest import import_file  # noqa: E402
from tests import writers  # noqa: E402

ANNOTATION = re.compile(r"\[\[([^|\]]+)\|([A-Z_]+)\|([a-z0-9_]+)\]\]")
LABEL = re.compile(r"^((?:\[\[[^\]]+\]\]|[^\s:\[][^:\n]{0,60}?)):\s")
SUFFIX = {
    "docx-bold": ".docx", "docx-table": ".docx", "odt": ".odt", "txt-utf8": ".txt", "txt-cp1252": ".txt",
    "txt-crlf-bom": ".txt", "txt-asr": ".txt", "vtt-whisper": ".vtt", "vtt-whisperx": ".vtt",
    "vtt-noscribe": ".vtt", "vtt-teams": ".vtt", "vtt-zoom": ".vtt", "srt": ".srt",
    "json-whisperx": ".json", "html-noscribe": ".html", "pdf-report": ".pdf",
}
UNLABELLED = ("txt-asr", "pdf-report")  # targets whose paragraphs have no speaker labels
DIRECT = {"PER", "PHONE", "EMAIL", "FNR", "ADDRESS", "URL"}


@dataclass
class Mention:
    surface: str
    type: str
    entity: str


@dataclass
class Source:
    path: Path
    meta: dict
    turns: list[tuple[str | None, str]]  # annotated label and annotated text
    mentions: list[Mention] = field(default_factory=list)

    @property
    def target(self) -> str:
        return self.meta["target"]

    def file_name(self, render) -> str:  # type: ignore[no-untyped-def]
        stem = render(self.meta.get("filename") or self.meta["id"])
        return stem + SUFFIX[self.target]


def read_source(path: Path) -> Source:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        raise SystemExit(f"{path}: no front matter")
    _, front, body = text.split("---\n", 2)
    meta = yaml.safe_load(front)
    turns: list[tuple[str | None, str]] = []
    for paragraph in (p.strip() for p in body.split("\n\n")):
        if not paragraph:
            continue
        paragraph = " ".join(paragraph.split("\n"))
        match = LABEL.match(paragraph) if meta["target"] not in UNLABELLED else None
        if match:
            turns.append((match.group(1), paragraph[match.end():].strip()))
        else:
            turns.append((None, paragraph))
    return Source(path, meta, turns)


class Renderer:
    """Turns annotated text into either the real words or same-length sentinel words."""

    def __init__(self, sentinel: bool) -> None:
        self.sentinel = sentinel
        self.ids: dict[str, int] = {}

    def __call__(self, text: str) -> str:
        def replace(match: re.Match[str]) -> str:
            surface = match.group(1)
            if not self.sentinel:
                return surface
            n = self.ids.setdefault(surface, len(self.ids))
            return " ".join(f"Qz{n:04d}w{j}zQ" for j in range(len(surface.split())))

        return ANNOTATION.sub(replace, text)


def write(source: Source, folder: Path, render: Renderer) -> Path:
    target = source.target
    turns = [(render(label) if label else None, render(text)) for label, text in source.turns]
    path = folder / source.file_name(render)
    if target == "docx-bold":
        writers.write_docx_bold(path, turns)
    elif target == "docx-table":
        writers.write_docx_table(path, turns)
    elif target == "odt":
        writers.write_odt(path, turns)
    elif target == "txt-utf8":
        writers.write_txt(path, turns)
    elif target == "txt-cp1252":
        writers.write_txt(path, turns, encoding="cp1252", crlf=True)
    elif target == "txt-crlf-bom":
        writers.write_txt(path, turns, crlf=True, bom=True, blank_lines=False)
    elif target == "txt-asr":
        writers.write_txt(path, [(None, t) for _, t in turns], blank_lines=False)
    elif target == "vtt-whisper":
        writers.write_vtt(path, [(None, t) for _, t in turns], "whisper")
    elif target.startswith("vtt-"):
        writers.write_vtt(path, turns, target[4:])
    elif target == "srt":
        writers.write_srt(path, turns)
    elif target == "json-whisperx":
        writers.write_whisperx_json(path, turns, language=source.meta.get("asr_language", "no"))
    elif target == "html-noscribe":
        segments = [(label or "S00", round(start * 1000), round(end * 1000), text)
                    for label, start, end, text, _ in writers.timed_segments(turns)]
        writers.write_noscribe(path, segments, title=source.meta.get("title") or source.meta["id"],
                               audio=source.meta.get("audio") or source.meta["id"] + ".mp3")
    elif target == "pdf-report":
        pages = writers.lay_out_pages([text for _, text in turns], keep_headings=True)
        writers.write_pdf(path, pages, title=source.meta.get("title"), header=source.meta.get("header"))
    else:
        raise SystemExit(f"{source.path}: unknown target {target!r}")
    return path


_SENTINEL_GROUP = re.compile(r"Qz(\d{4})w0zQ(?:\s+Qz\1w\d+zQ)*")


def gold_spans(source: Source, sentinel_text: str, real_text: str, surfaces: dict[int, str]) -> list[dict]:
    """Locate identifiers via the sentinels and check the rebuilt text equals the real import."""
    spans: list[dict] = []
    pieces: list[str] = []
    cursor = 0
    out_len = 0
    mentions = iter(m for m in all_mentions(source) if not m[0])
    for match in _SENTINEL_GROUP.finditer(sentinel_text):
        surface = surfaces[int(match.group(1))]
        separators = re.findall(r"\s+", match.group(0))
        words = surface.split()
        shown = words[0] + "".join(sep + w for sep, w in zip(separators, words[1:]))
        pieces.append(sentinel_text[cursor:match.start()])
        out_len += match.start() - cursor
        _, mention = next(mentions)
        if " ".join(mention.surface.split()) != surface:
            raise SystemExit(f"{source.path}: mention order mismatch at {mention.surface!r} / {surface!r}")
        spans.append({"start": out_len, "end": out_len + len(shown), "text": shown, "type": mention.type,
                      "entity": mention.entity, "direct": mention.type in DIRECT})
        pieces.append(shown)
        out_len += len(shown)
        cursor = match.end()
    pieces.append(sentinel_text[cursor:])
    rebuilt = "".join(pieces)
    if rebuilt != real_text:
        diff = next(i for i, (a, b) in enumerate(zip(rebuilt, real_text + "\0")) if a != b)
        raise SystemExit(f"{source.path}: rebuilt text differs from the real import at {diff}: "
                         f"{rebuilt[diff-30:diff+30]!r} vs {real_text[diff-30:diff+30]!r}")
    leftover = list(mentions)
    if leftover:
        raise SystemExit(f"{source.path}: {len(leftover)} mention(s) not found in the imported text, first {leftover[0][1]}")
    return spans


def all_mentions(source: Source) -> list[tuple[bool, Mention]]:
    """Mentions in text order, each flagged True when it lies in a part the target drops."""
    result: list[tuple[bool, Mention]] = []
    drops_labels = source.target in ("vtt-whisper", "txt-asr")
    for label, text in source.turns:
        for part, dropped in ((label, drops_labels), (text, False)):
            if part:
                for m in ANNOTATION.finditer(part):
                    result.append((dropped, Mention(" ".join(m.group(1).split()), m.group(2), m.group(3))))
    return result


def build(check: bool = False) -> int:
    sources = [read_source(p) for p in sorted((HERE / "src").glob("*.txt"))]
    participants: dict[str, dict] = {}
    documents: dict[str, dict] = {}
    gold_dir = HERE / "gold" / "identifiers"
    gold_dir.mkdir(parents=True, exist_ok=True)
    problems = 0
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        for source in sources:
            real = Renderer(sentinel=False)
            real_dir, sentinel_dir = tmpdir / "real", tmpdir / "sentinel"
            real_dir.mkdir(exist_ok=True)
            sentinel_dir.mkdir(exist_ok=True)
            real_path = write(source, real_dir, real)
            sentinel = Renderer(sentinel=True)
            sentinel_path = write(source, sentinel_dir, sentinel)
            real_doc = import_file(real_path)
            sentinel_doc = import_file(sentinel_path)
            surfaces = {n: " ".join(s.split()) for s, n in sentinel.ids.items()}
            spans = gold_spans(source, sentinel_doc.text, real_doc.text, surfaces)
            for span in spans:
                assert real_doc.text[span["start"]:span["end"]] == span["text"]
            name_mentions = [
                {"text": m.group(1), "type": m.group(2), "entity": m.group(3)}
                for m in ANNOTATION.finditer(source.meta.get("filename") or "")
            ]
            file_name = real_path.name
            gold = {
                "file": file_name,
                "sha256": hashlib.sha256(real_doc.text.encode("utf-8")).hexdigest(),
                "length": len(real_doc.text),
                "turns": len(real_doc.turns),
                "labelled_turns": sum(1 for t in real_doc.turns if t.speaker),
                "file_name_identifiers": name_mentions,
                "spans": spans,
            }
            meta = source.meta
            if meta.get("participant"):
                participants.setdefault(meta["participant"], {"role": meta["role"], "site": meta.get("site")})
                if meta.get("kind") == "group":
                    participants[meta["participant"]]["group"] = True
                documents[file_name] = {"participant": meta["participant"], "round": meta.get("round"),
                                        "language": meta.get("language", "nb")}
            else:  # a document that is no one's interview (a report): no participant, no round
                documents[file_name] = {"language": meta.get("language", "nb")}
            destination = HERE / file_name
            gold_path = gold_dir / (Path(file_name).stem + ".json")
            gold_text = json.dumps(gold, ensure_ascii=False, indent=1) + "\n"
            if check:
                if not destination.exists() or import_file(destination).text != real_doc.text:
                    print(f"out of date: {destination.name}")
                    problems += 1
                if not gold_path.exists() or gold_path.read_text(encoding="utf-8") != gold_text:
                    print(f"out of date: {gold_path.name}")
                    problems += 1
            else:
                # Word and OpenDocument files carry the time they were zipped: an unchanged text
                # keeps the committed file, so a rebuild touches only what really changed.
                zipped = destination.suffix in (".docx", ".odt")
                if not (zipped and destination.exists() and import_file(destination).text == real_doc.text):
                    destination.write_bytes(real_path.read_bytes())
                gold_path.write_text(gold_text, encoding="utf-8")
            print(f"{file_name}: {len(real_doc.text.split())} words, {len(real_doc.turns)} turns, {len(spans)} identifiers")
    participants_yaml = "# Who each sample transcript is with (generated by build.py from src/)\n" + yaml.safe_dump(
        {"participants": participants, "documents": documents}, allow_unicode=True, sort_keys=True)
    if check:
        if (HERE / "participants.yaml").read_text(encoding="utf-8") != participants_yaml:
            print("out of date: participants.yaml")
            problems += 1
    else:
        (HERE / "participants.yaml").write_text(participants_yaml, encoding="utf-8")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only verify the committed files")
    args = parser.parse_args()
    sys.exit(1 if build(check=args.check) else 0)


if __name__ == "__main__":
    main()
