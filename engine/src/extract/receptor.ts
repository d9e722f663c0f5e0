// ER, PR, HER2 and AR results: "ER positive (95%)", "PR: Positive, 15%, weak to moderate", "HER2 IHC 2+
// (equivocal)", "HER2: Negative (IHC 2+; FISH not amplified)", "ER+/PR+/HER2-", "ER/PR negative" (two mentions on
// one span), "ER-low (5%)", "HER2 is not amplified".
import type { AnnotatedMention, MentionValue } from '@cancerllm/protocol';
import { mention } from './mention.ts';
import { lowerCaseOf } from '../text/lower-case.ts';
import { ascendingOnce, scanMatches, type NarrowedScan } from './literal-heads.ts';

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
const STATUS = String.raw`(?:low[\s-]positive|weakly\s+positive|strongly\s+positive|positive|negative|equivocal|low|amplified|not\s+amplified|non-?amplified|pos|neg|\+{1,3}|-|−|–)`;
const DETAIL = String.raw`(?:\s*\((?:[^()\n]|\([^()\n]*\)){1,80}\)|,\s*\d{1,3}\s*%(?:,\s*(?:weak|moderate|strong|intermediate)(?:\s+to\s+(?:weak|moderate|strong))?)?)?`;
// One receptor (or a slash list such as ER/PR) with its result.
const RECEPTOR_PATTERN = new RegExp(
  String.raw`(?<![A-Za-z0-9])(${RECEPTOR}(?:\s*\/\s*${RECEPTOR})*)(?:[\s-]*(?:status)?\s*(?::|is|was|are)?\s*)(?:(${STATUS})(?![A-Za-z])|IHC\s*(?:score\s*)?([0-3]\+?)(?![0-9]))(${DETAIL})`,
  'gi',
);
/** The flag above reads results in any case; the receptor names themselves must be written as abbreviations are. */
const RECEPTOR_NAME_CASE =
  /^(?:ER|PR|PgR|HER|Her|AR|[Ee]strogen|[Oo]estrogen|[Pp]rogesterone|[Aa]ndrogen|ESTROGEN|OESTROGEN|PROGESTERONE|ANDROGEN)/;
/** The letters of each name before its first "r" ("he" of HER2, "est" of estrogen), in lower case, each once. */
const BEFORE_FIRST_R = [...new Set(RECEPTOR_NAMES.map(lettersBeforeFirstR))];
/**
 * An "r" that can be a receptor name's first "r": a word begins with the letters before it. V8 finds the "r"s of
 * the note fast and tests the lookbehind only there; RECEPTOR_PATTERN's own scan tests its lookbehind and names
 * at every offset.
 */
const NAME_R = new RegExp(String.raw`r(?<=(?<![a-z0-9])(?:${BEFORE_FIRST_R.join('|')})r)`, 'g');
/** RECEPTOR_PATTERN tried only where a receptor name can start (nameStarts). */
export const RECEPTOR_SCAN: NarrowedScan = {
  pattern: RECEPTOR_PATTERN,
  starts: (text) => {
    const lower = lowerCaseOf(text);
    return lower === undefined ? undefined : nameStarts(lower);
  },
};
const LETTER_OR_DIGIT = /[a-z0-9]/;
const PERCENT = /(\d{1,3})\s*%/;
const IHC_IN_DETAIL = /IHC\s*(?:score\s*)?:?\s*([0-3])\+?/i;
const FISH_IN_DETAIL = /(not\s+amplified|non-?amplified|amplified)/i;

export function findReceptors(text: string): AnnotatedMention[] {
  const out: AnnotatedMention[] = [];
  for (const m of scanMatches(text, RECEPTOR_SCAN)) {
    if (!m[1]!.split(/\s*\/\s*/).every((name) => RECEPTOR_NAME_CASE.test(name))) continue;
    const names = m[1]!.split(/\s*\/\s*/).map(receptorName);
    if (names.includes(undefined)) {
      if (!/^HER2\s*\/\s*neu/i.test(m[1]!)) continue;
    }
    const status = m[2];
    const detail = m[4] ?? '';
    const value = receptorValue(status, m[3], detail);
    if (!value) continue;
    const start = m.index;
    const end = start + m[0].length;
    const unique = /HER2\s*\/\s*neu/i.test(m[1]!) ? ['HER2'] : names;
    for (const receptor of unique)
      if (receptor) out.push(mention(text, start, end, 'receptor_status', { receptor, ...value }));
  }
  return out;
}

/**
 * Where a receptor name can start in the lower-cased note: at the start of a word, the letters before an "r" that
 * NAME_R finds.
 */
function nameStarts(lower: string): readonly number[] {
  const byLength = BEFORE_FIRST_R.map(() => [] as number[]);
  NAME_R.lastIndex = 0;
  while (NAME_R.test(lower)) {
    const r = NAME_R.lastIndex - 1;
    BEFORE_FIRST_R.forEach((before, i) => {
      const start = r - before.length;
      if (start >= 0 && lower.startsWith(before, start) && !LETTER_OR_DIGIT.test(lower[start - 1] ?? ''))
        byLength[i]!.push(start);
    });
  }
  return ascendingOnce(byLength);
}

/** Every receptor name holds an "r" (the search for names depends on it). */
function lettersBeforeFirstR(name: string): string {
  const lower = name.toLowerCase();
  if (!lower.includes('r')) throw new Error(`The receptor name ${name} must hold an "r".`);
  return lower.slice(0, lower.indexOf('r'));
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
  const ihcWritten = ihcOnly ?? IHC_IN_DETAIL.exec(detail)?.[1] ?? /\(\s*([0-3])\+?\s*\)/.exec(detail)?.[1];
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
  if (!result && ihcWritten !== undefined)
    result = ihcWritten.startsWith('3') ? 'positive' : ihcWritten.startsWith('2') ? 'equivocal' : 'negative';
  if (!result) return undefined;
  value.status = result;
  const percent = PERCENT.exec(detail)?.[1];
  if (percent !== undefined) value.percent = Number(percent);
  if (ihcWritten !== undefined)
    value.ihc = ihcWritten.replace(/\+$/, '') === '0' ? '0' : `${ihcWritten.replace(/\+$/, '')}+`;
  if (s === 'amplified') value.fish = 'amplified';
  else if (/not amplified|non-?amplified/.test(s)) value.fish = 'not amplified';
  else if (fish) value.fish = /not|non/.test(fish) ? 'not amplified' : 'amplified';
  return value;
}
