// Constrained decoding without a model: the JSON automaton accepts exactly the texts of its schema (and their
// prefixes), its closing cost is the length of a real shortest completion, and the token filter allows exactly the
// tokens whose text the automaton accepts, closing the JSON within any budget.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32 } from '../src/builder/weights.ts';
import { advance, advanceText, charsToClose, initialState, isComplete } from '../src/constrain/json-automaton.ts';
import { createTokenConstraint, JsonConstraint } from '../src/constrain/json-constraint.ts';
import { compileSchema, type JsonSchema, type Shape } from '../src/constrain/json-schema.ts';
import { TokenVocabulary } from '../src/constrain/token-vocabulary.ts';
import type { ChatTokenizer } from '../src/tokenizer.ts';
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

describe('a JSON output that cannot be closed is an error, never an end-of-sequence', () => {
  const EOS = 2;
  /** Single characters (as byte fallback gives) except `]`, and no piece holds one: such JSON can never close. */
  const withoutBracket = (): (string | undefined)[] => [
    undefined,
    undefined,
    undefined,
    ...Array.from({ length: 128 }, (_, c) => (String.fromCharCode(c) === ']' ? undefined : String.fromCharCode(c))),
    'tnm',
    'type',
    'text',
  ];
  /** A tokenizer over these texts, as TokenVocabulary.fromTokenizer reads one (an anchor token, then decode). */
  const tokenizerOf = (texts: readonly (string | undefined)[]): ChatTokenizer =>
    ({
      vocabSize: texts.length,
      encode: (text: string) => [texts.indexOf(text)],
      decode: (ids: readonly number[]) => ids.map((id) => texts[id] ?? '').join(''),
    }) as unknown as ChatTokenizer;

  test('a dead end (no token continues the JSON) allows nothing, and masking there throws', () => {
    const vocabulary = new TokenVocabulary(withoutBracket());
    const c = JsonConstraint.create({ kind: 'json', schema: MENTIONS }, vocabulary, [EOS]);
    for (const ch of '[{"type":"tnm","text":"x"}') c.accept(vocabulary.singleCharToken(ch) ?? assert.fail(ch));
    // with one token left only `]` would do (before, the stop token was let through here: invalid JSON, 'eos')
    assert.equal(c.charsToClose, 1);
    assert.deepEqual(c.allowedTokens(1), []);
    assert.throws(
      () => c.mask(new Float32Array(vocabulary.size), 1),
      /^Error: constrained decoding: no token of this vocabulary continues the JSON output$/,
    );
  });

  test('a tokenizer that cannot close the JSON is refused up front, naming the characters it lacks', () => {
    const texts = withoutBracket();
    assert.throws(
      () => createTokenConstraint({ kind: 'json', schema: MENTIONS }, tokenizerOf(texts), [EOS]),
      (e: unknown) =>
        e instanceof Error &&
        e.message ===
          'constrained (JSON) decoding cannot guarantee closed JSON with this tokenizer: it has no token of its own ' +
            'for "]"; send the request without a constraint',
    );
    // the same tokenizer with the bracket back is accepted
    texts[3 + ']'.charCodeAt(0)] = ']';
    assert.ok(createTokenConstraint({ kind: 'json', schema: MENTIONS }, tokenizerOf(texts), [EOS]).closable);
  });

  test('max new tokens below the shortest JSON of the schema is refused with what to allow', () => {
    const object = { type: 'object', properties: { a: { type: 'string', minLength: 3 } }, required: ['a'] } as const;
    const texts = withoutBracket();
    texts[3 + ']'.charCodeAt(0)] = ']';
    // the shortest is {"a":"aaa"}: 11 characters
    assert.throws(
      () => createTokenConstraint({ kind: 'json', schema: object }, tokenizerOf(texts), [EOS], 10),
      /^Error: maxNewTokens is 10, but the shortest JSON the constraint's schema allows has 11 characters, and closing it may take a token each; allow at least 11 new tokens$/,
    );
    assert.equal(
      createTokenConstraint({ kind: 'json', schema: object }, tokenizerOf(texts), [EOS], 11).charsToClose,
      11,
    );
  });

  test('masking with fewer tokens left than the close needs throws instead of ending early', () => {
    const vocabulary = syntheticVocabulary();
    const c = JsonConstraint.create({ kind: 'json', schema: MENTIONS }, vocabulary, [EOS]);
    for (const ch of '[{"type":"tnm","text":"x"') c.accept(vocabulary.singleCharToken(ch) ?? assert.fail(ch));
    assert.equal(c.charsToClose, 2);
    assert.doesNotThrow(() => c.mask(new Float32Array(vocabulary.size), 2));
    assert.throws(
      () => c.mask(new Float32Array(vocabulary.size), 1),
      /^Error: constrained decoding: the JSON output needs 2 more characters to close, but only 1 tokens are left/,
    );
  });
});
