// Pathologic T on TCGA pathology reports (tatonetti-lab T14 test set: label 0–3 = pT1–pT4): how often the engine
// states a T category (coverage) and how often that category is right (accuracy of found), by label, with timing.
//
// Policy for a report with several tnm mentions: among mentions with a pathologic prefix (p, yp, r) and a T of
// 1–4, the first one in a staging context ("pathologic stage", "pTNM", "AJCC", "stage", "Primary tumor (pT)"
// within the 80 characters before, or in the mention itself: "T Stage: 2") wins, else the first one; without any,
// the first unprefixed T of 1–4 in a staging context. Template text listing categories ("pT1 and pT2 tumors") is
// skipped. Clinical (c) mentions never count. Tis, Ta, T0 and TX are not T1–T4, so they do not count as found.
import type { Mention } from '@cancerllm/protocol';
import { parseCsv } from './csv.ts';

export interface TcgaReport {
  id: string;
  /** 0–3 for pT1–pT4. */
  label: number;
  text: string;
}

export type TcgaParseResult = { ok: true; reports: TcgaReport[] } | { ok: false; message: string };

export function parseTcgaCsv(content: string): TcgaParseResult {
  const csv = parseCsv(content);
  if (!csv.ok) return csv;
  const [header, ...rows] = csv.rows;
  if (!header) return { ok: false, message: 'the file is empty' };
  const col = (name: string) => header.findIndex((h) => h.trim().toLowerCase() === name);
  const idCol = col('patient_filename');
  const labelCol = col('label');
  const textCol = col('text');
  if (labelCol < 0 || textCol < 0)
    return { ok: false, message: `expected columns "label" and "text", found: ${header.join(', ')}` };
  const reports: TcgaReport[] = [];
  for (const [index, row] of rows.entries()) {
    if (row.length === 1 && row[0] === '') continue;
    const label = Number(row[labelCol]);
    if (!Number.isInteger(label) || label < 0 || label > 3)
      return { ok: false, message: `row ${index + 2}: label "${row[labelCol] ?? ''}" is not 0–3` };
    reports.push({
      id: idCol >= 0 ? (row[idCol] ?? `row ${index + 2}`) : `row ${index + 2}`,
      label,
      text: row[textCol] ?? '',
    });
  }
  return { ok: true, reports };
}

const PATHOLOGIC_PREFIXES = new Set(['p', 'yp', 'r']);
const STAGING_CONTEXT = /(?:patholog|pTNM|TNM|AJCC|stag|T\s*category|primary\s+tumou?r|classification)/i;

/** The pathologic T category (1–4) a report states, or undefined. */
export function pathologicT(mentions: readonly Mention[], text: string): number | undefined {
  const tnm = mentions.filter((m) => m.type === 'tnm' && typeof m.value.t === 'string');
  const category = (m: Mention) => {
    const digit = /^T([1-4])/.exec(String(m.value.t));
    return digit ? Number(digit[1]) : undefined;
  };
  // The mention's own text counts too: a synoptic "T Stage: 2 N Stage: 0" names its context in its key.
  const inStaging = (m: Mention) => STAGING_CONTEXT.test(text.slice(Math.max(0, m.start - 80), m.end));
  const isTemplate = (m: Mention) =>
    /^\s*(?:and|or|,)\s*p?T\d/i.test(text.slice(m.end, m.end + 12)) ||
    /p?T\d\s*(?:and|or|,)\s*$/i.test(text.slice(Math.max(0, m.start - 12), m.start));
  const usable = tnm.filter((m) => category(m) !== undefined && !isTemplate(m));
  const pathologic = usable.filter((m) => PATHOLOGIC_PREFIXES.has(String(m.value.prefix ?? '')));
  const chosen =
    pathologic.find(inStaging) ?? pathologic[0] ?? usable.find((m) => m.value.prefix === undefined && inStaging(m));
  return chosen ? category(chosen) : undefined;
}

export interface LabelScore {
  label: string;
  reports: number;
  found: number;
  right: number;
  coverage: number;
  accuracyOfFound: number;
}

export interface TcgaEvalReport {
  reports: number;
  errors: number;
  overall: LabelScore;
  byLabel: LabelScore[];
  msPerReport: { mean: number; median: number; p95: number };
  mbPerSecond: number;
}

export interface TcgaOutcome {
  label: number;
  predicted: number | undefined;
  ms: number;
  chars: number;
  error?: string;
}

export function scoreTcga(outcomes: readonly TcgaOutcome[]): TcgaEvalReport {
  const score = (name: string, subset: readonly TcgaOutcome[]): LabelScore => {
    const found = subset.filter((o) => o.predicted !== undefined);
    const right = found.filter((o) => o.predicted === o.label + 1);
    return {
      label: name,
      reports: subset.length,
      found: found.length,
      right: right.length,
      coverage: ratio(found.length, subset.length),
      accuracyOfFound: ratio(right.length, found.length),
    };
  };
  const times = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  const totalMs = times.reduce((a, b) => a + b, 0);
  const totalChars = outcomes.reduce((a, o) => a + o.chars, 0);
  return {
    reports: outcomes.length,
    errors: outcomes.filter((o) => o.error !== undefined).length,
    overall: score('all', outcomes),
    byLabel: [0, 1, 2, 3].map((label) =>
      score(
        `pT${label + 1}`,
        outcomes.filter((o) => o.label === label),
      ),
    ),
    msPerReport: { mean: ratio(totalMs, times.length), median: quantile(times, 0.5), p95: quantile(times, 0.95) },
    mbPerSecond: totalMs === 0 ? 0 : totalChars / 1e6 / (totalMs / 1000),
  };
}

export function formatTcgaTable(report: TcgaEvalReport): string {
  const rows = [['label', 'reports', 'found', 'coverage', 'right', 'accuracy of found']];
  for (const s of [...report.byLabel, report.overall]) {
    rows.push([s.label, String(s.reports), String(s.found), pct(s.coverage), String(s.right), pct(s.accuracyOfFound)]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const lines = rows.map((r) =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '),
  );
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  lines.splice(lines.length - 1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  const t = report.msPerReport;
  return [
    `reports: ${report.reports}   ran without error: ${report.reports - report.errors}   errors: ${report.errors}`,
    ...lines,
    `time per report: mean ${t.mean.toFixed(2)} ms, median ${t.median.toFixed(2)} ms, p95 ${t.p95.toFixed(2)} ms   throughput: ${report.mbPerSecond.toFixed(1)} MB/s`,
  ].join('\n');
}

function ratio(n: number, d: number): number {
  return d === 0 ? 0 : n / d;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}
