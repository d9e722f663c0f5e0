// The note in lower case, computed once per note. String.prototype.toLowerCase costs ~2 ns a character (125 µs
// for a 70 KB note, as much as a whole extractor), and the tokenizer, the case-insensitive extractors and the
// assertion pass all search the lower-cased note.

/**
 * `text.toLowerCase()`, when lower-casing keeps every offset (it does unless the note holds one of the few
 * characters that change length, such as "İ"); undefined otherwise, and callers then work on the note itself.
 * The last note's copy is kept: every stage of one note's analysis asks for it.
 */
export function lowerCaseOf(text: string): string | undefined {
  if (text !== lastText) {
    const lower = text.toLowerCase();
    lastText = text;
    lastLower = lower.length === text.length ? lower : undefined;
  }
  return lastLower;
}

/** Whether `text` is the lower case lowerCaseOf returned last: the lower-cased note being analysed. */
export function isLowerCaseNote(text: string): boolean {
  return lastLower !== undefined && text === lastLower;
}
let lastText = '';
let lastLower: string | undefined = '';
