// The note in lower case, computed once per note. String.prototype.toLowerCase costs ~2 ns a character (125 µs
// for a 70 KB note, as much as a whole extractor), and the tokenizer, the case-insensitive extractors and the
// assertion pass all search the lower-cased note.
//
// The cache is asked hundreds of times per note, so each question must end at V8's pointer comparison. Strings
// compare by content: a note equal to the last one but another string object (the same text analysed again, as an
// editor re-sends it or a batch repeats it) was compared character by character at every question (a 66 KB note
// took 16 ms instead of 6). So the object last asked about is the one kept.

/**
 * `text.toLowerCase()`, when lower-casing keeps every offset (it does unless the note holds one of the few
 * characters that change length, such as "İ"); undefined otherwise, and callers then work on the note itself.
 * The last note's copy is kept: every stage of one note's analysis asks for it.
 */
export function lowerCaseOf(text: string): string | undefined {
  if (text !== lastText) {
    const lower = text.toLowerCase();
    lastLower = lower.length === text.length ? lower : undefined;
  }
  lastText = text;
  return lastLower;
}

/** Whether `text` is the lower case lowerCaseOf returned last: the lower-cased note being analysed. */
export function isLowerCaseNote(text: string): boolean {
  return lastLower !== undefined && text === lastLower;
}
let lastText = '';
let lastLower: string | undefined = '';
