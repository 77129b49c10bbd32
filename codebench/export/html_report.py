"""The quote matrix as one self-contained HTML page.

No scripts, no external styles, fonts or images: the page opens from a USB stick or an e-mail
attachment and prints as it looks. Every piece of text is escaped; the frequency heat map is an
inline SVG (:mod:`codebench.export.heatmap`).
"""

from __future__ import annotations

from html import escape
from typing import Sequence

from codebench.domain.matrix import NO_CATEGORY, CooccurrenceTable, CountTable, QuoteMatrix
from codebench.export.heatmap import heatmap_svg

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem; color: #1a1a1a;
       line-height: 1.45; max-width: 110rem; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.3rem; margin-top: 2.5rem; border-bottom: 1px solid #ccc; }
dl.about { display: grid; grid-template-columns: max-content auto; gap: .2rem 1rem; }
dl.about dt { font-weight: bold; }
.figure { overflow-x: auto; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #c8c8c8; padding: .35rem .5rem; vertical-align: top; text-align: left; }
thead th { background: #dde6f0; position: sticky; top: 0; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.group th { background: #f0f0f0; font-style: italic; }
table.matrix td { min-width: 18rem; }
p.quote { margin: 0 0 .7rem 0; }
p.quote .ref { display: block; color: #555; font-size: .85em; }
.empty { color: #6b6b6b; }
.warning { border: 2px solid #b00020; padding: .5rem 1rem; color: #b00020; font-weight: bold; }
@media print { thead th { position: static; } }
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _counts_table(counts: CountTable, rows: Sequence[int]) -> list[str]:
    out = ['<table class="counts"><thead><tr><th scope="col">Kode</th>']
    out += [f'<th scope="col">{_e(c.label)}</th>' for c in counts.columns]
    out.append('<th scope="col">Totalt</th></tr></thead><tbody>')
    for r in rows:
        values = counts.values[r]
        out.append(f'<tr><th scope="row">{_e(counts.rows[r].code)}</th>')
        out += [f'<td class="n">{v}</td>' for v in values]
        out.append(f'<td class="n"><strong>{sum(values)}</strong></td></tr>')
    totals = [sum(counts.values[r][c] for r in rows) for c in range(len(counts.columns))]
    out.append('<tr><th scope="row">Totalt</th>' + "".join(f'<td class="n"><strong>{v}</strong></td>' for v in totals)
               + f'<td class="n"><strong>{sum(totals)}</strong></td></tr></tbody></table>')
    return out


def _quote_table(matrix: QuoteMatrix, rows: Sequence[int]) -> list[str]:
    width = len(matrix.columns) + 1
    out = ['<table class="matrix"><thead><tr><th scope="col">Kode</th>']
    out += [f'<th scope="col">{_e(c.label)}</th>' for c in matrix.columns]
    out.append("</tr></thead><tbody>")
    current: str | None = None
    for r in rows:
        row = matrix.rows[r]
        if row.category != row.main_category and row.category != current:
            current = row.category
            out.append(f'<tr class="group"><th colspan="{width}" scope="rowgroup">{_e(row.category)}</th></tr>')
        out.append(f'<tr><th scope="row">{_e(row.code)}</th>')
        for cell in matrix.cells[r]:
            if not cell:
                out.append('<td class="empty">–</td>')
                continue
            out.append("<td>" + "".join(
                f'<p class="quote">«{_e(" ".join(q.text.split()))}»<span class="ref">{_e(q.reference())}</span></p>'
                for q in cell
            ) + "</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return out


def _cooccurrence(table: CooccurrenceTable) -> list[str]:
    out = ['<section id="samforekomst"><h2>Samforekomst</h2>']
    pairs = table.pairs()
    if not pairs:
        return out + ["<p>Ingen koder overlapper.</p></section>"]
    out.append("<p>Kodepar brukt på overlappende tekst i samme dokument (antall par av kodinger).</p>")
    out.append('<table class="counts"><thead><tr><th scope="col">Kode</th><th scope="col">Kode</th>'
               '<th scope="col">Antall</th></tr></thead><tbody>')
    out += [f'<tr><td>{_e(a.code)}</td><td>{_e(b.code)}</td><td class="n">{n}</td></tr>' for a, b, n in pairs]
    return out + ["</tbody></table></section>"]


def matrix_html(
    *,
    title: str,
    matrix: QuoteMatrix | None,
    counts: CountTable,
    heatmap: CountTable,
    cooccurrence: CooccurrenceTable | None,
    about: Sequence[tuple[str, str]] = (),
    warning: str | None = None,
) -> str:
    """The whole page.

    Args:
        title: page heading.
        matrix: the quotes (None for the counts-only variant).
        counts: frequencies in the matrix's columns.
        heatmap: frequencies code × role for the picture.
        cooccurrence: code co-occurrence (None: left out).
        about: ``(label, value)`` lines describing the export.
        warning: a line the reader must see first (original text, anonymisation not finished).
    """
    out = ["<!DOCTYPE html>", '<html lang="nb">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           '<meta name="generator" content="codebench">', f"<title>{_e(title)}</title>",
           f"<style>{_STYLE}</style>", "</head>", "<body>", f"<h1>{_e(title)}</h1>"]
    if warning:
        out.append(f'<p class="warning">{_e(warning)}</p>')
    if about:
        out.append('<dl class="about">' + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in about) + "</dl>")
    out.append('<section id="varmekart"><h2>Koder × roller</h2><div class="figure">')
    out.append(heatmap_svg(heatmap, title="Antall passasjer per kode og rolle"))
    out.append("</div></section>")
    mains = list(dict.fromkeys(row.main_category for row in counts.rows))
    for n, main in enumerate(mains, start=1):
        rows = [i for i, row in enumerate(counts.rows) if row.main_category == main]
        out.append(f'<section id="kategori-{n}"><h2>{_e(main or NO_CATEGORY)}</h2>')
        out += _counts_table(counts, rows)
        if matrix is not None:
            out += _quote_table(matrix, rows)
        out.append("</section>")
    if cooccurrence is not None:
        out += _cooccurrence(cooccurrence)
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
