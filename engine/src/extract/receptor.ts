// ER, PR, HER2 and AR results: "ER positive (95%)", "PR: Positive, 15%, weak to moderate", "HER2 IHC 2+
// (equivocal)", "HER2: Negative (IHC 2+; FISH not amplified)", "ER+/PR+/HER2-", "ER/PR negative" (two mentions on
// one span), "ER-low (5%)", "HER2 is not amplified"; and a result written as a number only: "ER 95%", "PR <1%",
// "HER2 1+", "HER2 (3+)".
import type { AnnotatedMention, MentionValue } from '@cancerllm/protocol';
import { mention } from './mention.ts';
import { characterClass, isLetter } from '../text/character-class.ts';
import { lowerCaseOf } from '../text/lower-case.ts';
import { ascendingOnce, occurrencesOf } from './literal-heads.ts';
import { scanMatches, type NarrowedScan } from './narrowed-scan.ts';
import { SpanSet } from './span-set.ts';

/** Receptor names as regex sources, in the order the alternation tries them. */
const RECEPTOR_NAMES = [
  'ER',
  'PR',
  'PgR',
  'HER2',
  'HER-2',
  String.raw`HER2\/neu`,
  'Her2',
  'Her-2',
  'AR',
  'estrogen receptor',
  'oestrogen receptor',
  'progesterone receptor',
  'androgen receptor',
];
const RECEPTOR = `(?:${RECEPTOR_NAMES.join('|')})`;
const STATUS = String.raw`(?:low[\s-]+positive|weakly\s+positive|strongly\s+positive|positive|negative|equivocal|low|amplified|not\s+amplified|non-?amplified|pos|neg|\+{1,3}|-|−|–)`;
const DETAIL = String.raw`(?:\s*\((?:[^()]|\([^()]*\)){1,80}\)|,\s*\d{1,3}\s*%(?:,\s*(?:weak|moderate|strong|intermediate)(?:\s+to\s+(?:weak|moderate|strong))?)?)?`;
/**
 * The assay or antibody clone a synoptic report writes between a receptor and its result: "Estrogen receptor
 * (SP1): POSITIVE", "HER2 IHC (4B5): EQUIVOCAL", "HER2 dual-probe ISH: AMPLIFIED". A clone in parentheses holds a
 * letter, so "(3+)" and "(95%)" stay results.
 */
const METHOD = String.raw`(?:\s*\((?=[^()]*[A-Za-z])[A-Za-z0-9.-]{1,12}\)|\s+(?:(?:by\s+)?(?:IHC|FISH|SISH|CISH|ISH|immunohistochemistry)(?![A-Za-z])|dual[\s-]+probe\s+ISH)){0,3}`;
// One receptor (or a slash list such as ER/PR) with its result.
const RECEPTOR_PATTERN = new RegExp(
  String.raw`(?<![A-Za-z0-9])(${RECEPTOR}(?:\s*\/\s*${RECEPTOR})*)${METHOD}(?:[\s-]*(?:status)?\s*(?::|is|was|are)?\s*)(?:(${STATUS})(?![A-Za-z])|IHC\s*:?\s*(?:score\s*)?([0-3]\+?)(?![0-9]))(${DETAIL})`,
  'gi',
);
/** The flag above reads results in any case; the receptor names themselves must be written as abbreviations are. */
const RECEPTOR_NAME_CASE =
  /^(?:ER|PR|PgR|HER|Her|AR|[Ee]strogen|[Oo]estrogen|[Pp]rogesterone|[Aa]ndrogen|ESTROGEN|OESTROGEN|PROGESTERONE|ANDROGEN)/;
/**
 * The letters of each name up to and including its first "r", in lower case, each once ("er", "her", "estr",
 * "andr"): a receptor name starts where a word starts with one of them. Ending at the "r" keeps the heads short
 * yet rare enough ("andr", not "and", which would be every "and" of the note).
 */
const NAME_HEADS = [...new Set(RECEPTOR_NAMES.map(lettersToFirstR))];
/** RECEPTOR_PATTERN tried only where a receptor name can start (nameStarts). */
export const RECEPTOR_SCAN: NarrowedScan = {
  pattern: RECEPTOR_PATTERN,
  starts: (text) => {
    const lower = lowerCaseOf(text);
    return lower === undefined ? undefined : nameStarts(lower);
  },
};
/**
 * A receptor whose result is a number only: a percentage of stained nuclei ("ER 95%", "PR <1%", "ER 95% positive")
 * or, for HER2, an immunohistochemistry score ("HER2 1+", "HER2 (3+)"). Tried where RECEPTOR_PATTERN finds nothing.
 */
const NUMBER_RESULT_PATTERN = new RegExp(
  String.raw`(?<![A-Za-z0-9])(${RECEPTOR}(?:\s*\/\s*${RECEPTOR})*)${METHOD}\s*(?::|is|was)?\s*(?:(<\s*1|\d{1,3})\s*%(?:\s+(positive|negative))?(?![A-Za-z0-9])|\(\s*([0-3]\+)\s*\)|([0-3]\+)(?![A-Za-z0-9+]))`,
  'gi',
);
/** NUMBER_RESULT_PATTERN tried where a receptor name can start, as RECEPTOR_SCAN. */
export const NUMBER_RESULT_SCAN: NarrowedScan = {
  pattern: NUMBER_RESULT_PATTERN,
  starts: (text) => numberResultStarts(text, RECEPTOR_SCAN.starts(text)),
};

/** The receptor name starts that a number follows (see numberFollows). */
function numberResultStarts(text: string, nameStarts: readonly number[] | undefined): number[] | undefined {
  return nameStarts?.filter((at) => numberFollows(text, at));
}

/**
 * Whether, after the receptor name at `at` and what may stand between it and a number (letters, "/", ":", blanks),
 * a digit, "<" or "(" comes: NUMBER_RESULT_PATTERN cannot match elsewhere, and most names are followed by a word.
 */
function numberFollows(text: string, at: number): boolean {
  // Most name starts are other words ("present", "prior"): the first word must be a receptor name's.
  let wordEnd = at;
  while (wordEnd < text.length && wordEnd - at <= LONGEST_FIRST_WORD && isLetter(text.charCodeAt(wordEnd))) wordEnd++;
  if (!RECEPTOR_FIRST_WORDS.has(text.slice(at, wordEnd).toLowerCase())) return false;
  const end = Math.min(text.length, at + 48);
  for (let i = wordEnd; i < end; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 48 && c <= 57) || c === 60 || c === 40) return true;
    if (!isNameOrGapCharacter(c)) return false;
  }
  return false;
}

/** The letters each receptor name begins with, up to its first non-letter ("her" of "HER2"), in lower case. */
const RECEPTOR_FIRST_WORDS = new Set(RECEPTOR_NAMES.map((name) => /^[A-Za-z]+/.exec(name)![0].toLowerCase()));
const LONGEST_FIRST_WORD = Math.max(...[...RECEPTOR_FIRST_WORDS].map((word) => word.length));

/** A letter, "/", "-", ":" or whitespace: what a receptor list and the words before its number are written with. */
const isNameOrGapCharacter = characterClass(/[A-Za-z/:\s-]/);
/** ER 1–10 % is "ER low positive" (ASCO/CAP 2020); the category is not used for PR or AR. */
const LOW_POSITIVE_MAX_PERCENT = 10;
const CODE_A = 'a'.charCodeAt(0);
const CODE_Z = 'z'.charCodeAt(0);
const CODE_0 = '0'.charCodeAt(0);
const CODE_9 = '9'.charCodeAt(0);
const PERCENT = /(\d{1,3})\s*%/;
const IHC_IN_DETAIL = /IHC\s*(?:score\s*)?:?\s*([0-3])\+?/i;
const FISH_IN_DETAIL = /(not\s+amplified|non-?amplified|amplified)/i;

export function findReceptors(text: string): AnnotatedMention[] {
  const out: AnnotatedMention[] = [];
  const found = new SpanSet();
  // The name starts are found once for both scans.
  const starts = RECEPTOR_SCAN.starts(text);
  for (const m of scanMatches(text, RECEPTOR_SCAN, starts)) {
    const receptors = receptorsNamed(m[1]!);
    if (!receptors) continue;
    const value = receptorValue(m[2], m[3], m[4] ?? '');
    if (!value) continue;
    found.add(m.index, m.index + m[0].length);
    for (const receptor of receptors)
      out.push(mention(text, m.index, m.index + m[0].length, 'receptor_status', { receptor, ...value }));
  }
  for (const m of scanMatches(text, NUMBER_RESULT_SCAN, numberResultStarts(text, starts))) {
    const end = m.index + m[0].length;
    if (found.overlaps(m.index, end)) continue;
    const receptors = receptorsNamed(m[1]!);
    if (!receptors) continue;
    for (const receptor of receptors) {
      const value = numberResultValue(receptor, m[2], m[4] ?? m[5]);
      if (value) out.push(mention(text, m.index, end, 'receptor_status', { receptor, ...value }));
    }
  }
  return out.length > 1 ? out.sort((a, b) => a.start - b.start) : out;
}

/**
 * The receptors a written name or slash list names ("ER/PR": ER and PR; "HER2/neu": HER2), or undefined when a name
 * is not written as its abbreviation is ("er", "Pr").
 */
function receptorsNamed(written: string): string[] | undefined {
  if (/^HER2\s*\/\s*neu$/i.test(written)) return RECEPTOR_NAME_CASE.test(written) ? ['HER2'] : undefined;
  const parts = written.split(/\s*\/\s*/);
  if (!parts.every((name) => RECEPTOR_NAME_CASE.test(name))) return undefined;
  const names = parts.map(receptorName);
  return names.includes(undefined) ? undefined : (names as string[]);
}

/**
 * The value of a result written as a number: a percentage for ER, PR or AR (under 1 % negative; ER 1–10 % low
 * positive), or a HER2 score (0 and 1+ negative, 2+ equivocal, 3+ positive). A "positive" after a percentage
 * counts the stained nuclei ("PR 0% positive" is negative), so the percentage decides.
 */
function numberResultValue(
  receptor: string,
  percentWritten: string | undefined,
  score: string | undefined,
): Omit<MentionValue, 'receptor'> | undefined {
  if (score !== undefined) {
    if (receptor !== 'HER2') return undefined;
    return { status: her2ScoreStatus(score), ihc: ihcScore(score) };
  }
  if (percentWritten === undefined || receptor === 'HER2') return undefined;
  const below1 = percentWritten.startsWith('<');
  const percent = below1 ? 0 : Number(percentWritten);
  if (percent > 100) return undefined;
  const status =
    percent < 1 ? 'negative' : receptor === 'ER' && percent <= LOW_POSITIVE_MAX_PERCENT ? 'low' : 'positive';
  return below1 ? { status } : { status, percent };
}

/**
 * Where a receptor name can start in the lower-cased note: where a word starts with a name head. The heads are
 * looked up in the note's lower case, indexed once for all extractors (occurrencesOf); a regex that found every
 * "r" and looked behind it cost more than the receptor pattern itself.
 */
function nameStarts(lower: string): readonly number[] {
  const lists: number[][] = [];
  for (const head of NAME_HEADS) {
    const found = occurrencesOf(lower, head);
    if (found.length > 0) lists.push(wordStarts(lower, found));
  }
  return ascendingOnce(lists);
}

/** The offsets that start a word: no lower-case letter or digit ([a-z0-9]) before them. */
function wordStarts(lower: string, offsets: readonly number[]): number[] {
  const out: number[] = [];
  for (const at of offsets) {
    const before = at === 0 ? 0 : lower.charCodeAt(at - 1);
    if (!(before >= CODE_A && before <= CODE_Z) && !(before >= CODE_0 && before <= CODE_9)) out.push(at);
  }
  return out;
}

/** Every receptor name holds an "r" (names are searched by the letters up to it). */
function lettersToFirstR(name: string): string {
  const lower = name.toLowerCase();
  if (!lower.includes('r')) throw new Error(`The receptor name ${name} must hold an "r".`);
  return lower.slice(0, lower.indexOf('r') + 1);
}

function receptorName(written: string): string | undefined {
  const w = written.toLowerCase().replace(/\s+/g, ' ');
  if (w === 'er' || w.startsWith('estrogen') || w.startsWith('oestrogen')) return 'ER';
  if (w === 'pr' || w === 'pgr' || w.startsWith('progesterone')) return 'PR';
  if (w.startsWith('her')) return 'HER2';
  if (w === 'ar' || w.startsWith('androgen')) return 'AR';
  if (w === 'neu') return undefined;
  return undefined;
}

function receptorValue(
  status: string | undefined,
  ihcOnly: string | undefined,
  detail: string,
): Omit<MentionValue, 'receptor'> | undefined {
  const value: MentionValue = {};
  const s = (status ?? '').toLowerCase().replace(/\s+/g, ' ');
  const ihcWritten =
    ihcOnly ?? IHC_IN_DETAIL.exec(detail)?.[1] ?? /\(\s*(?:score\s*)?([0-3])\+?\s*\)/i.exec(detail)?.[1];
  const fish = FISH_IN_DETAIL.exec(detail)?.[1]?.toLowerCase();
  let result: string | undefined;
  if (s === 'amplified') result = 'positive';
  else if (/not amplified|non-?amplified/.test(s)) result = 'negative';
  else if (/low/.test(s)) result = 'low';
  else if (/positive|^pos$|^\+/.test(s)) result = 'positive';
  else if (/negative|^neg$|^[-−–]$/.test(s)) result = 'negative';
  else if (s === 'equivocal') result = 'equivocal';
  const detailStatus = /\b(positive|negative|equivocal)\b/i.exec(detail)?.[1]?.toLowerCase();
  if (!result && detailStatus) result = detailStatus;
  if (!result && ihcWritten !== undefined) result = her2ScoreStatus(ihcWritten);
  if (!result) return undefined;
  value.status = result;
  const percent = PERCENT.exec(detail);
  // "Negative (<1%)": below one percent, no number to keep.
  if (percent && !/<\s*$/.test(detail.slice(0, percent.index))) value.percent = Number(percent[1]);
  if (ihcWritten !== undefined) value.ihc = ihcScore(ihcWritten);
  if (s === 'amplified') value.fish = 'amplified';
  else if (/not amplified|non-?amplified/.test(s)) value.fish = 'not amplified';
  else if (fish) value.fish = /not|non/.test(fish) ? 'not amplified' : 'amplified';
  return value;
}

/** A HER2 immunohistochemistry score's status: 0 and 1+ negative, 2+ equivocal, 3+ positive. */
function her2ScoreStatus(score: string): string {
  return score.startsWith('3') ? 'positive' : score.startsWith('2') ? 'equivocal' : 'negative';
}

/** A score as the value holds it: "0", "1+", "2+", "3+" (written with or without its "+"). */
function ihcScore(written: string): string {
  const digit = written.replace(/\+$/, '');
  return digit === '0' ? '0' : `${digit}+`;
}
