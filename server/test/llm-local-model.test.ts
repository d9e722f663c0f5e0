// The local model backend with a tiny random-weights model: JSON extraction is constrained while decoding (so even
// a model that writes noise answers with parseable JSON of the mention shape), free-text tasks are not, and with
// the decode loop (which samples inside its graph) extraction falls back to free generation and defensive parsing.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { LocalModel } from '../src/llm/local-model.ts';
import { mentionClaims, parseJsonOutput } from '../src/llm/model-output.ts';
import { PromptLibrary } from '../src/llm/prompts.ts';
import { MENTION_LIST_SCHEMA, extractSection } from '../src/llm/section-extraction.ts';
import { completeText, type TextModel } from '../src/llm/text-model.ts';
import { buildTinyModel } from '../../test/llm/tiny-model.ts';

const prompts = new PromptLibrary().get('');
if (!prompts.ok) throw new Error(prompts.message);
const NOTE = 'FINAL DIAGNOSIS:\nInvasive ductal carcinoma of the left breast, 2.5 cm. ER positive.\n';
const section = { start: 0, end: NOTE.length };

describe('LocalModel', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'cancerllm-local-'));
    buildTinyModel(dir, 7);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function open(strategy: 'steps' | 'loop'): Promise<LocalModel> {
    const opened = await LocalModel.open(dir, { executionProvider: 'cpu', threads: 1, strategy });
    if (!opened.ok) assert.fail(opened.message);
    return opened.model;
  }

  test('JSON extraction is constrained: every answer item is a valid claim', async () => {
    const model = await open('steps');
    try {
      assert.equal(model.constrains, true);
      const found = await extractSection(model, prompts.prompts, 'chat', NOTE, section, new AbortController().signal);
      // a random model's claims rarely name words of the note, but none is malformed
      assert.equal(found.invalid, 0);
      assert.equal(found.promptId, 'phenotype-json@1');
    } finally {
      await model.dispose();
    }
  });

  test('the raw answer of a constrained completion is JSON of the mention shape', async () => {
    const model = await open('steps');
    try {
      const text = await completeText(
        model,
        { kind: 'chat', user: 'List the phenotypes.' },
        { maxNewTokens: 64, json: MENTION_LIST_SCHEMA },
        new AbortController().signal,
      );
      const parsed: unknown = JSON.parse(text);
      assert.ok(Array.isArray(parsed), text);
      assert.equal(mentionClaims(parsed).invalid, 0, text);
    } finally {
      await model.dispose();
    }
  });

  test('free-text tasks are not constrained', async () => {
    const model = await open('steps');
    try {
      const text = await completeText(
        model,
        { kind: 'chat', user: 'Summarize the note.' },
        { maxNewTokens: 48 },
        new AbortController().signal,
      );
      assert.equal(parseJsonOutput(text), undefined, text);
    } finally {
      await model.dispose();
    }
  });

  test('CancerLLM questions as one batch in the worker answer as one at a time', async () => {
    const model = await open('steps');
    try {
      const oneByOne: TextModel = { name: model.name, complete: model.complete.bind(model), dispose: async () => {} };
      const signal = new AbortController().signal;
      const batched = await extractSection(model, prompts.prompts, 'alpaca', NOTE, section, signal);
      const alone = await extractSection(oneByOne, prompts.prompts, 'alpaca', NOTE, section, signal);
      assert.deepEqual(batched, alone);
      const questions = [...prompts.prompts.questions.values()].slice(0, 4).map((question) => {
        const rendered = prompts.prompts.render('extraction', 'alpaca', { context: NOTE, question });
        return rendered?.prompt ?? assert.fail('no alpaca extraction prompt');
      });
      const options = { maxNewTokens: 12 };
      const answers = await model.completeAll(questions, options, signal);
      assert.equal(answers.length, 4);
      for (let i = 0; i < questions.length; i++)
        assert.equal(answers[i], await completeText(oneByOne, questions[i]!, options, signal), `question ${i}`);
    } finally {
      await model.dispose();
    }
  });

  test('with the decode loop the answer is generated freely and parsed defensively', async () => {
    const model = await open('loop');
    try {
      assert.equal(model.constrains, false);
      const found = await extractSection(model, prompts.prompts, 'chat', NOTE, section, new AbortController().signal);
      // the random model writes no JSON at all: one invalid answer, and no error
      assert.equal(found.invalid, 1);
      assert.deepEqual(found.mentions, []);
    } finally {
      await model.dispose();
    }
  });
});
