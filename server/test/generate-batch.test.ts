// `cancerllm generate` in groups: a model that batches gets one job per group; a batch refused for one note's length
// is retried note by note, so only that note fails; a fault that leaves the model unusable fails the group at once.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { GenerationError } from '@cancerllm/model-runtime';
import { generateGroup } from '../src/cli/generate.ts';
import type { CliModel } from '../src/llm/cli-model.ts';
import { PromptLibrary, type TaskPrompt } from '../src/llm/prompts.ts';
import { DEFAULT_SETTINGS } from '../src/settings.ts';
import type { TextModel } from '../src/llm/text-model.ts';

const library = new PromptLibrary().get('');
if (!library.ok) throw new Error(library.message);
const prompts = library.prompts;

/** Answers "draft N" for the prompt naming note N; the batch job fails with `batchError` when given. */
function model(batchError?: Error): TextModel & { alone: number; batches: number } {
  const answer = (p: TaskPrompt) => `draft ${/note (\d)/.exec(p.kind === 'text' ? p.text : p.user)?.[1] ?? '?'}`;
  const m = {
    name: 'fake',
    alone: 0,
    batches: 0,
    async *complete(p: TaskPrompt) {
      m.alone++;
      if (/note 2/.test(p.kind === 'text' ? p.text : p.user)) throw new Error('the prompt needs too many tokens');
      yield answer(p);
    },
    async completeAll(ps: readonly TaskPrompt[]) {
      m.batches++;
      if (batchError) throw batchError;
      return ps.map(answer);
    },
    dispose: async () => {},
  };
  return m;
}

describe('generate in groups', () => {
  let dir: string;
  let files: string[];
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'cancerllm-generate-'));
    files = [1, 2, 3].map((n) => {
      const file = join(dir, `n${n}.note`);
      writeFileSync(file, `FINAL DIAGNOSIS:\nThis is note ${n}: adenocarcinoma.\n`);
      return file;
    });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const cli = (m: TextModel): CliModel => ({ model: m, prompts, settings: DEFAULT_SETTINGS, dispose: async () => {} });
  const brief = (lines: Awaited<ReturnType<typeof generateGroup>>) =>
    lines.map((l) => ('error' in l ? `error: ${l.error}` : l.text));

  test('a model that batches writes the group as one job, in order', async () => {
    const m = model();
    assert.deepEqual(brief(await generateGroup(files, 'diagnosis', cli(m))), ['draft 1', 'draft 2', 'draft 3']);
    assert.deepEqual([m.batches, m.alone], [1, 0]);
  });

  test('a refused batch runs note by note: only the note at fault fails', async () => {
    const m = model(new GenerationError('the prompt needs 9000 tokens', 'ContextLengthError'));
    assert.deepEqual(brief(await generateGroup(files, 'diagnosis', cli(m))), [
      'draft 1',
      'error: the prompt needs too many tokens',
      'draft 3',
    ]);
    assert.deepEqual([m.batches, m.alone], [1, 3]);
  });

  test('a fault that leaves the model unusable fails the group without running it again', async () => {
    const m = model(new GenerationError('the generation worker stopped', 'WorkerError'));
    const lines = brief(await generateGroup(files, 'diagnosis', cli(m)));
    assert.deepEqual(lines, files.map(() => 'error: the generation worker stopped'));
    assert.equal(m.alone, 0);
  });
});
