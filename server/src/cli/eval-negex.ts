// `cancerllm eval-negex <rsAnnotations.txt> [--json]`: scores the ConText assertion pass on the NegEx/ConText
// sentence set; a table, or one JSON object with --json. Exit 2 on unreadable or malformed input.
import { formatNegexTable, parseNegexFile, scoreNegex } from '../evaluation/negex.ts';
import { parseCommandOptions, readInputFile } from './options.ts';

export function runEvalNegex(argv: readonly string[]): number {
  const parsed = parseCommandOptions(argv, { json: { type: 'boolean', default: false } });
  if (!parsed.ok) return usageError(parsed.message);
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length > 0)
    return usageError('eval-negex takes exactly one annotation file (rsAnnotations-1-120-random.txt)');
  const input = readInputFile(file);
  if (!input.ok) return usageError(input.message);
  const content = input.content;
  const rows = parseNegexFile(content);
  if (!rows.ok) return usageError(`${file}: ${rows.message}`);
  const report = scoreNegex(rows.rows);
  process.stdout.write(parsed.values.json ? `${JSON.stringify(report)}\n` : `${formatNegexTable(report)}\n`);
  return 0;
}

function usageError(message: string): number {
  process.stderr.write(`cancerllm eval-negex: ${message}\n`);
  return 2;
}
