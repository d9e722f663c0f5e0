// Scores generated diagnoses and treatment plans: against the gold files' reference fields (by note id), or a JSONL
// of {prediction, reference} pairs. Malformed input is reported with its file and line.
import { readFileSync } from 'node:fs';
import type { GoldNote } from './gold.ts';
import { meanScores, scoreText, type TextScores } from './text-metrics.ts';

export const GENERATION_TASKS = ['diagnosis', 'treatment_plan'] as const;
export type GenerationTask = (typeof GENERATION_TASKS)[number];

export type GenerationReport = Partial<Record<GenerationTask | 'pairs', TextScores & { n: number }>>;

type Loaded<T> = { ok: true; rows: T[] } | { ok: false; message: string };

function readJsonl(file: string): Loaded<Record<string, unknown>> {
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (error) {
    return { ok: false, message: `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}` };
  }
  const rows: Array<Record<string, unknown>> = [];
  for (const [index, line] of content.split('\n').entries()) {
    if (line.trim() === '') continue;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      return { ok: false, message: `${file} line ${index + 1} is not valid JSON` };
    }
    if (typeof row !== 'object' || row === null || Array.isArray(row)) return { ok: false, message: `${file} line ${index + 1} is not a JSON object` };
    rows.push(row as Record<string, unknown>);
  }
  return { ok: true, rows };
}

/** Generated texts per note id ({"id", "diagnosis"?, "treatment_plan"?} lines) scored against gold references. */
export function scoreGeneratedAgainstGold(file: string, notes: readonly GoldNote[]): { ok: true; report: GenerationReport } | { ok: false; message: string } {
  const loaded = readJsonl(file);
  if (!loaded.ok) return loaded;
  const byId = new Map(notes.map((note) => [note.id, note]));
  const scores: Record<GenerationTask, TextScores[]> = { diagnosis: [], treatment_plan: [] };
  for (const [index, row] of loaded.rows.entries()) {
    const note = typeof row.id === 'string' ? byId.get(row.id) : undefined;
    if (!note) return { ok: false, message: `${file} row ${index + 1}: no gold note with id ${JSON.stringify(row.id)}` };
    for (const task of GENERATION_TASKS) {
      const generated = row[task];
      const reference = task === 'diagnosis' ? note.diagnosis : note.treatmentPlan;
      if (generated === undefined) continue;
      if (typeof generated !== 'string') return { ok: false, message: `${file} row ${index + 1}: "${task}" must be a string` };
      if (reference !== undefined) scores[task].push(scoreText(generated, reference));
    }
  }
  const report: GenerationReport = {};
  for (const task of GENERATION_TASKS) if (scores[task].length > 0) report[task] = { n: scores[task].length, ...meanScores(scores[task]) };
  return { ok: true, report };
}

/** A JSONL of {"prediction", "reference"} pairs. */
export function scorePairs(file: string): { ok: true; report: GenerationReport } | { ok: false; message: string } {
  const loaded = readJsonl(file);
  if (!loaded.ok) return loaded;
  const scores: TextScores[] = [];
  for (const [index, row] of loaded.rows.entries()) {
    if (typeof row.prediction !== 'string' || typeof row.reference !== 'string') {
      return { ok: false, message: `${file} row ${index + 1} needs string "prediction" and "reference"` };
    }
    scores.push(scoreText(row.prediction, row.reference));
  }
  if (scores.length === 0) return { ok: false, message: `${file} has no pairs` };
  return { ok: true, report: { pairs: { n: scores.length, ...meanScores(scores) } } };
}

export function formatGenerationTable(report: GenerationReport): string {
  const lines = ['task             n     EM  BLEU-2  ROUGE-L  average'];
  for (const [task, s] of Object.entries(report)) {
    lines.push(`${task.padEnd(14)} ${String(s.n).padStart(3)}  ${s.exactMatch.toFixed(3)}  ${s.bleu2.toFixed(3).padStart(6)}  ${s.rougeL.toFixed(3).padStart(7)}  ${s.average.toFixed(3).padStart(7)}`);
  }
  return lines.join('\n');
}
