// Renders an evaluation report as a fixed-width text table for terminals and bench/RESULTS.md.
import type { EvalReport, Prf } from './score.ts';

export function formatEvalTable(report: EvalReport): string {
  const rows: string[][] = [['type', 'support', 'strict P', 'strict R', 'strict F1', 'lenient P', 'lenient R', 'lenient F1']];
  for (const [type, score] of Object.entries(report.perType)) {
    rows.push([type, String(score.support), ...cells(score.strict), ...cells(score.lenient)]);
  }
  rows.push(['micro', '', ...cells(report.micro.strict), ...cells(report.micro.lenient)]);
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  const lines = rows.map((row) => row.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('  '));
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  lines.splice(lines.length - 1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return [
    `notes: ${report.notes}`,
    ...lines,
    `value accuracy: ${fixed(report.valueAccuracy)}   assertion accuracy: ${fixed(report.assertionAccuracy)}`,
  ].join('\n');
}

function cells(prf: Prf): string[] {
  return [fixed(prf.p), fixed(prf.r), fixed(prf.f1)];
}

function fixed(n: number): string {
  return n.toFixed(3);
}
