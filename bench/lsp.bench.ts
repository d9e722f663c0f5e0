// Keystroke-to-diagnostics latency over LSP: the built server in a child process, a 10,000-word note, one
// character typed per edit; the time from sending didChange to receiving that version's diagnostics.
// Run: npm run build && npm run bench:lsp. Debounce is 0 here, to measure the server's own latency; in the editor
// the debounce setting (default 250 ms) adds a deliberate wait after the last keystroke.
import { readFileSync, readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { LspSession, REPO_ROOT } from '../test/protocol/lsp-session.ts';

const EDITS = 200;
const WORDS = 10_000;

function tenThousandWordNote(): string {
  const dir = join(REPO_ROOT, 'samples');
  const base = readdirSync(dir)
    .map((name) => readFileSync(join(dir, name), 'utf8'))
    .join('\n');
  const parts: string[] = [];
  let words = 0;
  while (words < WORDS) {
    parts.push(base);
    words += base.split(/\s+/).filter(Boolean).length;
  }
  return parts.join('\n');
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const text = tenThousandWordNote();
const session = await LspSession.start({ settings: { analysis: { debounceMs: 0 } } });
const uri = 'file:///bench/ten-thousand-words.note';
await session.open(uri, text);
await session.diagnosticsFor(uri, 1);
const lines = text.split('\n').length;
const latencies: number[] = [];
let mentions = 0;
for (let version = 2; version <= EDITS + 1; version++) {
  const line = (version * 37) % lines;
  const sent = performance.now();
  await session.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version },
    contentChanges: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: 'x' }],
  });
  const published = await session.diagnosticsFor(uri, version);
  latencies.push(performance.now() - sent);
  mentions = published.diagnostics.length;
}
await session.stop();
latencies.sort((a, b) => a - b);
const words = text.split(/\s+/).filter(Boolean).length;
console.log(
  `keystroke-to-diagnostics over LSP (stdio), ${words} words / ${text.length} chars, ${mentions} diagnostics, ${EDITS} edits`,
);
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`);
console.log('| p50 ms | p95 ms | p99 ms | max ms |');
console.log('| ---: | ---: | ---: | ---: |');
console.log(`| ${[50, 95, 99, 100].map((p) => percentile(latencies, p).toFixed(1)).join(' | ')} |`);
