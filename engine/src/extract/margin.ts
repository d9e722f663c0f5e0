// Surgical margins: "Margins negative", "Margins: Negative", "ALL MARGINS NEGATIVE", "DEEP MARGIN CLOSE (1.5 MM)",
// "positive apical margin", "negative margins", "R0"/"R1"/"R2". The distance to the closest margin ("closest 3 mm")
// becomes mm for negative and close margins.
import type { AnnotatedMention, MentionValue } from '@cancerllm/protocol';
import { lowerCaseOf } from '../text/lower-case.ts';
import { rareLiteralHits } from './literal-heads.ts';
import { anchoredScan, matchFromHeadOffsets, scanMatches, type NarrowedLead } from './narrowed-scan.ts';
import { endsWithWordThenGap, lastLettersOf, wrappedLineEnd } from './window-tests.ts';
import { mention } from './mention.ts';
import { SpanSet } from './span-set.ts';

/** Words that name a margin ("deep margin", "all other margins"), as regex sources. */
const MARGIN_TERMS = [
  'all',
  'other',
  'surgical',
  'resection',
  'deep',
  'peripheral',
  'radial',
  'circumferential',
  'apical',
  'distal',
  'proximal',
  String.raw`bladder\s+neck`,
  'lateral',
  'medial',
  'vaginal',
  'parametrial',
  'mucosal',
  'inked',
  'ink',
];
const MARGIN_WORDS = `(?:${MARGIN_TERMS.join('|')})`;
/** The last letters of the margin terms ("neck" of bladder\s+neck), which end a run of them. */
const MARGIN_TERM_ENDS = MARGIN_TERMS.map(lastLettersOf);
const STATUS_WORDS = ['negative', 'positive', 'close', 'uninvolved', 'involved', 'clear'];
/** Where a margin is, written between a status and "margin" ("positive deep margin"). */
const LOCATION_WORDS = [
  'deep',
  'peripheral',
  'radial',
  'circumferential',
  'apical',
  'distal',
  'proximal',
  'surgical',
  'resection',
  'lateral',
  'vaginal',
  'mucosal',
];
const STATUS = String.raw`(?:negative|positive|close|uninvolved|involved|free(?:\s+of\s+(?:tumou?r|carcinoma|malignancy))?|clear|not\s+involved)`;
const MARGIN_FIRST = new RegExp(
  String.raw`(?<![A-Za-z])(?:${MARGIN_WORDS}\s+)*(?:all\s+other\s+)?margins?(?:\s*\([^)]{0,30}\))?\s*(?::\s*(?:all\s+)?|(?:are|is|were|was)\s+|-\s*)?${STATUS}(?![A-Za-z])(?:\s*\(\s*(?:R[0-2]|\d+(?:\.\d+)?\s*(?:mm|cm))\s*\))?`,
  'iy',
);
const STATUS_THEN_LOCATION = String.raw`(${STATUS_WORDS.join('|')})(?:\s+(?:${LOCATION_WORDS.join('|')}))?[\s-]+`;
const STATUS_FIRST = new RegExp(String.raw`(?<![A-Za-z])${STATUS_THEN_LOCATION}margins?(?![A-Za-z])`, 'iy');
const WHITESPACE = /\s/;
const SPACE_OR_HYPHEN = /[\s-]/;
// The leads before "margin" end in `$`, so V8 tries them at every offset of their window; they are run only where
// the text there ends as a match of theirs must: in whitespace (or a hyphen) after one of their words.
/** Margin words before "margin" ("deep", "all other"); where there are none, the lead matches the empty string. */
export const MARGIN_WORDS_LEAD: NarrowedLead = {
  lead: new RegExp(String.raw`(?:${MARGIN_WORDS}\s+)*$`, 'i'),
  lookBack: 80,
  mayMatch: (text, from, at) => endsWithLowerCase(text, from, at, MARGIN_TERM_ENDS, WHITESPACE),
};
/** A status and a location before "margin" ("positive deep"). */
export const STATUS_LEAD: NarrowedLead = {
  lead: new RegExp(`${STATUS_THEN_LOCATION.replace('(', '(?:')}$`, 'i'),
  lookBack: 80,
  mayMatch: (text, from, at) =>
    endsWithLowerCase(text, from, at, [...STATUS_WORDS, ...LOCATION_WORDS], SPACE_OR_HYPHEN),
};
const RESECTION_CLASS = /(?<![A-Za-z0-9])R([012])(?![A-Za-z0-9])(?!\s*[-–]?\s*(?:CHOP|ICE|DHAP|CVP))/g;
export const RESECTION_CLASS_SCAN = anchoredScan(
  RESECTION_CLASS,
  ['R0', 'R1', 'R2'].map((literal) => ({ literal, back: [0] })),
);
// Read in a statement's wrapped lines (restOfLine): a line break inside does not end it.
const DISTANCE = /(?:closest|close|nearest|distance|margin|from|at)[^.;]{0,30}?(\d+(?:\.\d+)?)\s*(mm|cm)\b/i;

export function findMargins(text: string): AnnotatedMention[] {
  const out: AnnotatedMention[] = [];
  const taken = new SpanSet();
  const heads = rareLiteralHits(text, ['margin']);
  for (const [pattern, lead] of [
    [MARGIN_FIRST, MARGIN_WORDS_LEAD],
    [STATUS_FIRST, STATUS_LEAD],
  ] as const) {
    for (const m of matchFromHeadOffsets(text, heads, lead, pattern)) {
      const start = m.index;
      const end = start + m[0].length;
      if (taken.overlaps(start, end)) continue;
      const status = statusOf(m[0]);
      if (!status) continue;
      const value: MentionValue = { status };
      const mm = status === 'positive' ? undefined : (distanceMm(m[0]) ?? distanceMm(restOfLine(text, end)));
      if (mm !== undefined) value.mm = mm;
      out.push(mention(text, start, end, 'margin_status', value));
      taken.add(start, end);
    }
  }
  for (const m of scanMatches(text, RESECTION_CLASS_SCAN)) {
    if (taken.overlaps(m.index, m.index + 2)) continue;
    // "R0" needs a resection context: a margin, resection or pathologic staging word nearby.
    const window = text.slice(Math.max(0, m.index - 60), m.index + 20);
    if (!/margin|resect|pT\d|pN\d|ectomy|R0|excision/i.test(window.replace(m[0], ''))) continue;
    out.push(mention(text, m.index, m.index + 2, 'margin_status', { status: m[1] === '0' ? 'negative' : 'positive' }));
  }
  return out;
}

/** endsWithWordThenGap in the lower-cased note; true when lower-casing moves offsets (the lead's regex decides). */
function endsWithLowerCase(text: string, from: number, at: number, words: readonly string[], gap: RegExp): boolean {
  const lower = lowerCaseOf(text);
  return lower === undefined || endsWithWordThenGap(lower, from, at, words, gap);
}

function statusOf(written: string): string | undefined {
  const w = written.toLowerCase();
  if (/\bclose\b/.test(w)) return 'close';
  if (/\bpositive\b|\binvolved\b/.test(w) && !/uninvolved|not\s+involved/.test(w)) return 'positive';
  if (/negative|uninvolved|not\s+involved|free|clear/.test(w)) return 'negative';
  return undefined;
}

/** The rest of the statement's line, with the wrapped lines that carry it on: at most 80 characters. */
function restOfLine(text: string, from: number): string {
  return text.slice(from, wrappedLineEnd(text, from, from + 80));
}

function distanceMm(s: string): number | undefined {
  const m = DISTANCE.exec(s) ?? /\(\s*(\d+(?:\.\d+)?)\s*(mm|cm)\s*\)/i.exec(s);
  if (!m) return undefined;
  const n = Number(m[1]) * (m[2]!.toLowerCase() === 'cm' ? 10 : 1);
  return Math.round(n * 100) / 100;
}
