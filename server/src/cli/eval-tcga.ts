// `cancerllm eval-tcga <T14_test.csv> [--json]`: runs the full engine on each TCGA pathology report and measures
// how often a pathologic T is found and how often it is right, by label, with time per report. Exit 2 on
// unreadable or malformed input.
import { performance } from 'node:perf_hooks';
import { analyzeNote } from '@cancerllm/engine';
import { formatTcgaTable, parseTcgaCsv, pathologicT, scoreTcga, type TcgaOutcome } from '../evaluation/tcga.ts';
import { parseCommandOptions, readInputFile } from './options.ts';

export function runEvalTcga(argv: readonly string[]): number {
  const parsed = parseCommandOptions(argv, { json: { type: 'boolean', default: false } });
  if (!parsed.ok) return usageError(parsed.message);
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length > 0) return usageError('eval-tcga takes exactly one CSV file (T14_test.csv)');
  const input = readInputFile(file);
  if (!input.ok) return usageError(input.message);
  const content = input.content;
  const reports = parseTcgaCsv(content);
  if (!reports.ok) return usageError(`${file}: ${reports.message}`);
  if (reports.reports.length === 0) return usageError(`${file}: no reports`);
  const outcomes: TcgaOutcome[] = reports.reports.map((report) => {
    const started = performance.now();
    try {
      const result = analyzeNote(report.text);
      const ms = performance.now() - started;
      // The engine turns an internal failure into a problem instead of throwing; it still counts as an error here.
      const failure = result.problems.find((p) => p.code === 'internal-error');
      const outcome: TcgaOutcome = {
        label: report.label,
        predicted: pathologicT(result.mentions, report.text),
        ms,
        chars: report.text.length,
      };
      if (failure) outcome.error = failure.message;
      return outcome;
    } catch (error) {
      const ms = performance.now() - started;
      return {
        label: report.label,
        predicted: undefined,
        ms,
        chars: report.text.length,
        error: error instanceof Error ? error.message : String(error),
      };
    }
  });
  const report = scoreTcga(outcomes);
  process.stdout.write(parsed.values.json ? `${JSON.stringify(report)}\n` : `${formatTcgaTable(report)}\n`);
  return 0;
}

function usageError(message: string): number {
  process.stderr.write(`cancerllm eval-tcga: ${message}\n`);
  return 2;
}
