// Clinical text wraps lines mid-sentence, at whatever width the writer's editor had. A note wrapped anew must keep
// the mentions it had: same spans, values and assertions. Checked on the gold notes rewrapped (a space turned into a
// line break keeps every offset), and on each construction a line break used to cut.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AnnotatedMention } from '@cancerllm/protocol';
import { analyzeNote } from '../src/index.ts';
import { goldNotes } from './gold-notes.ts';

const notes = goldNotes();

/** Every `every`-th space between two words (or after a comma) turned into a line break: offsets are kept. */
function rewrapped(text: string, every: number): string {
  const chars = [...text];
  let spaces = 0;
  for (let i = 1; i < chars.length - 1; i++) {
    if (chars[i] !== ' ' || !/[A-Za-z0-9,]/.test(chars[i - 1]!) || !/[A-Za-z0-9(]/.test(chars[i + 1]!)) continue;
    if (++spaces % every === 0) chars[i] = '\n';
  }
  return chars.join('');
}

function key(m: AnnotatedMention): string {
  return `${m.type} ${m.start}-${m.end} ${JSON.stringify(m.value)} ${m.assertion}`;
}

function written(text: string): Array<[string, string, unknown, string]> {
  return analyzeNote(text).mentions.map((m) => [m.type, m.text, m.value, m.assertion]);
}

for (const every of [13, 17]) {
  test(`a gold note wrapped at every ${every}th space keeps its mentions`, () => {
    const lost: string[] = [];
    for (const { file, text } of notes) {
      const wrapped = rewrapped(text, every);
      const found = new Set(analyzeNote(wrapped).mentions.map(key));
      for (const m of analyzeNote(text).mentions) if (!found.has(key(m))) lost.push(`${file}: ${key(m)} "${m.text}"`);
    }
    assert.deepEqual(lost, []);
  });
}

test('a short line in a field that ends with a joining word or precedes a line in lower case carries it on', () => {
  // Under a field ("FH:"), a short line without punctuation used to close the field and cut the sentence.
  assert.deepEqual(
    written('PMH: None.\nFH: Maternal\nuncle with lymphoma; grandfather with\nprostate cancer.').at(-1),
    ['primary_site', 'prostate cancer', { site: 'prostate', icdo3: 'C61.9' }, 'family'],
  );
  assert.equal(
    written('PMH: None.\nMolecular: TP53 wild type,\nFLT3 negative. APL\nexcluded (PML::RARA negative).').find(
      ([type]) => type === 'histology',
    )?.[3],
    'negated',
  );
});

test('a line break inside a TNM, a region, a receptor detail or a margin statement', () => {
  assert.deepEqual(written('Staging: cT3c N0\nM0 by imaging.'), [
    ['tnm', 'cT3c N0\nM0', { prefix: 'c', t: 'T3c', n: 'N0', m: 'M0' }, 'present'],
  ]);
  assert.deepEqual(written('Two FDG-avid left external\niliac lymph nodes.'), [
    ['lymph_nodes', 'left external\niliac lymph nodes', {}, 'present'],
  ]);
  assert.equal(
    written('HER2: Negative (IHC 2+; FISH not\namplified)')[0]?.[1],
    'HER2: Negative (IHC 2+; FISH not\namplified)',
  );
  assert.deepEqual(written('Margins: Negative; closest\nperipheral margin 9 mm.'), [
    ['margin_status', 'Margins: Negative', { status: 'negative', mm: 9 }, 'present'],
  ]);
});

test('sizes and sites whose context a line break parts', () => {
  assert.deepEqual(
    written('Pulmonary nodules up\nto 7 mm. Liver metastases (largest\n9 mm).').filter(
      ([type]) => type === 'tumor_size',
    ),
    [],
  );
  // "cervical and\ninguinal nodes" is a nodal region, not the cervix.
  assert.deepEqual(
    written('Deauville 3; cervical and\ninguinal nodes resolved.').map(([type]) => type),
    ['lymph_nodes'],
  );
  // "Right\nkidney:" is a sentence wrapped before a colon, not an organ heading ("KIDNEYS:").
  assert.deepEqual(
    written('Renal sinus fat spared. Enhancing mass, right\nkidney: 3.1 cm.').map(([type, text]) => [type, text]),
    [
      ['laterality', 'right'],
      ['primary_site', 'kidney'],
      ['tumor_size', '3.1 cm'],
    ],
  );
});
