// The pipeline's last checks on its mentions: every span names exactly its text, and the list is in one order
// with exact duplicates (two extractors finding one thing) kept once.
import type { AnnotatedMention } from '@cancerllm/protocol';

/** Offsets are integers inside the note and `text` is exactly the slice they name (compared without cutting it). */
export function hasValidSpan(text: string, m: AnnotatedMention): boolean {
  return (
    Number.isInteger(m.start) &&
    Number.isInteger(m.end) &&
    m.start >= 0 &&
    m.end <= text.length &&
    m.start < m.end &&
    typeof m.text === 'string' &&
    m.text.length === m.end - m.start &&
    text.startsWith(m.text, m.start)
  );
}

/**
 * By start, then end, then type; an exact duplicate (same span, type, value and assertion) is kept once. Sorts
 * `mentions` itself: the pipeline's own array, made by assignAssertions.
 */
export function sortUnique(mentions: AnnotatedMention[]): AnnotatedMention[] {
  const sorted = mentions.sort(
    (a, b) => a.start - b.start || a.end - b.end || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0),
  );
  // Duplicates share span and type, so they sit in one run of the sorted list; only runs longer than one
  // mention (rare) need the full comparison key.
  const out: AnnotatedMention[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i + 1;
    const first = sorted[i]!;
    while (j < sorted.length && sameSpanAndType(first, sorted[j]!)) j++;
    if (j - i === 1) {
      out.push(first);
    } else {
      const seen = new Set<string>();
      for (let k = i; k < j; k++) {
        const m = sorted[k]!;
        const key = `${m.assertion}:${valueKey(m.value)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(m);
      }
    }
    i = j;
  }
  return out;
}

function sameSpanAndType(a: AnnotatedMention, b: AnnotatedMention): boolean {
  return a.start === b.start && a.end === b.end && a.type === b.type;
}

function valueKey(value: AnnotatedMention['value']): string {
  return Object.keys(value)
    .sort()
    .map((k) => `${k}=${String(value[k])}`)
    .join('|');
}
