// Constrained decoding without a model: the JSON automaton accepts exactly the texts of its schema (and their
// prefixes), its closing cost is the length of a real shortest completion, and the token filter allows exactly the
// tokens whose text the automaton accepts, closing the JSON within any budget.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32 } from '../src/builder/weights.ts';
import { advance, advanceText, charsToClose, initialState, isComplete } from '../src/constrain/json-automaton.ts';
import { JsonConstraint } from '../src/constrain/json-constraint.ts';
import { compileSchema, type JsonSchema, type Shape } from '../src/constrain/json-schema.ts';
import { TokenVocabulary } from '../src/constrain/token-vocabulary.ts';
import { MENTIONS, isMentionList } from './mention-schema.ts';

function compiled(schema: JsonSchema): Shape {
  const r = compileSchema(schema);
  if (!r.ok) assert.fail(r.message);
  return r.shape;
}

const shape = compiled(MENTIONS);
const WS = 8;
const accepts = (text: string): boolean => advanceText(initialState(shape), text, WS) !== undefined;
const completes = (text: string): boolean => {
  const s = advanceText(initialState(shape), text, WS);
  return s !== undefined && isComplete(s);
};

describe('JSON automaton', () => {
  const valid = [
    '[]',
    ' [ ] ',
    '[{"type":"tnm","text":"pT2 N1a"}]',
    '[{"type": "histology", "text": "invasive ductal carcinoma", "assertion": "present"}]',
    '[\n  {\n    "text": "left",\n    "type": "laterality"\n  },\n  {"assertion":"negated","type":"grade","text":"G2"}\n]',
    '[{"type":"tumor_size","text":"2.3 \\"x\\" 1.8 cm \\u00b5 \\\\ \\n"}]',
    '[{"type":"primary_site","text":"sein gauche, quadrant supéro-externe"}]',
  ];
  for (const text of valid.map((t) => t.trimEnd())) {
    test(`accepts and completes ${JSON.stringify(text).slice(0, 60)}`, () => {
      assert.ok(isMentionList(JSON.parse(text)), 'the fixture itself has the shape');
      assert.ok(completes(text));
      for (let i = 0; i < text.length; i++) assert.ok(accepts(text.slice(0, i)), `prefix of length ${i}`);
    });
  }

  const invalid: [string, string][] = [
    ['an object at the root', '{'],
    ['an unknown type', '[{"type":"tumou'],
    ['an unknown key', '[{"v'],
    ['a key twice', '[{"type":"tnm","ty'],
    ['a missing required key', '[{"type":"tnm"}'],
    ['an empty text', '[{"type":"tnm","text":""'],
    ['a text over maxLength', `[{"type":"tnm","text":"${'x'.repeat(41)}`],
    ['a raw newline in a string', '[{"type":"tnm","text":"a\n'],
    ['a bad escape', '[{"type":"tnm","text":"\\x'],
    ['a short \\u escape', '[{"type":"tnm","text":"\\u12"'],
    ['a trailing comma', '[{"type":"tnm","text":"T2"},]'],
    ['a comma after the last key', '[{"type":"tnm","text":"T2","assertion":"present",'],
    ['single quotes', "[{'"],
    ['a number value', '[{"type":1'],
    ['text after the end', '[] '],
    ['a second value', '[]['],
    ['too much whitespace', `[${' '.repeat(9)}`],
  ];
  for (const [what, text] of invalid) {
    test(`rejects ${what}`, () => {
      assert.ok(!accepts(text));
      // every proper prefix is fine: the last character is the one rejected
      assert.ok(accepts(text.slice(0, -1)));
    });
  }

  test('charsToClose characters, each one shortening it, complete the JSON', () => {
    const prefixes = ['', '[', '[{', '[{"ty', '[{"type":"t', '[{"type":"tnm",', '[{"text":"\\u0', '[{"assertion":"neg'];
    for (const prefix of prefixes) {
      let s = advanceText(initialState(shape), prefix, WS) ?? assert.fail(prefix);
      const cost = charsToClose(s);
      let text = prefix;
      // each step some printable character brings the close one nearer
      for (let n = cost; n > 0; n--) {
        let moved = false;
        for (let c = 0x20; c < 0x7f && !moved; c++) {
          const next = advance(s, c, WS);
          if (next && charsToClose(next) === n - 1) {
            s = next;
            text += String.fromCharCode(c);
            moved = true;
          }
        }
        assert.ok(moved, `no character shortens the close of ${JSON.stringify(text)}`);
      }
      assert.ok(isComplete(s), text);
      assert.equal(text.length - prefix.length, cost);
      assert.ok(isMentionList(JSON.parse(text)), text);
    }
  });

  test('unsupported schemas are refused with the path of the problem', () => {
    assert.deepEqual(compileSchema({ type: 'number' }), {
      ok: false,
      message: '$: type must be "string", "array" or "object"',
    });
    const r = compileSchema({
      type: 'array',
      items: { type: 'object', properties: { a: { type: 'string', enum: ['x"y'] } } },
    });
    assert.ok(
      !r.ok && r.message === '$.items.properties.a.enum: "x\\"y" would need escaping in JSON',
      JSON.stringify(r),
    );
  });
});

/**
 * A vocabulary shaped like a SentencePiece one: single characters (as byte fallback gives), words with a leading
 * space, and JSON pieces (some with quotes, escapes or a newline inside).
 */
function syntheticVocabulary(): TokenVocabulary {
  const texts: (string | undefined)[] = [undefined, undefined, undefined]; // <unk> <s> </s>
  for (let c = 0; c < 128; c++) texts.push(String.fromCharCode(c));
  const pieces = [
    '[{"',
    '"}',
    '"},',
    '":"',
    '", "',
    '":',
    '"}]',
    ' "',
    '{"',
    '},',
    '}]',
    '  ',
    '\n',
    '\n  ',
    '\n    ',
    'type',
    'text',
    'assertion',
    'tnm',
    'histology',
    'present',
    'negated',
    'grade',
    ' carcinoma',
    ' invasive',
    ' ductal',
    'pT2',
    ' N1a',
    'left',
    ' breast',
    '\\"',
    '\\n',
    '\\u00',
    'é',
    '—',
    'µm',
    'x"y',
    'a\nb',
  ];
  for (const p of pieces) texts.push(p);
  for (let i = 0; i < 200; i++) texts.push(`▁word${i}`.replace('▁', ' '));
  return new TokenVocabulary(texts);
}

describe('JSON token constraint', () => {
  const vocabulary = syntheticVocabulary();
  const EOS = 2;

  /** The reference: a token is allowed when its whole text is accepted and leaves a close that fits the budget. */
  function bruteForce(prefix: string, budget: number): number[] {
    const s = advanceText(initialState(shape), prefix, WS) ?? assert.fail(prefix);
    if (isComplete(s)) return [EOS];
    const limit = Math.max(budget, charsToClose(s)) - 1;
    const ids: number[] = [];
    vocabulary.texts.forEach((text, id) => {
      const next = text ? advanceText(s, text, WS) : undefined;
      if (next && charsToClose(next) <= limit) ids.push(id);
    });
    return ids;
  }

  function constraintAfter(prefix: string): JsonConstraint {
    const c = JsonConstraint.create({ kind: 'json', schema: MENTIONS }, vocabulary, [EOS]);
    for (const ch of prefix) c.accept(vocabulary.singleCharToken(ch) ?? assert.fail(ch));
    return c;
  }

  test('allows exactly the tokens whose text continues the JSON, in every kind of state', () => {
    const prefixes = [
      '',
      '[',
      '[ ',
      '[{',
      '[{"',
      '[{"t',
      '[{"text":"',
      '[{"text":"ab',
      '[{"text":"a\\',
      '[{"type":"tnm"',
      '[{"type":"tnm",',
      '[{"type":"tnm","text":"x"}',
      '[]',
    ];
    for (const prefix of prefixes)
      for (const budget of [1000, 40, 12, 3])
        assert.deepEqual(
          constraintAfter(prefix)
            .allowedTokens(budget)
            .sort((a, b) => a - b),
          bruteForce(prefix, budget),
          `${JSON.stringify(prefix)} with budget ${budget}`,
        );
  });

  test('the end-of-sequence token is allowed only once the JSON is complete', () => {
    assert.ok(!constraintAfter('[{"type":"tnm","text":"x"}').allowedTokens(100).includes(EOS));
    assert.deepEqual(constraintAfter('[]').allowedTokens(100), [EOS]);
    assert.ok(constraintAfter('[]').complete);
  });

  test('masking leaves allowed logits as they were and the rest at -Infinity', () => {
    const c = constraintAfter('[{"type":"t');
    const logits = Float32Array.from({ length: vocabulary.size }, (_, i) => i / 10);
    const masked = c.mask(logits, 100);
    const allowed = new Set(c.allowedTokens(100));
    masked.forEach((v, i) => assert.equal(v, allowed.has(i) ? logits[i] : -Infinity));
  });

  test('random walks over allowed tokens always end in JSON of the shape within the budget', () => {
    const c0 = JsonConstraint.create({ kind: 'json', schema: MENTIONS }, vocabulary, [EOS]);
    assert.ok(c0.closable);
    for (let seed = 1; seed <= 60; seed++) {
      const random = mulberry32(seed);
      const budget = 3 + Math.floor(random() * 80);
      const c = JsonConstraint.create({ kind: 'json', schema: MENTIONS }, vocabulary, [EOS]);
      let text = '';
      let used = 0;
      while (!c.complete) {
        const allowed = c.allowedTokens(budget - used);
        assert.ok(!allowed.includes(EOS), `eos before the end: ${text}`);
        const token = allowed[Math.floor(random() * allowed.length)] ?? assert.fail();
        c.accept(token);
        text += vocabulary.texts[token];
        used++;
      }
      assert.ok(used <= budget, `seed ${seed}: ${used} tokens for a budget of ${budget}: ${text}`);
      assert.ok(isMentionList(JSON.parse(text)), text);
    }
  });

  test('a token the filter did not allow is refused', () => {
    const c = constraintAfter('[');
    assert.throws(() => c.accept(vocabulary.singleCharToken('x') ?? 0), /does not continue the constrained JSON/);
  });
});
