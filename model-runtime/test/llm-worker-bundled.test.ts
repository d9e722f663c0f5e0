// In a CommonJS bundle (dist/server.js, dist/cli.js) import.meta is empty, so LlmWorker.open must be given the
// bundled worker's URL; opened without one, it fails with a message that names the missing script.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

test('a bundle opened without its worker script says which script is missing', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'llm-worker-bundle-'));
  try {
    const outfile = join(dir, 'bundle.cjs');
    buildSync({
      entryPoints: [new URL('../src/llm-worker.ts', import.meta.url).pathname],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile,
      external: ['onnxruntime-node'],
      logLevel: 'silent',
    });
    const { LlmWorker } = createRequire(import.meta.url)(outfile) as typeof import('../src/llm-worker.ts');
    await assert.rejects(LlmWorker.open(dir), /generation worker script \(llm-worker\.mjs\) was not found/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
