// The dev gold notes' texts, for tests that transform real notes and compare what the engine finds.
import { readdirSync, readFileSync } from 'node:fs';

const GOLD = new URL('../../../shared/data/gold/dev/', import.meta.url).pathname;

/** Each gold note's file name and text, in file-name order. */
export function goldNotes(): Array<{ file: string; text: string }> {
  return readdirSync(GOLD)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ file: f, text: (JSON.parse(readFileSync(GOLD + f, 'utf8')) as { text: string }).text }));
}
