// Seeded generators of hostile inputs for the fuzz tests: random and mutated notes, random LSP requests.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../../server/src/evaluation/random.ts';

/** The project's seeded generator (mulberry32), so a fuzz run is reproducible from its seed. */
export const prng = seededRandom;

export type Random = ReturnType<typeof prng>;

export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
export const int = (random: Random, max: number): number => Math.floor(random() * max);

const REPO_ROOT = join(import.meta.dirname, '..', '..');

/** Seed notes: the samples and, where the shared data is present, the gold notes. */
export function seedNotes(): string[] {
  const notes = readdirSync(join(REPO_ROOT, 'samples')).map((name) => readFileSync(join(REPO_ROOT, 'samples', name), 'utf8'));
  const gold = join(REPO_ROOT, '..', 'shared', 'data', 'gold', 'dev');
  try {
    for (const name of readdirSync(gold)) notes.push((JSON.parse(readFileSync(join(gold, name), 'utf8')) as { text: string }).text);
  } catch {
    // shared/ is beside every clone in CI and here; without it the samples alone still seed the fuzzer
  }
  return notes;
}

const ODD = ['\r\n', '\r', '\t', '\u0000', '\uD800', '\uDC00', '😀', '\u200B', '\uFEFF', 'é', '\u0301', '：', 'ﬁ', '\\', '"', '{', ']', '%', '///', '\n\n\n', ' '.repeat(50)];
const CLINICAL = ['pT2', 'N1a', 'M0', 'ER', 'HER2', 'negative', 'no', 'not', 'stage IV', 'Gleason 4+3=7', 'ECOG 1', '2.3 x 1.8 cm', '2/15', 'FOLFOX', 'liver', 'LLL', 'history of', 'mother', 'if', ':', 'FINAL DIAGNOSIS:', '-', '1.', '(', ')', '%', 'x', '/'];

/** A note mutated by inserting, deleting, duplicating and swapping pieces, or pure garbage. */
export function mutatedNote(random: Random, seeds: readonly string[]): string {
  const kind = random();
  if (kind < 0.05) return Array.from({ length: int(random, 4000) }, () => String.fromCharCode(int(random, 0x10000))).join('');
  if (kind < 0.1) return Array.from({ length: int(random, 300) }, () => pick(random, [...ODD, ...CLINICAL])).join(pick(random, ['', ' ', '\n']));
  let text = pick(random, seeds);
  const edits = 1 + int(random, 12);
  for (let i = 0; i < edits; i++) {
    const at = int(random, text.length + 1);
    const op = random();
    if (op < 0.35) text = text.slice(0, at) + pick(random, random() < 0.5 ? ODD : CLINICAL) + text.slice(at);
    else if (op < 0.6) text = text.slice(0, at) + text.slice(at + int(random, 40));
    else if (op < 0.75) text = text.slice(0, at) + text.slice(at, at + int(random, 200)).toUpperCase() + text.slice(at + int(random, 200));
    else if (op < 0.9) {
      const from = int(random, text.length);
      text = text.slice(0, at) + text.slice(from, from + int(random, 300)) + text.slice(at);
    } else text = text.slice(0, at) + String.fromCharCode(int(random, 0x10000)) + text.slice(at + 1);
  }
  return text;
}
