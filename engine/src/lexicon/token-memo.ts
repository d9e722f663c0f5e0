// A bounded memo of a number per word, looked up straight from a note's characters. noteWords remembers what each
// unknown long token was corrected to; cutting every such token out of the note as a string to ask a Map cost more
// than the correction itself once remembered (a quarter of a note's tokens are unknown words of 6+ letters).
import { hashChars } from './lexicon-words.ts';

/** What get() answers for a word not remembered. */
export const NOT_REMEMBERED = -2;

const FIRST_SLOTS = 64;

export class TokenMemo {
  /**
   * Open addressing over the words' hashes: entry + 1 per slot, 0 when empty. Never more than half full; it
   * starts small and doubles as words come, so that a memo of a few thousand words stays in the cache.
   */
  private slots = new Int32Array(FIRST_SLOTS);
  private readonly words: string[] = [];
  private readonly values: number[] = [];

  /** capacity: how many words are remembered before the memo starts afresh. */
  constructor(private readonly capacity: number) {}

  /**
   * The number remembered for the word text[start, end), or NOT_REMEMBERED. `hash` is hashChars of those
   * characters, for a caller that computed it while scanning them.
   */
  get(text: string, start: number, end: number, hash = hashChars(text, start, end)): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    const length = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = slots[slot]!;
      if (entry === 0) return NOT_REMEMBERED;
      const word = this.words[entry - 1]!;
      if (word.length !== length) continue;
      let k = 0;
      while (k < length && word.charCodeAt(k) === text.charCodeAt(start + k)) k++;
      if (k === length) return this.values[entry - 1]!;
    }
  }

  /** Remembers value for word (not remembered yet); a full memo is emptied first, so it never grows past capacity. */
  set(word: string, value: number): void {
    if (this.words.length >= this.capacity) this.clear();
    if (2 * (this.words.length + 1) > this.slots.length) this.grow();
    this.words.push(word);
    this.values.push(value);
    this.place(this.words.length);
  }

  /** Puts entry + 1 into the first free slot from its word's hash. */
  private place(entryPlusOne: number): void {
    const word = this.words[entryPlusOne - 1]!;
    const mask = this.slots.length - 1;
    let slot = hashChars(word, 0, word.length) & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = entryPlusOne;
  }

  private grow(): void {
    this.slots = new Int32Array(2 * this.slots.length);
    for (let entry = 1; entry <= this.words.length; entry++) this.place(entry);
  }

  get size(): number {
    return this.words.length;
  }

  private clear(): void {
    this.slots = new Int32Array(FIRST_SLOTS);
    this.words.length = 0;
    this.values.length = 0;
  }
}
