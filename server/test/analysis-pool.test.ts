import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnalysisPool, NOTES_PER_WORKER } from '../src/batch/pool.ts';

/**
 * A stand-in for dist/analysis-worker.js: answers each note with a problem naming the note and how many notes it
 * held when that note arrived; "fail" gets an error reply, "crash" ends the worker with an uncaught error.
 */
const STAND_IN = `
const { parentPort } = require('node:worker_threads');
let holding = 0;
parentPort.on('message', (request) => {
  holding++;
  const heldOnArrival = holding;
  if (request.text === 'crash') throw new Error('worker crashed');
  setTimeout(() => {
    holding--;
    if (request.text === 'fail') parentPort.postMessage({ id: request.id, error: 'RangeError' });
    else parentPort.postMessage({ id: request.id, result: { mentions: [], problems: [{ code: request.text, message: String(heldOnArrival) }] } });
  }, 5);
});
`;

function withStandIn(run: (script: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pool-'));
  const script = join(dir, 'worker.cjs');
  writeFileSync(script, STAND_IN);
  return run(script).finally(() => rmSync(dir, { recursive: true, force: true }));
}

test('each note gets its own answer, and a worker holds its next note while it works on one', { timeout: 20_000 }, () =>
  withStandIn(async (script) => {
    const pool = new AnalysisPool(script, 2);
    try {
      const notes = Array.from({ length: 12 }, (_, i) => `note ${i}`);
      const results = await Promise.all(notes.map((note) => pool.analyze(note)));
      assert.deepEqual(
        results.map((r) => r.problems[0]!.code),
        notes,
      );
      const held = results.map((r) => Number(r.problems[0]!.message));
      assert.ok(Math.max(...held) <= NOTES_PER_WORKER, `a worker held ${Math.max(...held)} notes`);
      assert.ok(held.includes(NOTES_PER_WORKER), 'notes were handed over before the previous one was answered');
    } finally {
      await pool.close();
    }
  }),
);

test('an error reply fails only its note', { timeout: 20_000 }, () =>
  withStandIn(async (script) => {
    const pool = new AnalysisPool(script, 1);
    try {
      const settled = await Promise.allSettled(['a', 'fail', 'b'].map((note) => pool.analyze(note)));
      assert.deepEqual(
        settled.map((s) => s.status),
        ['fulfilled', 'rejected', 'fulfilled'],
      );
      assert.match(String((settled[1] as PromiseRejectedResult).reason), /analysis failed: RangeError/);
    } finally {
      await pool.close();
    }
  }),
);

test(
  'when the last worker dies, the notes it held and the queued ones fail instead of waiting forever',
  { timeout: 20_000 },
  () =>
    withStandIn(async (script) => {
      const pool = new AnalysisPool(script, 1);
      try {
        const settled = await Promise.allSettled(['crash', 'a', 'b', 'c'].map((note) => pool.analyze(note)));
        assert.deepEqual(
          settled.map((s) => s.status),
          ['rejected', 'rejected', 'rejected', 'rejected'],
        );
        assert.match(String((settled[3] as PromiseRejectedResult).reason), /no analysis worker is left/);
      } finally {
        await pool.close();
      }
    }),
);
