// A bounded memo of a number per word, looked up straight from a note's characters. noteWords remembers what each
// unknown long token was corrected to; cutting every such token out of the note as a string to ask a Map cost more
// than the correction itself once remembered (a quarter of a note's tokens are unknown words of 6+ letters).
import { hashChars, WordTable } from './word-table.ts';

/** What get() answers for a word not remembered. */
export const NOT_REMEMBERED = -2;

const FIRST_SLOTS = 64;

export class TokenMemo {
  /**
   * The remembered words, by index into values. Never more than half full; it starts small and doubles as words
   * come, so that a memo of a few thousand words stays in the cache.
   */
  private readonly words = new WordTable(FIRST_SLOTS, 0.5);
  private readonly values: number[] = [];

  /** capacity: how many words are remembered before the memo starts afresh. */
  constructor(private readonly capacity: number) {}

  /**
   * The number remembered for the word text[start, end), or NOT_REMEMBERED. `hash` is hashChars of those
   * characters, for a caller that computed it while scanning them.
   */
  get(text: string, start: number, end: number, hash = hashChars(text, start, end)): number {
    const entry = this.words.find(text, start, end, hash);
    return entry < 0 ? NOT_REMEMBERED : this.values[entry]!;
  }

  /** Remembers value for word (not remembered yet); a full memo is emptied first, so it never grows past capacity. */
  set(word: string, value: number): void {
    if (this.words.size >= this.capacity) {
      this.words.clear();
      this.values.length = 0;
    }
    this.words.add(word);
    this.values.push(value);
  }

  get size(): number {
    return this.words.size;
  }
}
