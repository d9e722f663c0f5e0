// `cancerllm eval <gold-dir>`: scores the rule engine against gold files; a table, or one JSON object with --json.
// --generated FILE also scores generated diagnoses/treatment plans against the gold references;
// `cancerllm eval --pairs FILE` scores {prediction, reference} pairs alone.
import { formatGenerationTable, scoreGeneratedAgainstGold, scorePairs, type GenerationReport } from '../evaluation/generation.ts';
import { loadGoldDirectory } from '../evaluation/gold.ts';
import { compareNote, scoreNotes, type NoteComparison } from '../evaluation/score.ts';
import { formatEvalTable } from '../evaluation/table.ts';
import { renderHtmlReport } from '../evaluation/html-report.ts';
import { writeFileAtomic } from '../files/atomic-write.ts';
import { MODEL_OPTIONS } from '../llm/cli-model.ts';
import { openBackendAnalyzer } from './backend.ts';
import { checkBackend, parseCommandOptions } from './options.ts';

export async function runEval(argv: readonly string[]): Promise<number> {
  const parsed = parseCommandOptions(argv, {
    backend: { type: 'string', default: 'rules' },
    json: { type: 'boolean', default: false },
    generated: { type: 'string' },
    pairs: { type: 'string' },
    report: { type: 'string' },
    ...MODEL_OPTIONS,
  });
  if (!parsed.ok) return usageError(parsed.message);
  const { values, positionals } = parsed;
  const json = values.json === true;
  if (typeof values.pairs === 'string') {
    if (positionals.length > 0) return usageError('--pairs takes no gold directory');
    const scored = scorePairs(values.pairs);
    if (!scored.ok) return usageError(scored.message);
    print(json ? JSON.stringify({ generation: scored.report }) : formatGenerationTable(scored.report));
    return 0;
  }
  const backendProblem = checkBackend(values.backend, true);
  if (backendProblem) return usageError(backendProblem);
  const [dir, ...extra] = positionals;
  if (!dir || extra.length > 0) return usageError('eval takes exactly one gold directory');

  const gold = loadGoldDirectory(dir);
  if (!gold.ok) return usageError(gold.message);
  let generation: GenerationReport | undefined;
  if (typeof values.generated === 'string') {
    const scored = scoreGeneratedAgainstGold(values.generated, gold.notes);
    if (!scored.ok) return usageError(scored.message);
    generation = scored.report;
  }
  const opened = await openBackendAnalyzer(values);
  if (!opened.ok) return usageError(opened.message);
  const comparisons: NoteComparison[] = [];
  try {
    for (const note of gold.notes) comparisons.push(compareNote(note.mentions, (await opened.analyzer.analyze(note.text)).mentions));
  } finally {
    await opened.analyzer.dispose();
  }
  const report = scoreNotes(comparisons);
  if (typeof values.report === 'string') {
    const html = renderHtmlReport({
      title: `cancerllm eval — ${dir}`,
      report,
      ...(generation ? { generation } : {}),
      notes: gold.notes.map((note, i) => ({ id: note.id, text: note.text, comparison: comparisons[i]! })),
    });
    try {
      writeFileAtomic(values.report, html);
    } catch (error) {
      return usageError(error instanceof Error ? error.message : String(error));
    }
    process.stderr.write(`cancerllm eval: wrote ${values.report}\n`);
  }
  if (json) print(JSON.stringify(generation ? { ...report, generation } : report));
  else print(generation ? `${formatEvalTable(report)}\n\n${formatGenerationTable(generation)}` : formatEvalTable(report));
  return 0;
}

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

function usageError(message: string): number {
  process.stderr.write(`cancerllm eval: ${message}\n`);
  return 2;
}
