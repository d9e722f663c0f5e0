import assert from 'node:assert/strict';
import { mkdtempSync, openSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { AnnotatedMention } from '@cancerllm/protocol';
import { makeAnchor, reanchor } from '../src/curation/anchor.ts';
import { mergeDecisions } from '../src/curation/merge.ts';
import { parseSidecar, type CurationDecision } from '../src/curation/sidecar.ts';
import { CurationStore } from '../src/curation/store.ts';
import { writeFileAtomic } from '../src/files/atomic-write.ts';

const TEXT = 'ER positive (95%). PR positive. Repeat: ER positive (95%).';

function found(start: number, end: number, type: AnnotatedMention['type'] = 'receptor_status'): AnnotatedMention {
  return { start, end, text: TEXT.slice(start, end), type, value: { receptor: 'ER', status: 'positive' }, assertion: 'present', provenance: { source: 'rules' } };
}

test('an anchor stays put when nothing changed, even if its text repeats', () => {
  const second = TEXT.lastIndexOf('ER positive');
  const anchor = makeAnchor(TEXT, second, second + 11);
  assert.equal(reanchor(TEXT, anchor)?.start, second);
});

test('an anchor follows its text when text above it is inserted', () => {
  const anchor = makeAnchor(TEXT, 0, 11);
  const edited = `Addendum: none.\n${TEXT}`;
  assert.equal(reanchor(edited, anchor)?.start, 16);
});

test('among repeated texts the one with matching context wins over the nearer one', () => {
  const second = TEXT.lastIndexOf('ER positive');
  const anchor = makeAnchor(TEXT, second, second + 11);
  const edited = TEXT.replace('Repeat: ', 'Repeated later, on review: ');
  const moved = reanchor(edited, anchor);
  assert.equal(moved?.start, edited.lastIndexOf('ER positive'));
});

test('an anchor whose text was deleted is not placed', () => {
  assert.equal(reanchor('PR positive only.', makeAnchor(TEXT, 0, 11)), undefined);
});

function decision(partial: Partial<CurationDecision> & Pick<CurationDecision, 'action'>): CurationDecision {
  return { id: 'x', anchor: makeAnchor(TEXT, 0, 11), decidedAt: '2026-01-01T00:00:00.000Z', ...partial };
}

test('a rejected mention disappears and others stay', () => {
  const merged = mergeDecisions(TEXT, [found(0, 11), found(40, 51)], [decision({ action: 'reject', foundType: 'receptor_status' })]);
  assert.deepEqual(merged.mentions.map((m) => m.start), [40]);
});

test('an accepted mention is marked accepted; a corrected one carries the correction', () => {
  const accepted = mergeDecisions(TEXT, [found(0, 11)], [decision({ action: 'accept', foundType: 'receptor_status', mention: { type: 'receptor_status', value: { status: 'positive', receptor: 'ER' }, assertion: 'present' } })]);
  assert.equal(accepted.mentions[0]?.provenance?.curated, 'accepted');
  const corrected = mergeDecisions(TEXT, [found(0, 11)], [decision({ action: 'accept', foundType: 'receptor_status', mention: { type: 'receptor_status', value: { receptor: 'ER', status: 'positive', percent: 95 }, assertion: 'present' } })]);
  assert.equal(corrected.mentions[0]?.provenance?.curated, 'corrected');
  assert.equal(corrected.mentions[0]?.value.percent, 95);
});

test('an added mention joins, and an orphaned decision is returned, not dropped', () => {
  const added = decision({ id: 'added', action: 'add', anchor: makeAnchor(TEXT, 19, 30), mention: { type: 'receptor_status', value: { receptor: 'PR', status: 'positive' }, assertion: 'present' } });
  const orphan = decision({ id: 'orphan', action: 'reject', foundType: 'biomarker', anchor: { start: 0, end: 5, text: 'KRAS+', before: '', after: '' } });
  const merged = mergeDecisions(TEXT, [], [added, orphan]);
  assert.deepEqual(merged.mentions.map((m) => [m.text, m.provenance?.curated]), [['PR positive', 'added']]);
  assert.equal(merged.orphans.length, 1);
  assert.equal(merged.decisions.find((d) => d.id === orphan.id)?.orphaned, true);
});

test('sidecar parsing names what is wrong', () => {
  assert.match(parseSidecar('{') as string, /^not valid JSON/);
  assert.equal(parseSidecar('{"format": "other", "version": 1, "decisions": []}'), '"format" must be "cancerllm-annotations"');
  assert.equal(
    parseSidecar(JSON.stringify({ format: 'cancerllm-annotations', version: 1, decisions: [{ id: 'a', action: 'accept', anchor: { start: 0, end: 2, text: 'ER' } }] })),
    'decision 0: "foundType" is required for accept',
  );
});

function scratchNote(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cancerllm-curation-'));
  const note = join(dir, 'note.note');
  writeFileSync(note, TEXT);
  return note;
}

test('the store records decisions atomically and reads them back', () => {
  const note = scratchNote();
  const store = new CurationStore(() => new Date('2026-11-28T10:00:00Z'));
  const recorded = store.record(note, TEXT, { action: 'reject', start: 0, end: 11, foundType: 'receptor_status' });
  assert.ok(recorded.ok);
  const onDisk = JSON.parse(readFileSync(`${note}.annotations.json`, 'utf8')) as { decisions: CurationDecision[] };
  assert.equal(onDisk.decisions.length, 1);
  assert.equal(onDisk.decisions[0]?.decidedAt, '2026-11-28T10:00:00.000Z');
  assert.deepEqual(readdirSync(join(note, '..')).sort(), ['note.note', 'note.note.annotations.json'], 'no temporary file left');
  // A second decision on the same span and type replaces the first.
  store.record(note, TEXT, { action: 'accept', start: 0, end: 11, foundType: 'receptor_status', mention: { type: 'receptor_status', value: {}, assertion: 'present' } });
  const load = new CurationStore().load(note);
  assert.ok(load.ok);
  assert.deepEqual(load.sidecar.decisions.map((d) => d.action), ['accept']);
});

test('a corrupted sidecar is reported and never overwritten', () => {
  const note = scratchNote();
  writeFileSync(`${note}.annotations.json`, '{"format": "cancerllm-annotations", "decis');
  const store = new CurationStore();
  const merged = store.merge(note, TEXT, [found(0, 11)]);
  assert.match(merged.problem ?? '', /is not usable: not valid JSON/);
  assert.equal(merged.mentions.length, 1, 'analysis goes on without the decisions');
  const recorded = store.record(note, TEXT, { action: 'reject', start: 0, end: 11, foundType: 'receptor_status' });
  assert.equal(recorded.ok, false);
  assert.equal(readFileSync(`${note}.annotations.json`, 'utf8'), '{"format": "cancerllm-annotations", "decis');
});

test('a full disk while writing leaves the old sidecar intact, no temporary file, and says why', () => {
  const note = scratchNote();
  new CurationStore().record(note, TEXT, { action: 'reject', start: 0, end: 11, foundType: 'receptor_status' });
  const before = readFileSync(`${note}.annotations.json`, 'utf8');
  // /dev/full fails every write with ENOSPC, as a full disk does.
  const fullDisk = new CurationStore(undefined, (path, content) => writeFileAtomic(path, content, () => openSync('/dev/full', 'w')));
  assert.throws(() => fullDisk.record(note, TEXT, { action: 'reject', start: 40, end: 51, foundType: 'receptor_status' }), /could not write .*note\.note\.annotations\.json: the disk is full/);
  assert.equal(readFileSync(`${note}.annotations.json`, 'utf8'), before);
  assert.deepEqual(readdirSync(join(note, '..')).sort(), ['note.note', 'note.note.annotations.json']);
});
