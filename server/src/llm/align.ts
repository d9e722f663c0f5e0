// Locates a model's answer string (models give no offsets) in the note as an exact UTF-16 span. Matching ignores
// case, whitespace and punctuation and tolerates a few edited characters; the occurrence inside the preferred range
// (the section the answer came from) wins. Pure functions: no model, no LSP.

export interface Span {
  start: number;
  end: number;
}

export interface Alignment extends Span {
  /** Character edits (insertions, deletions, substitutions) between the answer and the span, ignoring case, whitespace and punctuation. */
  edits: number;
}

/** Answers that mean "the text does not say"; they are not alignment failures. */
const NO_ANSWER = /^(?:none|n\/?a|null|not (?:stated|mentioned|given|available|reported)|unknown|no answer)\.?$/i;

export function isNoAnswer(answer: string): boolean {
  return answer.trim() === '' || NO_ANSWER.test(answer.trim());
}

/** Longest answer aligned; longer ones are not phenotype statements and would make fuzzy matching slow. */
const MAX_ANSWER_CHARS = 400;

/**
 * The span of `note` that states `answer`, or undefined when no occurrence is close enough. `within` limits the
 * preferred search; when the answer is not found there, the whole note is searched.
 */
export function alignAnswer(note: string, answer: string, within?: Span): Alignment | undefined {
  if (isNoAnswer(answer) || answer.length > MAX_ANSWER_CHARS) return undefined;
  const needle = folded(answer).chars;
  if (needle.length === 0) return undefined;
  const ranges: Span[] = within ? [within, { start: 0, end: note.length }] : [{ start: 0, end: note.length }];
  for (const range of ranges) {
    const found = alignIn(note, needle, range);
    if (found) return found;
  }
  return undefined;
}

function alignIn(note: string, needle: string, range: Span): Alignment | undefined {
  const hay = folded(note, range.start, range.end);
  const exact = exactMatch(note, hay, needle);
  if (exact) return exact;
  // a short answer ("T2", "left") must match exactly: one edit would make it another value
  const maxEdits = Math.floor(needle.length / 6);
  if (maxEdits === 0) return undefined;
  return fuzzyMatch(hay, needle, maxEdits);
}

interface Folded {
  /** Letters and digits only, lower-cased. */
  chars: string;
  /** Original offset of each folded character. */
  offsets: number[];
}

function folded(text: string, from = 0, to = text.length): Folded {
  let chars = '';
  const offsets: number[] = [];
  for (let i = from; i < to; i++) {
    const ch = text[i]!;
    if (!isWordChar(ch)) continue;
    chars += ch.toLowerCase();
    offsets.push(i);
  }
  return { chars, offsets };
}

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
}

function toSpan(hay: Folded, from: number, to: number): Span {
  return { start: hay.offsets[from]!, end: hay.offsets[to - 1]! + 1 };
}

/** First occurrence on word boundaries of the original text ("er" never matches inside "tumor"). */
function exactMatch(note: string, hay: Folded, needle: string): Alignment | undefined {
  for (let at = hay.chars.indexOf(needle); at >= 0; at = hay.chars.indexOf(needle, at + 1)) {
    const span = toSpan(hay, at, at + needle.length);
    if (!isWordChar(note[span.start - 1]) && !isWordChar(note[span.end])) return { ...span, edits: 0 };
  }
  return undefined;
}

/** Semi-global edit distance (Sellers): the substring of `hay` closest to `needle`, first one on ties. */
function fuzzyMatch(hay: Folded, needle: string, maxEdits: number): Alignment | undefined {
  const m = needle.length;
  let cost = Array.from({ length: m + 1 }, (_, i) => i);
  let origin = new Array<number>(m + 1).fill(0);
  let best: { edits: number; from: number; to: number } | undefined;
  for (let j = 1; j <= hay.chars.length; j++) {
    const nextCost = [0];
    const nextOrigin = [j];
    for (let i = 1; i <= m; i++) {
      const substitute = cost[i - 1]! + (needle[i - 1] === hay.chars[j - 1] ? 0 : 1);
      const skipHay = cost[i]! + 1;
      const skipNeedle = nextCost[i - 1]! + 1;
      if (substitute <= skipHay && substitute <= skipNeedle) {
        nextCost.push(substitute);
        nextOrigin.push(origin[i - 1]!);
      } else if (skipHay <= skipNeedle) {
        nextCost.push(skipHay);
        nextOrigin.push(origin[i]!);
      } else {
        nextCost.push(skipNeedle);
        nextOrigin.push(nextOrigin[i - 1]!);
      }
    }
    cost = nextCost;
    origin = nextOrigin;
    const edits = cost[m]!;
    if (edits <= maxEdits && (!best || edits < best.edits) && origin[m]! < j) best = { edits, from: origin[m]!, to: j };
  }
  return best ? { ...toSpan(hay, best.from, best.to), edits: best.edits } : undefined;
}
