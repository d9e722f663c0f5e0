// The tokenizer round-trips text through @huggingface/tokenizers and renders the chat template with jinja.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChatTokenizer } from '../src/tokenizer.ts';
import { trainTinyTokenizer } from '../src/builder/tiny-tokenizer.ts';

function tiny(): ChatTokenizer {
  const files = trainTinyTokenizer(512);
  const r = ChatTokenizer.create(files.tokenizerJson, files.tokenizerConfig);
  if (!r.ok) assert.fail(r.message);
  return r.tokenizer;
}

test('encode then decode gives the text back, including characters only byte fallback can spell', () => {
  const t = tiny();
  const text = 'Invasive ductal carcinoma, ER+ HER2-negative; Ωmega ✓ 2.5 cm.';
  const ids = t.encode(text);
  assert.equal(ids[0], 1, 'starts with <s>');
  assert.equal(t.decode(ids), text);
});

test('the vocabulary is exactly the requested size', () => {
  assert.equal(tiny().vocabSize, 512);
});

test('the Mistral chat template renders [INST] turns', () => {
  const prompt = tiny().applyChatTemplate([
    { role: 'user', content: 'Summarize the pathology report.' },
    { role: 'assistant', content: 'Invasive ductal carcinoma.' },
    { role: 'user', content: 'What stage?' },
  ]);
  assert.equal(
    prompt,
    '<s>[INST] Summarize the pathology report. [/INST]Invasive ductal carcinoma.</s>[INST] What stage? [/INST]',
  );
});

test('a chat prompt encodes [INST] as one special token and adds no second <s>', () => {
  const t = tiny();
  const ids = t.encodeChat([{ role: 'user', content: 'What stage?' }]);
  assert.deepEqual(ids.slice(0, 2), [1, t.tokenId('[INST]')]);
  assert.equal(ids.filter((id) => id === 1).length, 1);
});

test('the template rejects a conversation it does not support, with its own message', () => {
  assert.throws(
    () => tiny().applyChatTemplate([{ role: 'assistant', content: 'Hi' }]),
    /Conversation roles must alternate/,
  );
});
