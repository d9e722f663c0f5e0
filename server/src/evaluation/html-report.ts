// A self-contained HTML report for eval and robustness runs: scores per type, the robustness plot, and the notes
// that went worst with their missed and spurious mentions highlighted in the text, so a curator can see why.
// Everything interpolated is escaped; the page loads nothing from anywhere.
import type { Mention } from '@cancerllm/protocol';
import type { GenerationReport } from './generation.ts';
import type { EvalReport, NoteComparison, Prf } from './score.ts';

export interface NoteDetail {
  id: string;
  text: string;
  comparison: NoteComparison;
}

export interface ReportInput {
  title: string;
  report?: EvalReport;
  generation?: GenerationReport;
  notes?: readonly NoteDetail[];
  plotSvg?: string;
  robustnessTable?: string;
  worst?: number;
}

export function renderHtmlReport(input: ReportInput): string {
  const sections: string[] = [`<h1>${escape(input.title)}</h1>`];
  if (input.report) sections.push(scoresSection(input.report));
  if (input.generation) sections.push(generationSection(input.generation));
  if (input.plotSvg) sections.push(`<h2>Robustness</h2><figure>${input.plotSvg}</figure>`);
  if (input.robustnessTable) sections.push(`<pre>${escape(input.robustnessTable)}</pre>`);
  if (input.notes) sections.push(worstNotesSection(input.notes, input.worst ?? 5));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(input.title)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:70em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}
td:first-child,th:first-child{text-align:left}.low{background:#fde2e1}
pre.note{white-space:pre-wrap;background:#fafafa;border:1px solid #ddd;padding:1em}
mark.missed{background:#f8b4b4;text-decoration:underline wavy #c00}mark.spurious{background:#fcd9a8}
mark.matched{background:#c9efc9}.legend mark{padding:0 .3em}
</style></head><body>
${sections.join('\n')}
</body></html>
`;
}

function scoresSection(report: EvalReport): string {
  const row = (name: string, strict: Prf, lenient: Prf, support: string) =>
    `<tr${lenient.f1 < 0.75 && support !== '' ? ' class="low"' : ''}><td>${escape(name)}</td><td>${support}</td>${[strict, lenient].map((s) => `<td>${s.p.toFixed(3)}</td><td>${s.r.toFixed(3)}</td><td>${s.f1.toFixed(3)}</td>`).join('')}</tr>`;
  const rows = Object.entries(report.perType).map(([type, s]) => row(type, s.strict, s.lenient, String(s.support)));
  rows.push(row('micro', report.micro.strict, report.micro.lenient, ''));
  return `<h2>Phenotype extraction (${report.notes} notes)</h2>
<table><tr><th>type</th><th>support</th><th>strict P</th><th>strict R</th><th>strict F1</th><th>lenient P</th><th>lenient R</th><th>lenient F1</th></tr>
${rows.join('\n')}</table>
<p>Value accuracy ${report.valueAccuracy.toFixed(3)} · assertion accuracy ${report.assertionAccuracy.toFixed(3)} (over lenient matches)</p>`;
}

function generationSection(generation: GenerationReport): string {
  const rows = Object.entries(generation).map(([task, s]) => `<tr><td>${escape(task)}</td><td>${s.n}</td><td>${s.exactMatch.toFixed(3)}</td><td>${s.bleu2.toFixed(3)}</td><td>${s.rougeL.toFixed(3)}</td><td>${s.average.toFixed(3)}</td></tr>`);
  return `<h2>Generated text</h2><table><tr><th>task</th><th>n</th><th>EM</th><th>BLEU-2</th><th>ROUGE-L</th><th>average</th></tr>${rows.join('')}</table>`;
}

function noteF1(comparison: NoteComparison): number {
  let gold = 0;
  let predicted = 0;
  let matched = 0;
  for (const c of comparison.counts.values()) {
    gold += c.gold;
    predicted += c.predicted;
    matched += c.lenientMatches;
  }
  return gold + predicted === 0 ? 1 : (2 * matched) / (gold + predicted);
}

function worstNotesSection(notes: readonly NoteDetail[], count: number): string {
  const worst = [...notes].sort((a, b) => noteF1(a.comparison) - noteF1(b.comparison)).slice(0, count);
  const parts = worst.map((note) => {
    const c = note.comparison;
    return `<h3>${escape(note.id)} — lenient F1 ${noteF1(c).toFixed(3)}, ${c.missed.length} missed, ${c.spurious.length} spurious</h3>
<pre class="note">${highlight(note.text, [
      ...c.missed.map((m) => ({ m, kind: 'missed' as const })),
      ...c.spurious.map((m) => ({ m, kind: 'spurious' as const })),
      ...c.lenientPairs.map((p) => ({ m: p.predicted, kind: 'matched' as const })),
    ])}</pre>`;
  });
  return `<h2>Worst notes</h2><p class="legend"><mark class="missed">missed (in gold, not found)</mark> <mark class="spurious">spurious (found, not in gold)</mark> <mark class="matched">matched</mark> — hover a mark for its type.</p>\n${parts.join('\n')}`;
}

type Marked = { m: Mention; kind: 'missed' | 'spurious' | 'matched' };
const PRIORITY = { missed: 3, spurious: 2, matched: 1 } as const;

/** The text with marks; where spans overlap, each segment takes the most important kind and lists every type. */
export function highlight(text: string, marks: readonly Marked[]): string {
  const cuts = new Set<number>([0, text.length]);
  for (const { m } of marks) {
    cuts.add(Math.max(0, Math.min(text.length, m.start)));
    cuts.add(Math.max(0, Math.min(text.length, m.end)));
  }
  const points = [...cuts].sort((a, b) => a - b);
  let html = '';
  for (let i = 0; i + 1 < points.length; i++) {
    const from = points[i]!;
    const to = points[i + 1]!;
    const covering = marks.filter(({ m }) => m.start <= from && to <= m.end);
    const segment = escape(text.slice(from, to));
    if (covering.length === 0) {
      html += segment;
      continue;
    }
    const top = covering.reduce((a, b) => (PRIORITY[b.kind] > PRIORITY[a.kind] ? b : a));
    const title = covering.map(({ m, kind }) => `${kind}: ${m.type} ${JSON.stringify(m.value)}`).join('\n');
    html += `<mark class="${top.kind}" title="${escape(title)}">${segment}</mark>`;
  }
  return html;
}

export function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
