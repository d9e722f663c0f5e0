// Scores the ConText assertion pass on the NegEx/ConText sentence set (rsAnnotations-1-120-random.txt): each row
// names a condition inside a sentence with its negation status, temporality and experiencer. The condition becomes
// a mention, the sentence is parsed and asserted by the engine, and each dimension is scored as a binary task.
import { assignAssertions, parseNote } from '@cancerllm/engine';
import type { AnnotatedMention, Assertion } from '@cancerllm/protocol';

export interface NegexRow {
  line: number;
  condition: string;
  sentence: string;
  negation: string;
  temporality: string;
  experiencer: string;
}

export interface BinaryScore {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  p: number;
  r: number;
  f1: number;
  /** Rows whose gold label is positive. */
  support: number;
}

export interface NegexReport {
  rows: number;
  /** Rows whose condition was found in the sentence (verbatim, or with blanks and case ignored). */
  scored: number;
  /** Rows whose condition could not be located, left out of the scores. */
  notFound: number;
  negation: BinaryScore;
  historical: BinaryScore;
  hypothetical: BinaryScore;
  family: BinaryScore;
  /** Share of scored rows whose predicted assertion agrees with all three gold columns. */
  accuracy: number;
}

export type ParseResult = { ok: true; rows: NegexRow[] } | { ok: false; message: string };

/** Parses the tab-separated file; a header row (first cell not a number) is skipped. */
export function parseNegexFile(content: string): ParseResult {
  const rows: NegexRow[] = [];
  const lines = content.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    const cells = raw.split('\t');
    if (i === 0 && !/^\d+$/.test(cells[0]!.trim())) continue;
    if (cells.length < 6)
      return { ok: false, message: `line ${i + 1}: expected 6 tab-separated columns, found ${cells.length}` };
    const [line, condition, sentence, negation, temporality, experiencer] = cells.map((c) => c.trim()) as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    rows.push({ line: Number(line), condition, sentence, negation, temporality, experiencer });
  }
  if (rows.length === 0) return { ok: false, message: 'no annotated rows found' };
  return { ok: true, rows };
}

/** Finds the condition in the sentence: verbatim ignoring case, else with any run of blanks between its words. */
export function locateCondition(sentence: string, condition: string): { start: number; end: number } | undefined {
  const at = sentence.toLowerCase().indexOf(condition.toLowerCase());
  if (at >= 0 && condition.length > 0) return { start: at, end: at + condition.length };
  const words = condition
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (words.length === 0) return undefined;
  const match = new RegExp(words.join('\\s+'), 'i').exec(sentence);
  return match ? { start: match.index, end: match.index + match[0].length } : undefined;
}

export function predictAssertion(sentence: string, span: { start: number; end: number }): Assertion {
  const mention: AnnotatedMention = {
    start: span.start,
    end: span.end,
    text: sentence.slice(span.start, span.end),
    // A condition in general: a type that carries no value of its own, so negation applies to it.
    type: 'histology',
    value: {},
    assertion: 'present',
  };
  const [asserted] = assignAssertions(parseNote(sentence), [mention]);
  return asserted?.assertion ?? 'present';
}

export function scoreNegex(rows: readonly NegexRow[]): NegexReport {
  const counts = {
    negation: emptyCounts(),
    historical: emptyCounts(),
    hypothetical: emptyCounts(),
    family: emptyCounts(),
  };
  let scored = 0;
  let agree = 0;
  for (const row of rows) {
    const span = locateCondition(row.sentence, row.condition);
    if (!span) continue;
    scored++;
    const predicted = predictAssertion(row.sentence, span);
    const gold = {
      negation: /^negated$/i.test(row.negation),
      historical: /^historical$/i.test(row.temporality),
      hypothetical: /^(?:hypothetical|not particular)$/i.test(row.temporality),
      family: !/^patient$/i.test(row.experiencer),
    };
    tally(counts.negation, gold.negation, predicted === 'negated');
    tally(counts.historical, gold.historical, predicted === 'historical');
    tally(counts.hypothetical, gold.hypothetical, predicted === 'hypothetical');
    tally(counts.family, gold.family, predicted === 'family');
    if (agreesWithAll(predicted, gold)) agree++;
  }
  return {
    rows: rows.length,
    scored,
    notFound: rows.length - scored,
    negation: finish(counts.negation),
    historical: finish(counts.historical),
    hypothetical: finish(counts.hypothetical),
    family: finish(counts.family),
    accuracy: scored === 0 ? 0 : agree / scored,
  };
}

/** One predicted label against three gold columns: right when it names one of the gold's non-default values, or
 * "present" for an affirmed, recent, patient row. */
function agreesWithAll(
  predicted: Assertion,
  gold: { negation: boolean; historical: boolean; hypothetical: boolean; family: boolean },
): boolean {
  const expected: Assertion[] = [];
  if (gold.negation) expected.push('negated');
  if (gold.historical) expected.push('historical');
  if (gold.hypothetical) expected.push('hypothetical');
  if (gold.family) expected.push('family');
  return expected.length === 0 ? predicted === 'present' : expected.includes(predicted);
}

interface Counts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

function emptyCounts(): Counts {
  return { tp: 0, fp: 0, fn: 0, tn: 0 };
}

function tally(c: Counts, gold: boolean, predicted: boolean): void {
  if (gold && predicted) c.tp++;
  else if (predicted) c.fp++;
  else if (gold) c.fn++;
  else c.tn++;
}

function finish(c: Counts): BinaryScore {
  const p = c.tp + c.fp === 0 ? 0 : c.tp / (c.tp + c.fp);
  const r = c.tp + c.fn === 0 ? 0 : c.tp / (c.tp + c.fn);
  return { ...c, p, r, f1: p + r === 0 ? 0 : (2 * p * r) / (p + r), support: c.tp + c.fn };
}

export function formatNegexTable(report: NegexReport): string {
  const rows = [['dimension', 'support', 'TP', 'FP', 'FN', 'P', 'R', 'F1']];
  const dims: Array<[string, BinaryScore]> = [
    ['negated', report.negation],
    ['historical', report.historical],
    ['hypothetical', report.hypothetical],
    ['family/other', report.family],
  ];
  for (const [name, s] of dims) {
    rows.push([
      name,
      String(s.support),
      String(s.tp),
      String(s.fp),
      String(s.fn),
      s.p.toFixed(3),
      s.r.toFixed(3),
      s.f1.toFixed(3),
    ]);
  }
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  const lines = rows.map((row) =>
    row.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('  '),
  );
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return [
    `rows: ${report.rows}   scored: ${report.scored}   condition not found: ${report.notFound}`,
    ...lines,
    `all-column agreement: ${report.accuracy.toFixed(3)}   (GenNegEx v1.2 published negation F1 on this set: 0.946)`,
  ].join('\n');
}
