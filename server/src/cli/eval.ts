// `cancerllm eval <gold-dir>`: scores the rule engine against gold files; a table, or one JSON object with --json.
import { analyzeNote } from '@cancerllm/engine';
import { loadGoldDirectory } from '../evaluation/gold.ts';
import { compareNote, scoreNotes } from '../evaluation/score.ts';
import { formatEvalTable } from '../evaluation/table.ts';
import { checkBackend, parseCommandOptions } from './options.ts';

export function runEval(argv: readonly string[]): number {
  const parsed = parseCommandOptions(argv, {
    backend: { type: 'string', default: 'rules' },
    json: { type: 'boolean', default: false },
  });
  if (!parsed.ok) return usageError(parsed.message);
  const backendProblem = checkBackend(parsed.values.backend);
  if (backendProblem) return usageError(backendProblem);
  const [dir, ...extra] = parsed.positionals;
  if (!dir || extra.length > 0) return usageError('eval takes exactly one gold directory');

  const gold = loadGoldDirectory(dir);
  if (!gold.ok) return usageError(gold.message);
  const comparisons = gold.notes.map((note) => compareNote(note.mentions, analyzeNote(note.text).mentions));
  const report = scoreNotes(comparisons);
  process.stdout.write(parsed.values.json ? `${JSON.stringify(report)}\n` : `${formatEvalTable(report)}\n`);
  return 0;
}

function usageError(message: string): number {
  process.stderr.write(`cancerllm eval: ${message}\n`);
  return 2;
}
