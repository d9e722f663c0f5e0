// TNM classification strings ("pT2 N1a M0", "ypT1cN0", "cT3N1M0", OCR'd "pT 2", "p T3", "pTIb") → tnm mentions
// with prefix/T/N/M. Per-part prefixes ("pT2 pN1a cM0") take the prefix of the first part; descriptors in
// parentheses ("(m)", "(sn)", "(i+)") stay in the span but not in the value.
import type { AnnotatedMention, MentionValue } from '@cancerllm/protocol';
import { characterClass, isWhitespace } from '../text/character-class.ts';
import { mention } from './mention.ts';
import { anchoredScan, scanMatches, type NarrowedScan } from './narrowed-scan.ts';

// OCR reads "1" as "I", "l" or "i" in TCGA reports ("pTIb", "pTl:", "pTic") and "0" as "O" ("pT3NOMX"); these are
// accepted for the digit after T/N/M where what follows shows a category ("i" only before a sub-letter: "Tis").
// Pathology reports write their diagnoses in capitals ("PT3 PN1B CM0"), so each prefix and sub-letter is taken in
// either case. The capital prefixes other than P ("C", "R", "U", "Y") are also words' first letters ("CT 3 months",
// "RN 2"): see isPlausible.
const PREFIX = String.raw`(?:yp|yc|rp|p|c|r|a|u|y|P|YP|yP|YC|RP|C|R|U|Y)`;
const T_PART = String.raw`T\s?(?:is|IS|a|x|X|[0-4]|[Il](?=[a-dA-D(\s,.;:N]|$)|i(?=[a-d](?![A-Za-z0-9])))(?:(?:[a-dA-D]|\s[a-dA-D](?![A-Za-z]))(?:[1-3](?![0-9]))?)?(?:\s?\((?:m|M|\d+|[a-z]{1,4})\))?`;
const N_PART = String.raw`N\s?(?:x|X|[0-3]|O(?:(?![A-Za-z])|(?=M[xX01]))|[Il](?=[a-cA-C(\s,.;:M]|$))(?:[a-cA-C])?(?:mi|MI|\((?:sn|SN|[iI][+-]|mol[+-]|MOL[+-]|f|F)\))?`;
const M_PART = String.raw`M\s?(?:x|X|[01]|I(?=[a-d(\s,.;]|$))(?:[a-dA-D])?(?:\((?:[iI]\+|[a-z]{2,4}|[A-Z]{2,4})\))?`;
// Clinical text wraps lines mid-sentence, so a line break may part the T, N and M of one classification.
const SEP = String.raw`(?:[ ,\t\u00a0]{0,3}|,?[ \t]*\r?\n[ \t]*)`;

const TNM_PATTERN = new RegExp(
  String.raw`(?<![A-Za-z0-9])(?=(?:${PREFIX})?\s?[TN])(?<prefix>${PREFIX})?\s?(?<t>${T_PART})?(?:${SEP}(?<np>${PREFIX})?(?<n>${N_PART}))?(?:${SEP}(?<mp>${PREFIX})?(?<m>${M_PART}))?(?![A-Za-z0-9-])`,
  'y',
);
/**
 * Where a T or N part can begin. A kept match has a T or an N part, and it starts at most 3 characters before it
 * (a prefix of up to 2 letters and one space; the separators that may come before an N part without a T are only
 * letters of a prefix, spaces and commas, which hold no T or N, so the N part is the T/N the lookahead sees).
 * No T or N part holds another one, so the global scan of this pattern finds every such start.
 */
export const PART_HEAD = new RegExp(String.raw`${T_PART}|${N_PART}`, 'g');
const PART_HEAD_AT = new RegExp(PART_HEAD.source, 'y');
/**
 * Whether a character can begin a T or N category ("is", "x", "2", OCR's "I" and "l", "O" for 0): a part is its
 * letter, at most one space (\s?), and one of these.
 */
const isCategoryFirst = characterClass(/[iIaxX01234lO]/);
const MAX_PART_OFFSET = 3;
/** What cannot come before a match (TNM_PATTERN's lookbehind). */
const LETTER_OR_DIGIT = /[A-Za-z0-9]/;

/** Words before a bare "T1"/"T2" that make it an MRI sequence. */
const MRI_SEQUENCE_BEFORE =
  /(?:axial|sagittal|coronal|oblique|3D|2D|FOV|post-?(?:gadolinium|contrast)|pre-?contrast|\blow|\bhigh|\bintermediate|\bbright)[\s,-]*$/i;
const NODAL_BEFORE = /\bnod(?:e|es|al)\b[^.;\n]{0,40}$/i;
/** Words after a bare "T1"/"T2" that make it an MRI sequence or a vertebra, not a T category. */
const NOT_TNM_AFTER =
  /^(?:[\s-]*(?:weighted|w\b|hyper|hypo|signal|sequence|image|images|vertebra|vertebral|level|\/)|:)/i;

/**
 * A synoptic line that names each part in its key and gives the category alone ("T Stage: 2 N Stage: 0 M Stage: 0",
 * "T. stage: 3"). A category written with its letter ("T stage: pT2") is read by TNM_PATTERN instead.
 */
const KEYED_PART_PATTERN =
  /(?<![A-Za-z0-9])([TNM])\.?[ \t\u00a0]?(?:stage|category)[ \t\u00a0]*[:=]?[ \t\u00a0]*(is|[0-4][a-d]?|x)(?![A-Za-z0-9])/gi;
const KEYED_ANCHORS = anchoredScan(
  KEYED_PART_PATTERN,
  ['stage', 'category'].map((literal) => ({ literal, back: [1, 2, 3] })),
);
/** KEYED_PART_PATTERN tried a few characters before each "stage" and "category", where a T, N or M stands. */
export const KEYED_PART_SCAN: NarrowedScan = {
  pattern: KEYED_PART_PATTERN,
  starts: (text) => KEYED_ANCHORS.starts(text)?.filter((at) => isPartLetter(text.charCodeAt(at))),
};
const isPartLetter = characterClass(/[TNMtnm]/);
/**
 * What may part two keyed parts of one classification ("T Stage: 2 N Stage: 0", "T stage: 2, N stage: 1"), a line
 * break included (a synoptic block gives each part its line).
 */
const KEYED_PARTS_GAP = /^(?:[ \t\u00a0.,;]{1,3}|[ \t.,;]{0,2}\r?\n[ \t]*)$/;
const PART_ORDER = 'TNM';

export function findTnm(text: string): AnnotatedMention[] {
  const mentions = findKeyedParts(text);
  for (const match of tnmMatches(text)) {
    const g = match.groups ?? {};
    const { t, n, m } = g;
    const prefix = g.prefix ?? (t ? undefined : g.np);
    if (!t && !n) continue;
    const matched = match[0];
    const start = match.index + (matched.length - matched.trimStart().length);
    const end = match.index + matched.trimEnd().replace(/[ ,]+$/, '').length;
    if (!isPlausible(text, start, end, { prefix, t, n, m })) continue;
    const value: MentionValue = {};
    const pre = normalizePrefix(prefix);
    if (pre) value.prefix = pre;
    if (t) value.t = normalizePart(t);
    if (n) value.n = normalizePart(n);
    if (m) value.m = normalizePart(m);
    mentions.push(mention(text, start, end, 'tnm', value));
  }
  return mentions;
}

/**
 * The matches of TNM_PATTERN that have a T or an N part, as a global scan would find them, but tried only at the
 * few offsets before a part head: a scan that starts with a lookbehind and a lookahead at every offset of the note
 * was the slowest pass of the extractors. Tried in increasing order from the end of the last match, this gives the
 * global scan's matches exactly: a match without a T or N part is a bare prefix (or empty), and no offset inside
 * it can start a match (a letter precedes it), so skipping it changes nothing after it.
 */
function* tnmMatches(text: string): Generator<RegExpExecArray> {
  let next = 0;
  for (const head of partHeads(text)) {
    for (let at = Math.max(next, head - MAX_PART_OFFSET); at <= head; at++) {
      if (at > 0 && LETTER_OR_DIGIT.test(text[at - 1]!)) continue;
      TNM_PATTERN.lastIndex = at;
      const match = TNM_PATTERN.exec(text);
      next = at + 1;
      if (!match || (!match.groups?.t && !match.groups?.n)) continue;
      next = Math.max(at + 1, at + match[0].length);
      yield match;
      break;
    }
  }
}

/**
 * Where PART_HEAD's global scan matches: at the capital "T"s and "N"s of the note where it matches, since no part
 * holds another capital T or N. String search skips to those letters, and most are rejected on the character
 * after them ("The", "No") without running the pattern: its scan of every offset cost as much as the matches.
 */
export function partHeads(text: string): number[] {
  const heads: number[] = [];
  let t = text.indexOf('T');
  let n = text.indexOf('N');
  while (t >= 0 || n >= 0) {
    const at = n < 0 || (t >= 0 && t < n) ? t : n;
    if (at === t) t = text.indexOf('T', t + 1);
    else n = text.indexOf('N', n + 1);
    if (!mayBeginCategory(text, at + 1)) continue;
    PART_HEAD_AT.lastIndex = at;
    if (PART_HEAD_AT.test(text)) heads.push(at);
  }
  return heads;
}

/**
 * Whether a category can begin at `at`, after a part's letter: a category's first character there or after one
 * space. Most capital T's and N's are turned away here ("The", "IN THE"), without running the part pattern.
 */
function mayBeginCategory(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  if (isCategoryFirst(code)) return true;
  return isWhitespace(code) && isCategoryFirst(text.charCodeAt(at + 1));
}

interface Parts {
  prefix: string | undefined;
  t: string | undefined;
  n: string | undefined;
  m: string | undefined;
}

/** The capital prefixes that begin common words and abbreviations ("CT", "RN", "US"). */
const CAPITAL_WORD_PREFIX = /^(?:YC|RP|C|R|U|Y)$/;
/**
 * A first part written apart from its prefix or its category ("C T3", "CT 3": a word, then a number), or with OCR's
 * "I" or "l" for 1 ("UTI", "CTI": words).
 */
const LOOSE_FIRST_PART = /^[A-Z]{1,2}(?:\s|[TN]\s|[TN][Il])/;

/** A lone T or N is ambiguous ("T2" vertebra, "N0" in a table); keep it when it has a prefix or a clear shape. */
function isPlausible(text: string, start: number, end: number, p: Parts): boolean {
  const written = text.slice(start, end);
  if (p.prefix !== undefined && CAPITAL_WORD_PREFIX.test(p.prefix) && LOOSE_FIRST_PART.test(written)) return false;
  const after = text.slice(end, end + 15);
  if (p.t && !p.n && !p.m) {
    if (!p.prefix && NOT_TNM_AFTER.test(after)) return false;
    if (!p.prefix && /^T\s?(?:[Il]|i[a-d])/.test(p.t)) return false;
    // "PT IS A 60 YO" is a patient in a note written in capitals; an in-situ T is written "pTis" or "PTIS".
    if (/^T\s+IS/.test(p.t)) return false;
    if (!p.prefix && /\s/.test(written)) return false;
    if (!p.prefix && /^T\d$/.test(written) && /^[\s,-]*(?:and|through|to|–)\s*T?\d/i.test(after)) return false;
    if (!p.prefix && /\b(?:C|L|S|Th)\d\s*[-–,]?\s*$/.test(text.slice(Math.max(0, start - 6), start))) return false;
    // "axial T2", "post-gadolinium 3D T1": MRI sequences.
    if (!p.prefix && MRI_SEQUENCE_BEFORE.test(text.slice(Math.max(0, start - 20), start))) return false;
    // "free T4", "total T3": thyroid hormones in a list of labs.
    if (!p.prefix && /(?<![A-Za-z])(?:free|total|reverse)\s*$/i.test(text.slice(Math.max(0, start - 9), start)))
      return false;
    return true;
  }
  if (p.n && !p.t) {
    // "PNI present": perineural invasion, not a pathologic N1 written with OCR's "I".
    if (/^P\s?NI$/.test(written)) return false;
    if (p.prefix) return true;
    // "suspicious for nodal metastases (N2)": a bare category in parentheses after a nodal statement.
    if (text[start - 1] === '(' && text[end] === ')' && NODAL_BEFORE.test(text.slice(Math.max(0, start - 60), start)))
      return true;
    // A bare "N1b" or "N2a" has the shape of a nodal category; a bare "N0" or "N1" needs an M as well.
    return Boolean(p.m) || /^N[0-3][a-cA-C]/.test(written);
  }
  return true;
}

function normalizePrefix(prefix: string | undefined): string | undefined {
  if (!prefix) return undefined;
  const p = prefix.toLowerCase();
  if (p === 'u' || p === 'a') return undefined;
  if (p === 'y') return 'yp';
  if (p === 'rp') return 'r';
  return p;
}

/** A category's rest with a capital sub-letter ("3C", "1MI"). */
const SUB_LETTER_CAPITAL = /^\d[a-z]*[A-Z]/;

/** "T I b" → "T1b"; "Tx" → "TX"; descriptors in parentheses are dropped; sub-letters in small letters ("T1c", "N1mi"). */
function normalizePart(part: string): string {
  const compact = part.replace(/\s+/g, '').replace(/\(.*\)$/, '');
  const letter = compact.charAt(0);
  let rest = compact.slice(1);
  if (/^(?:IS|is)$/.test(rest)) return `${letter}is`;
  if (/^(?:[Il]|i[a-d])/.test(rest)) rest = `1${rest.slice(1)}`;
  if (rest.startsWith('O')) rest = `0${rest.slice(1)}`;
  // Sub-letters in small letters ("T3C" → "T3c", "N1MI" → "N1mi"); most are written so already.
  if (SUB_LETTER_CAPITAL.test(rest)) rest = rest.charAt(0) + rest.slice(1).toLowerCase();
  if (rest === 'x') rest = 'X';
  return letter + rest;
}

/** Keyed parts in a row make one mention, T before N before M; a row holding only an M is not kept. */
function findKeyedParts(text: string): AnnotatedMention[] {
  const mentions: AnnotatedMention[] = [];
  let row: { start: number; end: number; value: MentionValue } | undefined;
  let lastPart = -1;
  const close = () => {
    if (row && (row.value.t || row.value.n)) mentions.push(mention(text, row.start, row.end, 'tnm', row.value));
    row = undefined;
  };
  for (const match of scanMatches(text, KEYED_PART_SCAN)) {
    const letter = match[1]!.toUpperCase();
    const part = PART_ORDER.indexOf(letter);
    const joins = row && part > lastPart && KEYED_PARTS_GAP.test(text.slice(row.end, match.index));
    if (!joins) close();
    row ??= { start: match.index, end: match.index, value: {} };
    row.value[letter.toLowerCase()] = normalizePart(letter + match[2]!);
    row.end = match.index + match[0].length;
    lastPart = part;
  }
  close();
  return mentions;
}
