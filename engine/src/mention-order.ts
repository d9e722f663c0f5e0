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
  const sorted = sortBySpanAndType(mentions);
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

/** By start, then end, then type; stable. Sorts `mentions` itself and returns it. */
function sortBySpanAndType(mentions: AnnotatedMention[]): AnnotatedMention[] {
  const n = mentions.length;
  if (n < 2) return mentions;
  // Keys start * scale + index order the mentions by start, then as given, in 32 bits.
  const scale = 2 ** (32 - Math.clz32(n - 1)); // the power of two at or above n
  const startLimit = 0x100000000 / scale;
  for (let i = 0; i < n; i++) {
    const start = mentions[i]!.start;
    if (!(isOffset(start) && start < startLimit)) return mentions.sort(bySpanAndType);
  }
  // A typed array sorts numbers natively, with no comparator called per comparison (the most of a comparator
  // sort's cost); only mentions sharing a start (few) are then compared by end and type.
  const keys = new Uint32Array(n);
  for (let i = 0; i < n; i++) keys[i] = mentions[i]!.start * scale + i;
  keys.sort();
  const given = mentions.slice();
  const indexMask = scale - 1;
  for (let i = 0; i < n; i++) mentions[i] = given[keys[i]! & indexMask]!;
  for (let i = 0; i < n; ) {
    const start = mentions[i]!.start;
    let j = i + 1;
    while (j < n && mentions[j]!.start === start) j++;
    if (j - i > 1) sortRunByEndAndType(mentions, i, j);
    i = j;
  }
  return mentions;
}

/** A non-negative integer: what the numeric keys need of an offset. */
function isOffset(x: number): boolean {
  return Number.isInteger(x) && x >= 0;
}

function bySpanAndType(a: AnnotatedMention, b: AnnotatedMention): number {
  return a.start - b.start || byEndAndType(a, b);
}

function byEndAndType(a: AnnotatedMention, b: AnnotatedMention): number {
  return a.end - b.end || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0);
}

/** Insertion sort of mentions[from, to) by end and type, stable (the mentions at one start: a few). */
function sortRunByEndAndType(mentions: AnnotatedMention[], from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    const m = mentions[i]!;
    let k = i;
    while (k > from && byEndAndType(mentions[k - 1]!, m) > 0) {
      mentions[k] = mentions[k - 1]!;
      k--;
    }
    mentions[k] = m;
  }
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
