// Case-insensitive patterns scanned fast. V8 runs a case-insensitive ("i") pattern several times slower than the
// same pattern in one case (a literal alternation loses its fast string search), and the extractors scan every
// note with about a dozen of them. So such a pattern is scanned as a lower-case twin over the note lower-cased
// once; its matches come back with the note's own offsets and written case, exactly as text.matchAll would give.
import { lowerCaseOf } from '../text/lower-case.ts';

/**
 * text.matchAll(pattern) for a global, case-insensitive pattern, scanned in the lower-cased note. Each match's
 * strings (whole match, groups, named groups) are cut from the note by the twin's match indices, so a caller
 * that looks at the written case ("ALI", a capital "R") sees what the note says.
 */
export function* foldedMatchAll(text: string, pattern: RegExp): Generator<RegExpExecArray> {
  const lower = pattern.ignoreCase ? lowerCaseOf(text) : undefined;
  if (lower === undefined) {
    yield* text.matchAll(pattern);
    return;
  }
  for (const m of lower.matchAll(lowerCaseTwin(pattern))) yield inNote(text, m);
}

/**
 * pattern.exec(text) from offset `from`, for a global or sticky pattern; a case-insensitive one is run as its
 * lower-case twin over the lower-cased note, and its strings are cut from the note.
 */
export function foldedExec(text: string, pattern: RegExp, from: number): RegExpExecArray | null {
  const lower = pattern.ignoreCase ? lowerCaseOf(text) : undefined;
  if (lower === undefined) {
    pattern.lastIndex = from;
    return pattern.exec(text);
  }
  const twin = lowerCaseTwin(pattern);
  twin.lastIndex = from;
  const m = twin.exec(lower);
  return m && inNote(text, m);
}

/** How much of text[from, to) a pattern anchored at "$" matches (0 when none), case-insensitively as folded. */
export function foldedSuffixLength(text: string, pattern: RegExp, from: number, to: number): number {
  const lower = pattern.ignoreCase ? lowerCaseOf(text) : undefined;
  const m =
    lower === undefined
      ? pattern.exec(text.slice(from, to))
      : lowerCaseTwin(pattern, false).exec(lower.slice(from, to));
  return m?.[0].length ?? 0;
}

/** A twin's match as the original pattern's match: the same offsets, the note's strings. */
function inNote(text: string, m: RegExpExecArray): RegExpExecArray {
  const indices = m.indices!;
  const match = indices.map((span) => (span ? text.slice(span[0], span[1]) : undefined)) as RegExpExecArray;
  match.index = m.index;
  match.input = text;
  if (indices.groups) {
    const groups: Record<string, string | undefined> = {};
    for (const [name, span] of Object.entries(indices.groups)) groups[name] = span && text.slice(span[0], span[1]);
    match.groups = groups as Record<string, string>;
  }
  return match;
}

/**
 * Where a global, case-insensitive pattern matches: text.matchAll(pattern) with the offsets and lengths of each
 * match, but its strings in lower case. For literal heads, whose position is all that counts; cheaper than
 * foldedMatchAll, which cuts every string from the note.
 */
export function foldedHits(text: string, pattern: RegExp): IterableIterator<RegExpExecArray> {
  const lower = pattern.ignoreCase ? lowerCaseOf(text) : undefined;
  return lower === undefined ? text.matchAll(pattern) : lower.matchAll(lowerCaseTwin(pattern, false));
}

const twins = new WeakMap<RegExp, RegExp>();
const twinsWithIndices = new WeakMap<RegExp, RegExp>();

/** The pattern with its letters in lower case, without "i", with match indices ("d") when asked. */
export function lowerCaseTwin(pattern: RegExp, withIndices = true): RegExp {
  const cache = withIndices ? twinsWithIndices : twins;
  let twin = cache.get(pattern);
  if (!twin) {
    twin = new RegExp(lowerCaseSource(pattern.source), pattern.flags.replace('i', '') + (withIndices ? 'd' : ''));
    cache.set(pattern, twin);
  }
  return twin;
}

/**
 * Lower-cases a pattern's literal letters. Escapes keep their case (\S is not \s, \B is not \b), and so do group
 * names ("(?<figo>"), which are keys, not text.
 */
export function lowerCaseSource(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      out += c + (source[i + 1] ?? '');
      i++;
    } else if (c === '(' && source.startsWith('?<', i + 1) && /[A-Za-z]/.test(source[i + 3] ?? '')) {
      const close = source.indexOf('>', i);
      out += source.slice(i, close + 1);
      i = close;
    } else {
      out += c.toLowerCase();
    }
  }
  return out;
}
