// `cancerllm robustness <gold-dir>`: the CancerLLM paper's robustness study for a backend: lenient micro F1 on gold
// notes with misspelling and counterfactual perturbations at rates from 0 to 80%, a table, and a plot (SVG, and PNG
// where resvg loads). Seeded, so a run is reproducible.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadGoldDirectory } from '../evaluation/gold.ts';
import { collectDonors, perturbNote, type PerturbationKind } from '../evaluation/perturb.ts';
import { robustnessSvg, svgToPng, type RobustnessPoint } from '../evaluation/plot.ts';
import { seededRandom } from '../evaluation/random.ts';
import { compareNote, scoreNotes, type NoteComparison } from '../evaluation/score.ts';
import { writeFileAtomic } from '../files/atomic-write.ts';
import { renderHtmlReport, type NoteDetail } from '../evaluation/html-report.ts';
import { MODEL_OPTIONS } from '../llm/cli-model.ts';
import { openBackendAnalyzer } from './backend.ts';
import { checkBackend, parseCommandOptions } from './options.ts';

const KINDS: PerturbationKind[] = ['misspelling', 'counterfactual'];
const DEFAULT_RATES = [0, 0.1, 0.2, 0.4, 0.6, 0.8];

export async function runRobustness(argv: readonly string[]): Promise<number> {
  const parsed = parseCommandOptions(argv, {
    backend: { type: 'string', default: 'rules' },
    seed: { type: 'string', default: '1' },
    rates: { type: 'string' },
    out: { type: 'string', default: '.' },
    json: { type: 'boolean', default: false },
    report: { type: 'string' },
    ...MODEL_OPTIONS,
  });
  if (!parsed.ok) return usageError(parsed.message);
  const { values, positionals } = parsed;
  const backendProblem = checkBackend(values.backend, true);
  if (backendProblem) return usageError(backendProblem);
  const backend = typeof values.backend === 'string' ? values.backend : 'rules';
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) return usageError(`--seed must be a whole number (got ${String(values.seed)})`);
  const rates = typeof values.rates === 'string' ? values.rates.split(',').map(Number) : DEFAULT_RATES;
  if (rates.some((r) => !(r >= 0 && r <= 1))) return usageError('--rates must be comma-separated numbers from 0 to 1, e.g. 0,0.2,0.4');
  const [dir, ...extra] = positionals;
  if (!dir || extra.length > 0) return usageError('robustness takes exactly one gold directory');
  const gold = loadGoldDirectory(dir);
  if (!gold.ok) return usageError(gold.message);

  const opened = await openBackendAnalyzer(values);
  if (!opened.ok) return usageError(opened.message);
  const { analyzer } = opened;
  const donors = collectDonors(gold.notes);
  const points: RobustnessPoint[] = [];
  const unperturbed: NoteDetail[] = [];
  try {
    for (const kind of KINDS) {
      for (const rate of rates) {
        const random = seededRandom(seed * 1000 + Math.round(rate * 100) + (kind === 'misspelling' ? 0 : 500));
        const comparisons: NoteComparison[] = [];
        for (const note of gold.notes) {
          const perturbed = perturbNote(note, kind, rate, random, donors);
          comparisons.push(compareNote(perturbed.mentions, (await analyzer.analyze(perturbed.text)).mentions));
        }
        points.push({ backend, kind, rate, f1: scoreNotes(comparisons).micro.lenient.f1 });
      }
    }
    if (typeof values.report === 'string') {
      for (const note of gold.notes) unperturbed.push({ id: note.id, text: note.text, comparison: compareNote(note.mentions, (await analyzer.analyze(note.text)).mentions) });
    }
  } finally {
    await analyzer.dispose();
  }

  const outDir = String(values.out);
  mkdirSync(outDir, { recursive: true });
  const svg = await robustnessSvg(points, `Robustness on ${gold.notes.length} gold notes (seed ${seed})`);
  writeFileAtomic(join(outDir, 'robustness.svg'), svg);
  const png = svgToPng(svg);
  if ('png' in png) writeFileAtomic(join(outDir, 'robustness.png'), png.png);
  else process.stderr.write(`cancerllm robustness: PNG not written (${png.reason}); the SVG is\n`);
  if (typeof values.report === 'string') {
    writeFileAtomic(
      values.report,
      renderHtmlReport({ title: `cancerllm robustness — ${dir} (${backend}, seed ${seed})`, plotSvg: svg, robustnessTable: formatRobustnessTable(points, rates), notes: unperturbed }),
    );
  }
  writeFileSync(join(outDir, 'robustness.json'), `${JSON.stringify({ seed, notes: gold.notes.length, points }, null, 2)}\n`);
  if (values.json) process.stdout.write(`${JSON.stringify({ seed, notes: gold.notes.length, points })}\n`);
  else process.stdout.write(`${formatRobustnessTable(points, rates)}\nplot: ${join(outDir, 'robustness.svg')}${'png' in png ? ` and ${join(outDir, 'robustness.png')}` : ''}\n`);
  return 0;
}

export function formatRobustnessTable(points: readonly RobustnessPoint[], rates: readonly number[]): string {
  const header = `perturbation    ${rates.map((r) => `${Math.round(r * 100)}%`.padStart(6)).join('')}`;
  const rows = KINDS.map((kind) => `${kind.padEnd(15)} ${rates.map((rate) => (points.find((p) => p.kind === kind && p.rate === rate)?.f1 ?? NaN).toFixed(3).padStart(6)).join('')}`);
  return ['lenient micro F1 by perturbation rate', header, ...rows].join('\n');
}

function usageError(message: string): number {
  process.stderr.write(`cancerllm robustness: ${message}\n`);
  return 2;
}
