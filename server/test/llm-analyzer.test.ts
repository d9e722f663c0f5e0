// The LLM analyzer: rule mentions at once, model mentions per section after the idle delay (cached by section
// content), answers aligned to spans, merged with the rule engine's mentions; section extraction in both prompt styles.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RuleAnalyzer } from '../src/analyzer.ts';
import { DEFAULT_SETTINGS, type NoteSettings } from '../src/settings.ts';
import { LlmAnalyzer, merge } from '../src/llm/llm-analyzer.ts';
import { ModelHost } from '../src/llm/model-host.ts';
import { PromptLibrary, type TaskPrompt } from '../src/llm/prompts.ts';
import { extractSection } from '../src/llm/section-extraction.ts';
import type { CompletionOptions, TextModel } from '../src/llm/text-model.ts';
import type { AnnotatedMention } from '@cancerllm/protocol';
import { GenerationError } from '@cancerllm/model-runtime';

/** Answers CancerLLM-style questions from a table keyed by the question noun; counts calls. */
function questionModel(answers: Record<string, string>): TextModel & { calls: number } {
  const model = {
    name: 'cancerllm-test',
    calls: 0,
    async *complete(prompt: TaskPrompt) {
      model.calls++;
      const text = prompt.kind === 'text' ? prompt.text : prompt.user;
      const noun = /What is the (.+) in the given context\?/.exec(text)?.[1] ?? '';
      yield answers[noun] ?? 'none';
    },
    dispose: async () => {},
  };
  return model;
}

function jsonModel(output: string): TextModel {
  return {
    name: 'instruct',
    async *complete() {
      yield output;
    },
    dispose: async () => {},
  };
}

const prompts = new PromptLibrary().get('');
if (!prompts.ok) throw new Error(prompts.message);

const NOTE = 'FINAL DIAGNOSIS:\nInvasive ductal carcinoma of the left breast, 2.5 cm. ER positive.\n';

const brief = (mentions: readonly AnnotatedMention[]) =>
  mentions.map((m) => `${m.type} "${m.text}" ${m.provenance?.source ?? ''}`.trim());

describe('extractSection', () => {
  test('CancerLLM questions: each answer becomes a span; "none" is skipped; unfound answers are counted', async () => {
    const model = questionModel({
      'tumor size': '2.5 cm',
      'histology of the tumor': 'invasive ductal carcinoma',
      'TNM stage': 'pT2 N0',
    });
    const found = await extractSection(
      model,
      prompts.prompts,
      'alpaca',
      NOTE,
      { start: 0, end: NOTE.length },
      new AbortController().signal,
    );
    assert.deepEqual(brief(found.mentions), [
      'histology "Invasive ductal carcinoma" cancerllm-test',
      'tumor_size "2.5 cm" cancerllm-test',
    ]);
    assert.equal(found.unaligned, 1);
    assert.equal(found.promptId, 'phenotype-question@1');
    assert.equal(model.calls, 17);
  });

  test('a model that batches gets the questions of a section as one job, with the same mentions as one by one', async () => {
    const answers = { 'tumor size': '2.5 cm', 'histology of the tumor': 'invasive ductal carcinoma' };
    const single = questionModel(answers);
    const batches: number[] = [];
    const batching = Object.assign(questionModel(answers), {
      async completeAll(asked: readonly TaskPrompt[], options: CompletionOptions, signal: AbortSignal) {
        batches.push(asked.length);
        const out: string[] = [];
        for (const prompt of asked) for await (const piece of single.complete(prompt, options, signal)) out.push(piece);
        return out;
      },
    });
    const span = { start: 0, end: NOTE.length };
    const signal = new AbortController().signal;
    const alone = await extractSection(questionModel(answers), prompts.prompts, 'alpaca', NOTE, span, signal);
    const batched = await extractSection(batching, prompts.prompts, 'alpaca', NOTE, span, signal);
    assert.deepEqual(batches, [17]);
    assert.equal(batching.calls, 0, 'a batching model is not asked one question at a time');
    assert.deepEqual(batched, alone);
    assert.deepEqual(brief(batched.mentions), [
      'histology "Invasive ductal carcinoma" cancerllm-test',
      'tumor_size "2.5 cm" cancerllm-test',
    ]);
  });

  test('an aborted batch ends the section with an abort, not with partial mentions', async () => {
    const controller = new AbortController();
    const batching: TextModel = {
      ...questionModel({}),
      async completeAll(asked) {
        controller.abort();
        return asked.map(() => '2.5 cm');
      },
    };
    await assert.rejects(
      extractSection(batching, prompts.prompts, 'alpaca', NOTE, { start: 0, end: NOTE.length }, controller.signal),
      { name: 'AbortError' },
    );
  });

  test('JSON answers from an instruct model, fenced and with prose, are parsed and aligned', async () => {
    const output =
      'Sure!\n```json\n[{"type": "laterality", "text": "left"}, {"type": "receptor_status", "text": "ER positive"}, {"type": "nope", "text": "x"}]\n```';
    const found = await extractSection(
      jsonModel(output),
      prompts.prompts,
      'chat',
      NOTE,
      { start: 0, end: NOTE.length },
      new AbortController().signal,
    );
    assert.deepEqual(brief(found.mentions), ['laterality "left" instruct', 'receptor_status "ER positive" instruct']);
    assert.deepEqual([found.invalid, found.unaligned, found.promptId], [1, 0, 'phenotype-json@1']);
  });
});

describe('merge', () => {
  const rule: AnnotatedMention = {
    start: 0,
    end: 6,
    text: '2.5 cm',
    type: 'tumor_size',
    value: { mm: 25 },
    assertion: 'present',
    provenance: { source: 'rules' },
  };
  const model: AnnotatedMention = {
    start: 0,
    end: 6,
    text: '2.5 cm',
    type: 'tumor_size',
    value: {},
    assertion: 'present',
    provenance: { source: 'm' },
  };
  const extra: AnnotatedMention = {
    start: 10,
    end: 14,
    text: 'left',
    type: 'laterality',
    value: {},
    assertion: 'present',
    provenance: { source: 'm' },
  };

  test('both: rule mentions stay, duplicates from the model go, new ones are added', () => {
    assert.deepEqual(merge([rule], [model, extra], true), [rule, extra]);
  });

  test('llm: model mentions only, with the value of an overlapping rule mention', () => {
    assert.deepEqual(merge([rule], [model, extra], false), [{ ...model, value: { mm: 25 } }, extra]);
  });
});

describe('LlmAnalyzer', () => {
  const settings = (analyzer: NoteSettings['analyzer']): NoteSettings => ({
    ...DEFAULT_SETTINGS,
    analyzer,
    model: { ...DEFAULT_SETTINGS.model, path: '/m' },
  });

  function setup(analyzer: NoteSettings['analyzer']) {
    const model = questionModel({ 'laterality of the tumor': 'left' });
    const host = new ModelHost(async () => ({ ok: true, model: model as never }));
    let extracted!: () => void;
    const ready = new Promise<void>((resolve) => (extracted = resolve));
    const llm = new LlmAnalyzer(new RuleAnalyzer(), host, { onExtracted: () => extracted(), log: () => {} }, 10);
    llm.configure(settings(analyzer));
    return { llm, model, ready };
  }

  test('rules (the default) never touches the model', async () => {
    const { llm, model } = setup('rules');
    const result = await llm.analyze(NOTE, new AbortController().signal);
    assert.ok(result.mentions.length > 0);
    assert.equal(llm.name, 'rules');
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(model.calls, 0);
  });

  test('both: rule mentions first; after idle the model mentions are merged in; a second run uses the cache', async () => {
    const { llm, model, ready } = setup('both');
    const first = await llm.analyze(NOTE, new AbortController().signal);
    assert.ok(first.mentions.every((m) => m.provenance?.source === 'rules'));
    await ready;
    const calls = model.calls;
    const second = await llm.analyze(NOTE, new AbortController().signal);
    const lateralities = second.mentions.filter((m) => m.type === 'laterality');
    assert.equal(lateralities.length, 1, 'the model\'s "left" duplicates the rule mention and is dropped');
    assert.equal(llm.name, 'rules + cancerllm-test');
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(model.calls, calls, 'cached by section content: no new model calls');
  });

  test('llm: only model mentions, normalized by the overlapping rule mention', async () => {
    const { llm, ready } = setup('llm');
    await llm.analyze(NOTE, new AbortController().signal);
    await ready;
    const result = await llm.analyze(NOTE, new AbortController().signal);
    assert.deepEqual(
      result.mentions.map((m) => [m.type, m.text, m.value, m.provenance?.source]),
      [['laterality', 'left', { laterality: 'left' }, 'cancerllm-test']],
    );
  });
});

describe('one model, user first', () => {
  test('a draft request abandons background extraction, which resumes when the user is idle again', async () => {
    let calls = 0;
    let blockFirst = true;
    const model: TextModel = {
      name: 'slow',
      async *complete(_prompt, _options, signal) {
        calls++;
        if (blockFirst) {
          blockFirst = false;
          await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
          return;
        }
        yield 'none';
      },
      dispose: async () => {},
    };
    const host = new ModelHost(async () => ({ ok: true, model: model as never }));
    let extracted!: () => void;
    const done = new Promise<void>((resolve) => (extracted = resolve));
    const llm = new LlmAnalyzer(new RuleAnalyzer(), host, { onExtracted: () => extracted(), log: () => {} }, 10);
    llm.configure({ ...DEFAULT_SETTINGS, analyzer: 'llm', model: { ...DEFAULT_SETTINGS.model, path: '/m' } });
    await llm.analyze(NOTE, new AbortController().signal);
    while (calls === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    let userRan = false;
    await host.asUserWork(async () => {
      userRan = true;
    });
    await done;
    assert.ok(userRan);
    assert.equal(calls, 1 + 17, 'the abandoned question, then all 17 questions of the requeued section');
  });
});

describe('privacy of the LLM analyzer log', () => {
  test('dropped answers are counted in the log without note or answer text', async () => {
    const model = questionModel({ 'tumor size': 'a 9 cm mass in the pancreas', 'TNM stage': 'ypT4b' });
    const logs: string[] = [];
    let extracted!: () => void;
    const done = new Promise<void>((resolve) => (extracted = resolve));
    const host = new ModelHost(async () => ({ ok: true, model: model as never }));
    const llm = new LlmAnalyzer(
      new RuleAnalyzer(),
      host,
      { onExtracted: () => extracted(), log: (m) => logs.push(m) },
      10,
    );
    llm.configure({ ...DEFAULT_SETTINGS, analyzer: 'both', model: { ...DEFAULT_SETTINGS.model, path: '/m' } });
    await llm.analyze(NOTE, new AbortController().signal);
    await done;
    assert.deepEqual(logs, [
      'CancerLLM: cancerllm-test (phenotype-question@1): 2 answers not found in the note and 0 invalid items were dropped for one section.',
    ]);
  });
});

describe('a model fault during background extraction', () => {
  const TWO_SECTIONS =
    'HISTORY:\nMass in the left breast.\n\nFINAL DIAGNOSIS:\nInvasive ductal carcinoma, left breast.\n';
  const signal = new AbortController().signal;

  /** Polls until `done` holds (each drain runs on its own; the test sees only its effects). */
  async function until(done: () => boolean, what: string): Promise<void> {
    for (let waited = 0; !done(); waited += 5) {
      if (waited > 5000) assert.fail(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  test('a dead worker: no section is dropped, and the next drain opens the model again', async () => {
    let deadCalls = 0;
    const dead: TextModel = {
      name: 'cancerllm-test',
      async *complete() {
        deadCalls++;
        throw new GenerationError('the generation worker exited unexpectedly (code 1)', 'WorkerError');
      },
      dispose: async () => {},
    };
    const fresh = questionModel({ 'laterality of the tumor': 'left' });
    const models = [dead, fresh];
    let opens = 0;
    const host = new ModelHost(async () => ({ ok: true, model: models[opens++] as never }));
    const logs: string[] = [];
    let extracted = 0;
    const llm = new LlmAnalyzer(
      new RuleAnalyzer(),
      host,
      { onExtracted: () => extracted++, log: (m) => logs.push(m) },
      60_000, // no idle drain: the test drains with flush()
    );
    llm.configure({ ...DEFAULT_SETTINGS, analyzer: 'llm', model: { ...DEFAULT_SETTINGS.model, path: '/m' } });
    try {
      await llm.analyze(TWO_SECTIONS, signal);
      llm.flush();
      await until(() => logs.length > 0, 'the fault to be logged');
      assert.deepEqual(logs, ['CancerLLM: LLM extraction stopped: the generation worker exited unexpectedly (code 1)']);
      assert.deepEqual([deadCalls, extracted, opens], [1, 0, 1]);

      llm.flush();
      await until(() => extracted === 2, 'both sections from the reopened model');
      assert.equal(opens, 2);
      const result = await llm.analyze(TWO_SECTIONS, signal);
      assert.deepEqual(
        result.mentions.map((m) => [m.type, m.text, m.provenance?.source]),
        [
          ['laterality', 'left', 'cancerllm-test'],
          ['laterality', 'left', 'cancerllm-test'],
        ],
      );
    } finally {
      llm.dispose();
    }
  });

  test('a fatal GPU error: the sections wait, and the next drain reports why no model can run', async () => {
    const fatal = new GenerationError(
      'The GPU reported a fatal error while generating (CUDA failure 719: unspecified launch failure). …',
      'FatalDeviceError',
      'CUDA failure 719: unspecified launch failure',
    );
    const broken: TextModel = {
      name: 'cancerllm-test',
      async *complete() {
        throw fatal;
      },
      dispose: async () => {},
    };
    let opens = 0;
    const host = new ModelHost(async () => (opens++, { ok: true, model: broken as never }));
    const logs: string[] = [];
    const unavailable: string[] = [];
    const llm = new LlmAnalyzer(
      new RuleAnalyzer(),
      host,
      { onExtracted: () => {}, log: (m) => logs.push(m), unavailable: (m) => unavailable.push(m) },
      60_000,
    );
    llm.configure({ ...DEFAULT_SETTINGS, analyzer: 'both', model: { ...DEFAULT_SETTINGS.model, path: '/m' } });
    try {
      await llm.analyze(TWO_SECTIONS, signal);
      llm.flush();
      await until(() => logs.length > 0, 'the fault to be logged');
      llm.flush();
      await until(() => unavailable.length > 0, 'the host to say why no model can run');
      assert.equal(opens, 1, 'not opened again in this process');
      assert.match(
        unavailable[0] ?? '',
        /^cancerllm\.analyzer is "both" but no model can run: The GPU reported a fatal error \(CUDA failure 719: unspecified launch failure\)\. The rule engine keeps annotating\. Restart the CancerLLM language server/,
      );
    } finally {
      llm.dispose();
    }
  });
});
