// Re-anchors a curated span in changed text: the occurrence of the same text whose surrounding context matches
// best, ties going to the nearest to where it was (so an unchanged position wins when nothing around it changed). No occurrence
// means the text was deleted or rewritten: the caller reports the annotation as orphaned, never drops it silently.

export interface Anchor {
  start: number;
  end: number;
  /** The annotated text itself. */
  text: string;
  /** Up to CONTEXT_CHARS characters before and after, to choose between repeated occurrences. */
  before: string;
  after: string;
}

export const CONTEXT_CHARS = 32;

export function makeAnchor(text: string, start: number, end: number): Anchor {
  return {
    start,
    end,
    text: text.slice(start, end),
    before: text.slice(Math.max(0, start - CONTEXT_CHARS), start),
    after: text.slice(end, end + CONTEXT_CHARS),
  };
}

/** The anchor moved into `text`, or undefined when its text no longer occurs. */
export function reanchor(text: string, anchor: Anchor): Anchor | undefined {
  if (anchor.text.length === 0) return undefined;
  let best: { start: number; score: number; distance: number } | undefined;
  for (let at = text.indexOf(anchor.text); at >= 0; at = text.indexOf(anchor.text, at + 1)) {
    const score = contextScore(text, anchor, at);
    const distance = Math.abs(at - anchor.start);
    if (!best || score > best.score || (score === best.score && distance < best.distance)) best = { start: at, score, distance };
  }
  if (!best) return undefined;
  return makeAnchor(text, best.start, best.start + anchor.text.length);
}

/** Characters of context that still match on both sides, plus one so an exact text match always scores. */
function contextScore(text: string, anchor: Anchor, at: number): number {
  let before = 0;
  while (before < anchor.before.length && text.charAt(at - 1 - before) === anchor.before.charAt(anchor.before.length - 1 - before)) before++;
  const end = at + anchor.text.length;
  let after = 0;
  while (after < anchor.after.length && text.charAt(end + after) === anchor.after.charAt(after)) after++;
  return 1 + before + after;
}
