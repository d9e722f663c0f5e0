// Lymph-node involvement: counts ("2 of 15", "2/15", "two of fifteen", "0/3 sentinel nodes") → positive/examined,
// and statements without counts ("hilar and subcarinal adenopathy", "nodal metastases", "node-positive") with an
// empty value. A count needs a node word nearby, so "3/3 cores" and dates are not node counts.
import type { AnnotatedMention } from '@cancerllm/protocol';
import { characterClass, isDigit, isLetter, isLowerLetter, isWhitespace } from '../text/character-class.ts';
import { lowerCaseOf } from '../text/lower-case.ts';
import { ascendingOnce, occurrencesOf, rareLiteralHits } from './literal-heads.ts';
import {
  matchFromHeadOffsets,
  scanLowerCaseMatches,
  scanMatches,
  type NarrowedLead,
  type NarrowedScan,
} from './narrowed-scan.ts';
import { acrossLineBreaks, lastLettersOf, spaceRunStart } from './window-tests.ts';
import { mention } from './mention.ts';

const NUMBER_WORDS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
  'twenty',
];
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60 };
const WORD_NUMBER = String.raw`(?:(?:twenty|thirty|forty|fifty|sixty)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|${NUMBER_WORDS.join('|')})`;
// "of" in any case: pathology reports write their diagnoses in capitals ("IN 2 OF 18 LYMPH NODES").
const DIGIT_COUNT = /(\d{1,2})\s*(?:\/|[oO][fF])\s*(\d{1,3})(?![\w/]|\.\d)/g;
/** DIGIT_COUNT tried only where it can start (see digitCountStarts). */
export const DIGIT_COUNT_SCAN: NarrowedScan = { pattern: DIGIT_COUNT, starts: digitCountStarts };
/** Word counts are found from their " of " ("two of fifteen"), checking the number words on either side. */
const OF_HEAD = /\s(?:of|\/)\s/gi;
/** OF_HEAD tried only at a whitespace before an "of" or "/". */
export const OF_HEAD_SCAN: NarrowedScan = { pattern: OF_HEAD, starts: ofHeadStarts };
// Spaces around the "of" may be doubled ("two  of  fifteen"); OF_HEAD holds one on each side.
const WORD_BEFORE = new RegExp(String.raw`(?<![\w/.])(${WORD_NUMBER})\s*$`, 'i');
// A word may count out of a number written in digits: "one of 22 regional lymph nodes".
const WORD_AFTER = new RegExp(String.raw`^\s*(${WORD_NUMBER}|\d{1,3})(?![\w/])`, 'i');
// A nodal category names the nodes too: "pN1a (2/15)".
const NODE_CONTEXT = /\b(?:lymph|nodes?|nodal|LNs?|stations?|sentinel|SLNs?|(?:yp|p|c)?N[0-3](?:[a-c]|mi)?)\b/i;
const NOT_NODE_CONTEXT =
  /\b(?:cores?|biops(?:y|ies)|samples?|fragments?|score|mitos[ie]s|slides?|blocks?|hpf|days?|weeks?|cycles?)\b/i;

const NOT_NODE_COUNT_BEFORE = /\b(?:fractions?|fx|grade|cycles?|days?|weeks?|doses?)\s*(?:\d{1,2}\s*[-–]\s*)?$/i;

const LEVEL_NUMERAL = String.raw`(?:[IVX]+|\d)[ab]?`;
const LEVEL = String.raw`level\s+${LEVEL_NUMERAL}`;
/** Region words before a node word, as regex sources in the order the alternation tries them. */
const REGION_TERMS = [
  'retroperitoneal',
  'mesenteric',
  'mediastinal',
  'hilar',
  'subcarinal',
  'supraclavicular',
  'infraclavicular',
  'axillary',
  'cervical',
  'inguinal',
  'pelvic',
  'para-?aortic',
  'paratracheal',
  'periaortic',
  'internal mammary',
  'periumbilical',
  'peripancreatic',
  'perigastric',
  'pericolic',
  'mesorectal',
  'iliac',
  'external iliac',
  'internal iliac',
  'common iliac',
  'obturator',
  'portal',
  'porta hepatis',
  'celiac',
  'submandibular',
  'submental',
  'jugulodigastric',
  LEVEL,
  'infradiaphragmatic',
  'abdominal',
  'thoracic',
  'neck',
  'lateral pelvic sidewall',
  'contralateral',
  'ipsilateral',
  'bilateral',
  'right',
  'left',
  'R',
  'L',
  'bulky',
  'palpable',
  'regional',
  'distant',
];
/** A region of two words may be wrapped to the next line ("left external\niliac lymph nodes"). */
const REGION = `(?:${REGION_TERMS.map(acrossLineBreaks).join('|')})`;
const REGION_LIST = String.raw`${REGION}(?:\s*(?:,|\/|and|or|,\s*and|,\s*or)?\s*${REGION})*\s+(?:\([^)]{1,20}\)\s+)?`;
const ADENOPATHY_PATTERN = new RegExp(
  String.raw`(?<![A-Za-z-])(?:${REGION_LIST})?(?:lymphadenopathy|adenopathy|nodal\s+(?:metastas[ie]s|involvement|disease|mass|recurrence)|lymph\s+nodes?(?!\s*(?:dissection|biopsy|mapping|excision|sampling))|nodes(?!\s*(?:dissection|biopsy|mapping|were|are|:))|node-positive|node\s+positive)(?![A-Za-z])`,
  'iy',
);
/** The words /lymph|adenopathy|nodal|node/i finds, searched one by one (see rareLiteralHits). */
const ADENOPATHY_HEAD = ['lymph', 'adenopathy', 'nodal', 'node'];
/** The region list before a node word, measured only where a list can end (mayEndRegionList). */
export const REGION_LIST_LEAD: NarrowedLead = {
  lead: new RegExp(String.raw`(?<![A-Za-z-])${REGION_LIST}$`, 'i'),
  lookBack: 160,
  mayMatch: mayEndRegionList,
  earliestStart: regionListEarliestStart,
};
/**
 * The longest parenthesis a region list ends with ("(level I)"): \([^)]{1,20}\) in REGION_LIST. Every other
 * character of a list is a region term's (letters, a level's digits, the "-" of para-aortic, spaces) or a joiner's
 * (",", "/", "and", "or", whitespace): see isRegionListCharacter.
 */
const MAX_LIST_PARENTHESIS = 22;
const REGION_TAILS = tailsByLastLetter(REGION_TERMS.filter((term) => term !== LEVEL));
/** Node words too generic to be a mention, alone or after a side or a word such as "regional". */
const GENERIC_NODES =
  /^(?:(?:right|left|R|L|bilateral|regional|suspicious|enlarged|distant|avid)\s+)?(?:lymph\s+nodes?|nodes)$/i;
const LEVEL_NUMERAL_ONLY = new RegExp(`^${LEVEL_NUMERAL}$`, 'i');

export function findLymphNodes(text: string): AnnotatedMention[] {
  const out: AnnotatedMention[] = [];
  for (const { start, end, positive, examined, examinedWritten } of counts(text)) {
    if (positive > examined || examined === 0) continue;
    const near = text.slice(end, Math.min(text.length, end + 20));
    if (!hasNodeContext(text, start, end) || NOT_NODE_CONTEXT.test(near)) continue;
    if (/\b(?:on|dated|since|until|through|page)\s*$/i.test(text.slice(Math.max(0, start - 10), start))) continue;
    // "at fraction 18/30", "GRADE 1-2 OF 3": a count of something else.
    if (NOT_NODE_COUNT_BEFORE.test(text.slice(Math.max(0, start - 16), start))) continue;
    if (/\/\d{2,4}\b/.test(text.slice(end, end + 5)) || /\d{4}/.test(examinedWritten)) continue;
    out.push(mention(text, start, end, 'lymph_nodes', { positive, examined }));
  }
  out.push(...nodalMasses(text));
  const heads = rareLiteralHits(text, ADENOPATHY_HEAD);
  for (const m of matchFromHeadOffsets(text, heads, REGION_LIST_LEAD, ADENOPATHY_PATTERN)) {
    const written = m[0];
    // "lymph nodes" and "nodes" alone are too generic ("Regional lymph nodes: 2/18"); they need a region word.
    if (GENERIC_NODES.test(written)) continue;
    out.push(mention(text, m.index, m.index + written.length, 'lymph_nodes', {}));
  }
  return out;
}

/**
 * Whether a node word stands near a count: in the 100 characters before it or the 35 after it, within its
 * paragraph (a blank line, /\n\s*\n/, ends one). No node word holds a space, so the two sides are tested apart.
 */
function hasNodeContext(text: string, start: number, end: number): boolean {
  // The shorter side first: most counts are followed by their node word ("2 of 15 lymph nodes").
  const afterEnd = Math.min(text.length, end + 35);
  if (NODE_CONTEXT.test(text.slice(end, paragraphEndIn(text, end, afterEnd)))) return true;
  return NODE_CONTEXT.test(text.slice(paragraphStartIn(text, Math.max(0, start - 100), start), start));
}

/**
 * Where the last paragraph of text[from, to) begins: after the last blank line in it, as the last piece of
 * text.slice(from, to).split(/\n\s*\n/) does. A match of /\n\s*\n/ runs from the first to the last line break
 * of a run of whitespace with two or more, so the last piece begins after the last line break that has another
 * one before it in its run.
 */
export function paragraphStartIn(text: string, from: number, to: number): number {
  for (let lineBreak = text.lastIndexOf('\n', to - 1); lineBreak >= from; ) {
    let at = lineBreak;
    while (at > from && isWhitespace(text.charCodeAt(at - 1))) {
      if (text.charCodeAt(at - 1) === LINE_FEED) return lineBreak + 1;
      at--;
    }
    lineBreak = at > from ? text.lastIndexOf('\n', at - 1) : -1;
  }
  return from;
}

/**
 * Where the first paragraph of text[from, to) ends: at its first blank line, as the first piece of
 * text.slice(from, to).split(/\n\s*\n/) does (at the first line break followed, in its run of whitespace, by
 * another one).
 */
export function paragraphEndIn(text: string, from: number, to: number): number {
  for (let lineBreak = text.indexOf('\n', from); lineBreak >= 0 && lineBreak < to; ) {
    let at = lineBreak + 1;
    while (at < to && isWhitespace(text.charCodeAt(at))) {
      if (text.charCodeAt(at) === LINE_FEED) return lineBreak;
      at++;
    }
    lineBreak = at < to ? text.indexOf('\n', at) : -1;
  }
  return to;
}

const LINE_FEED = 10;

interface Count {
  start: number;
  end: number;
  positive: number;
  examined: number;
  examinedWritten: string;
}

function* counts(text: string): Generator<Count> {
  const joiners = joinerOffsets(text);
  for (const m of scanMatches(text, DIGIT_COUNT_SCAN, digitCountStarts(text, joiners))) {
    if (m.index > 0 && /[\w/.]/.test(text[m.index - 1]!)) continue;
    yield {
      start: m.index,
      end: m.index + m[0].length,
      positive: Number(m[1]),
      examined: Number(m[2]),
      examinedWritten: m[2]!,
    };
  }
  for (const of of scanLowerCaseMatches(text, OF_HEAD_SCAN, ofHeadStarts(text, joiners))) {
    // The word after is read first: it fails fast (anchored at its start), and it fails after most "of"s.
    const after = WORD_AFTER.exec(text.slice(of.index + of[0].length, of.index + of[0].length + 18));
    if (!after) continue;
    const before = WORD_BEFORE.exec(text.slice(Math.max(0, of.index - 18), of.index));
    if (!before) continue;
    const positive = wordValue(before[1]!);
    const examined = /^\d/.test(after[1]!) ? Number(after[1]) : wordValue(after[1]!);
    if (positive === undefined || examined === undefined) continue;
    const start = of.index - before[0].length;
    yield { start, end: of.index + of[0].length + after[0].length, positive, examined, examinedWritten: after[1]! };
  }
}

/**
 * Where the "of"s and "/"s of the note are, in any case (in the note as written when lower-casing moves offsets):
 * both kinds of count hold one.
 */
function joinerOffsets(text: string): readonly number[] {
  const haystack = lowerCaseOf(text) ?? text;
  return ascendingOnce([occurrencesOf(haystack, 'of'), occurrencesOf(haystack, '/')]);
}

/**
 * Where DIGIT_COUNT can match: its first number, one or two digits, ends where the whitespace before its "/" or
 * "of" (in lower case) begins, and a second number fits after it.
 */
function digitCountStarts(text: string, joiners = joinerOffsets(text)): number[] {
  const starts: number[] = [];
  for (const joiner of joiners) {
    const joinerLength = text[joiner] === '/' ? 1 : isOf(text, joiner) ? 2 : 0;
    if (joinerLength === 0 || !secondNumberFits(text, joiner + joinerLength)) continue;
    const numberEnd = spaceRunStart(text, joiner);
    for (const start of [numberEnd - 2, numberEnd - 1]) {
      if (start > (starts[starts.length - 1] ?? -1) && isDigit(text.charCodeAt(start))) starts.push(start);
    }
  }
  return starts;
}

/** Whether "of", in any case, is written at `at`. */
function isOf(text: string, at: number): boolean {
  return (text.charCodeAt(at) | 32) === 111 && (text.charCodeAt(at + 1) | 32) === 102;
}

/**
 * Whether DIGIT_COUNT's second number can follow a joiner that ends at `at`: whitespace, one to three digits, and
 * then no word character or "/". Dates ("01/15/2023") fail here, which spares a regex attempt at their digits.
 */
function secondNumberFits(text: string, at: number): boolean {
  let digits = at;
  while (digits < text.length && isWhitespace(text.charCodeAt(digits))) digits++;
  let end = digits;
  while (end < text.length && isDigit(text.charCodeAt(end))) end++;
  return end > digits && end - digits <= 3 && !isWordOrSlash(text.charCodeAt(end));
}

function isLowerLetterOrDigit(code: number): boolean {
  return isLowerLetter(code) || isDigit(code);
}

/** /[\w/]/ for a character code (NaN past the end: none). */
function isWordOrSlash(code: number): boolean {
  return isDigit(code) || isLowerLetter(code | 32) || code === 95 || code === 47;
}

/** Where OF_HEAD can match: at whitespace before an "of" or "/" (in any case). */
function ofHeadStarts(text: string, joiners = joinerOffsets(text)): number[] | undefined {
  const lower = lowerCaseOf(text);
  if (lower === undefined) return undefined;
  return joiners.filter((at) => at > 0 && isWhitespace(lower.charCodeAt(at - 1))).map((at) => at - 1);
}

/**
 * True whenever a region list ends at `at` (and sometimes otherwise): a list ends in whitespace after a region
 * term or after a parenthesis.
 */
function mayEndRegionList(text: string, from: number, at: number): boolean {
  const lower = lowerCaseOf(text);
  if (lower === undefined) return true;
  const end = spaceRunStart(lower, at, from);
  if (end === at || end === from) return false;
  return lower[end - 1] === ')' || mayEndRegion(lower, from, end);
}

/**
 * True whenever a region term can end at `end` in a list: where its last letters (REGION_TAILS) or a level's
 * numeral end. A one-letter term ("R", "L") stands after a non-letter, another term or a joining "and"/"or" (the
 * list may glue them: "Rhilar", "RandL"), so the "l" of "sentinel" is not one.
 */
function mayEndRegion(lower: string, from: number, end: number): boolean {
  for (const { tail, isTerm } of REGION_TAILS.get(lower[end - 1]!) ?? []) {
    const start = end - tail.length;
    if (start < from || !lower.startsWith(tail, start)) continue;
    if (tail.length > 1 || !isTerm || start === from || !isLowerLetter(lower.charCodeAt(start - 1))) return true;
    if (lower.startsWith('and', start - 3) || lower.startsWith('or', start - 2)) return true;
    if (mayEndRegion(lower, from, start)) return true;
  }
  let numeral = end;
  while (numeral > from && isLowerLetterOrDigit(lower.charCodeAt(numeral - 1))) numeral--;
  return LEVEL_NUMERAL_ONLY.test(lower.slice(numeral, end));
}

/**
 * Where a region list that ends at `at` can begin at the earliest: after the last character before it that no
 * list holds (only the parenthesis a list may end with holds others). V8 tries the lead at every offset of its
 * 160 characters, most of them the sentence before the list ("CT of the chest shows bulky right hilar").
 */
function regionListEarliestStart(text: string, from: number, at: number): number {
  const lower = lowerCaseOf(text);
  if (lower === undefined) return from;
  const spaces = spaceRunStart(lower, at, from);
  let start = lower[spaces - 1] === ')' ? Math.max(from, spaces - MAX_LIST_PARENTHESIS) : at;
  while (start > from && isRegionListCharacter(lower.charCodeAt(start - 1))) start--;
  return start;
}

/** Whether a region list (in lower case) can hold the character, outside the parenthesis it may end with. */
const isRegionListCharacter = characterClass(/[a-z0-9,/\-\s]/);

interface RegionTail {
  tail: string;
  /** The tail is the whole term ("R"). */
  isTerm: boolean;
}

/** Each region term's last letters (see lastLettersOf), by their last letter; the level term is tested apart. */
function tailsByLastLetter(terms: readonly string[]): Map<string, RegionTail[]> {
  const tails = new Map<string, RegionTail[]>();
  for (const term of terms) {
    const tail = lastLettersOf(term);
    if (!tail) throw new Error(`The region term ${term} must end in letters.`);
    const last = tail.slice(-1);
    tails.set(last, [...(tails.get(last) ?? []), { tail, isTerm: tail === term.toLowerCase() }]);
  }
  return tails;
}

function wordValue(word: string): number | undefined {
  const w = word.toLowerCase();
  const simple = NUMBER_WORDS.indexOf(w);
  if (simple >= 0) return simple;
  const [tens, unit] = w.split('-');
  const base = TENS[tens ?? ''];
  if (base === undefined) return undefined;
  return unit ? base + NUMBER_WORDS.indexOf(unit) : base;
}

/**
 * A mass named by a nodal region: "bulky mediastinal mass", "Right level II neck mass", "bulky (>10 cm) mediastinal
 * disease" (lymphoma and head-and-neck notes). Only regions that hold nodes rather than organs count: a "pelvic" or
 * "cervical" mass is more often a primary tumour.
 */
const NODAL_MASS_AT =
  /(?:mediastinal|supraclavicular|axillary|neck)\s+(?:mass(?:es)?|disease)(?![A-Za-z])(?!\s+ratio)/iy;
/** What may stand before the region: "bulky", "anterior", a side, a level, a size in parentheses. */
const NODAL_MASS_LEAD =
  /(?<![A-Za-z])(?:(?:bulky|anterior|right|left|R|L)\s+|(?:level\s+[IVX\d]+[ab]?)\s+|\([^()\n]{1,12}\)\s+)+$/i;
/** An organ's neck ("bladder neck mass", "pancreatic neck"): not the neck's nodes. */
const ORGAN_NECK_BEFORE = /(?:bladder|pancreatic|pancreas|femoral|humeral|gallbladder|uterine|tooth)\s+$/i;
const NODAL_MASS_REGIONS = ['mediastinal', 'supraclavicular', 'axillary', 'neck'];

function nodalMasses(text: string): AnnotatedMention[] {
  const lower = lowerCaseOf(text);
  if (lower === undefined) return [];
  const out: AnnotatedMention[] = [];
  for (const at of ascendingOnce(NODAL_MASS_REGIONS.map((region) => occurrencesOf(lower, region)))) {
    if (at > 0 && (isLetter(text.charCodeAt(at - 1)) || text[at - 1] === '-')) continue;
    if (lower.startsWith('neck', at) && ORGAN_NECK_BEFORE.test(text.slice(Math.max(0, at - 14), at))) continue;
    NODAL_MASS_AT.lastIndex = at;
    const m = NODAL_MASS_AT.exec(text);
    if (!m) continue;
    const lead = NODAL_MASS_LEAD.exec(text.slice(Math.max(0, at - 40), at));
    const start = lead ? at - lead[0].length : at;
    out.push(mention(text, start, at + m[0].length, 'lymph_nodes', {}));
  }
  return out;
}
