// Tumour size: the greatest dimension, in millimetres ("2.3 x 1.8 cm" → 23, "36 mm" → 36). Measurements of lymph
// nodes, margins, Breslow depth, distances ("7 cm from the anal verge"), SUVs, metastases ("a 1.9 cm adrenal
// metastasis"), whole specimens ("a 6.1 x 4.5 cm testis") and the spleen are not tumour sizes.
import type { AnnotatedMention } from '@cancerllm/protocol';
import { ascendingOnce, occurrencesOf, writtenOccurrences } from './literal-heads.ts';
import { scanMatches, type NarrowedScan } from './narrowed-scan.ts';
import { acrossLineBreaks, carriesOn, endTest } from './window-tests.ts';
import { characterClass, isDigit } from '../text/character-class.ts';
import { lowerCaseOf } from '../text/lower-case.ts';
import { mention } from './mention.ts';

const NUM = String.raw`\d+(?:\.\d+)?`;
const TIMES = String.raw`\s*[x×X*]\s*`;
const UNITS = ['cm', 'mm', 'CM', 'MM'];
const UNIT = `(?:${UNITS.join('|')})`;
const LOWER_UNITS = [...new Set(UNITS.map((u) => u.toLowerCase()))];
const SIZE_PATTERN = new RegExp(
  String.raw`(?<![\d.,/–>≥<≤-])(${NUM})(?:\s*${UNIT})?(?:${TIMES}(${NUM})(?:\s*${UNIT})?)?(?:${TIMES}(${NUM}))?(?:\s*|-)(${UNITS.join('|')})(?![A-Za-z0-9²/])`,
  'g',
);
/** SIZE_PATTERN tried only where a size can start (sizeStarts). */
export const SIZE_SCAN: NarrowedScan = { pattern: SIZE_PATTERN, starts: sizeStarts };
/** What a size is written with: numbers, spaces, times signs, units and the hyphen of "a 2.3-cm mass". */
const isSizeCharacter = characterClass(/[\d.\sx×X*cmCM-]/);
/** A phrase's words may be parted by a line break, as clinical text wraps ("up\nto 7 mm"). */
const wrapped = (pattern: RegExp) => new RegExp(acrossLineBreaks(pattern.source), pattern.flags);
const NOT_TUMOUR_BEFORE = wrapped(
  /\b(?:margin|margins|breslow(?:\s+(?:depth|thickness))?(?:\s+(?:of|is|was|measuring|measures))?|depth|thickness|deposit|invasion|extension|ene|distance|\d+(?:\.\d+)?\s*(?:mm\s+)?of|closest|cortex|cortical|up to|spleen|spleen measures|splenomegaly|segment of \w+,?|specimen|shift|duct to|suv\w*|ratio|node|nodes|lymph node|lymphadenopathy|spacing|slice|cuts?|within|width|length|at|mets?|metastas[ie]s|metastasis|metastatic\s+(?:focus|foci|deposit|lesion|nodule)|cyst|stone|axis|over|sum|wedge|fat|cores?|adenoma|polyp|(?:mastectomy|lumpectomy|colectomy|excision|resection)\s*\()[\s:,(]*$/i,
);
const isBareNotTumourBefore = endTest(NOT_TUMOUR_BEFORE);
/** NOT_TUMOUR_BEFORE with a hedge between the word and the size: "Breslow at least 2.7 mm", "thickness: about 3 mm". */
const NOT_TUMOUR_HEDGED_BEFORE = new RegExp(
  NOT_TUMOUR_BEFORE.source.replace(
    /\[\\s:,\(\]\*\$$/,
    String.raw`(?:[\s:,(]*(?:at\s+least|estimated|approximately|about))+[\s:,(]*$`,
  ),
  'i',
);
const isHedgedNotTumourBefore = endTest(NOT_TUMOUR_HEDGED_BEFORE);
/** The hedges NOT_TUMOUR_HEDGED_BEFORE reads: the costlier pattern runs only where one of them is written. */
const HEDGE = /least|estimated|approximately|about/i;
function isNotTumourBefore(before: string): boolean {
  return isBareNotTumourBefore(before) || (HEDGE.test(before) && isHedgedNotTumourBefore(before));
}
const NOT_TUMOUR_AFTER = wrapped(
  /^[\s,)]*(?:from(?!\s+\d+(?:\.\d+)?\s*(?:cm|mm))|fn\b|proximal|distal|to the|beyond|of (?:the )?(?:anal|nipple)|margin|node|nodes|lymph|short[\s-]axis|cyst|simple cyst|hypodense|hypoattenuating\s+(?:lesion|focus)|sentinel|deposit|calcification|depth(?!\s+\d)|in (?:depth|thickness|greatest)|cortex|thick|linear|apart|above|below|lateral to|medial to|into|deep to|of\s+\d|(?:inferior|superior|lateral|medial|anterior|posterior)\s+to|(?:[\w/-]+[\s,]+){0,3}(?:lymph|nodes?)\b|(?:midline )?shift|of (?:linear|tumou?r) length|ascites|fluid|effusion|interval|(?:clinical|surgical)\s+margins?|of\s+attached)/i,
);
/**
 * What a size's next few words make it: a metastasis ("1.9 cm left adrenal metastasis"), a specimen or fragment ("a
 * 6.1 x 4.5 cm testis", "a 28.0 cm segment") or an adrenal nodule. Run only where one of SPREAD_OR_SPECIMEN_WORDS is
 * in the window: its word-skipping alternatives are the costliest part of the after-window test.
 */
const SPREAD_OR_SPECIMEN_AFTER = wrapped(
  /^[\s,)]*(?:(?:[\w/-]+\s+){0,3}(?:metasta\w*|mets?)\b|(?:[\w-]+\s+){0,2}(?:testis|testicle|kidney|uterus|wedge|fragments?|pieces?|portion|ulcer|ulceration|implants?|ellipse|segment)\b(?!\s+(?:mass|tumou?r|lesion|nodule|carcinoma|cancer))|(?:(?:left|right)\s+)?adrenal\s+(?:nodule|mass|lesion))/i,
);
const SPREAD_OR_SPECIMEN_WORDS =
  /metasta|mets|testi|kidney|uterus|wedge|fragment|piece|portion|ulcer|implant|ellipse|segment|adrenal/i;
function isNotTumourAfter(after: string): boolean {
  return NOT_TUMOUR_AFTER.test(after) || (SPREAD_OR_SPECIMEN_WORDS.test(after) && SPREAD_OR_SPECIMEN_AFTER.test(after));
}

/** The tumour just before a size: "Tumor size: 8.2 cm", "CARCINOMA, 3.5 CM", "a mass measuring 2.3 cm". */
const isTumourBefore = endTest(
  /(?:tumou?r\s+size|carcinoma|tumou?r|mass|lesion)\s*[,:]?\s*(?:(?:measuring|measures|measured)\s+)?$/i,
);
const GREATEST_AFTER = /^\s*in\s+greatest\s+(?:dimension|diameter|extent)/i;
/** A tumour named earlier in the size's clause: "IDC, Nottingham score 8/9 (3+3+2), measuring 2.3 cm". */
const TUMOUR_IN_CLAUSE = /\b(?:carcinoma|adenocarcinoma|tumou?r|mass|lesion|IDC|ILC|neoplasm|primary)\b/i;

/** The tumour just before a size, or named earlier in its clause when no node, margin or metastasis is. */
function tumourBefore(text: string, start: number, before: string): boolean {
  if (isTumourBefore(before)) return true;
  // A range ("0.8 to 2.2 cm") is not a size.
  if (RANGE_BEFORE.test(before)) return false;
  const clause = clauseBefore(text, start);
  return (
    TUMOUR_IN_CLAUSE.test(clause) && !clauseAboutSomethingElse(clause) && !/\bnodes?\b|specimen|deposit/i.test(clause)
  );
}
const BOUND_BEFORE = /(?:\bthan|\bbut|\bequal\s+to|<|>|≤|≥|<=|>=)\s*$/i;
const RANGE_BEFORE = /\d\s*(?:to|-|–)\s*$/i;

export function findSizes(text: string): AnnotatedMention[] {
  const out: AnnotatedMention[] = [];
  for (const m of scanMatches(text, SIZE_SCAN)) {
    const start = m.index;
    const end = start + m[0].length;
    const before = text.slice(Math.max(0, start - 25), start);
    const after = text.slice(end, end + 30);
    if (isNotTumourBefore(before) && !/(?:tumou?r size|craniocaudal\s+(?:length|extent)):?\s*$/i.test(before)) continue;
    // A staging template's bound ("pT2: Tumor more than 2 cm but not more than 4 cm") is not a size.
    if (BOUND_BEFORE.test(before)) continue;
    // "in greatest dimension" mostly follows a gross specimen, a fragment or a node ("nodes ranging from 0.2 to
    // 2.2 cm in greatest dimension"); after the tumour itself it is the tumour's size.
    // "Tumor size: 3.4 cm" is the tumour's, whatever the next field says.
    const keyedSize = /tumou?r\s+size\s*:?\s*$/i.test(before);
    if (!keyedSize && isNotTumourAfter(after) && !(GREATEST_AFTER.test(after) && tumourBefore(text, start, before)))
      continue;
    const unit = m[4]!.toLowerCase();
    const mm = greatestDimension(m[1]!, m[2], m[3]) * (unit === 'cm' ? 10 : 1);
    if (aboutSomethingElse(text, start)) continue;
    // Small nodules are usually indeterminate findings, not the tumour: "4 mm pulmonary nodule".
    if (mm < 10 && /^\s*(?:[\w-]+\s+){0,4}nodules?/i.test(after)) continue;
    out.push(mention(text, start, end, 'tumor_size', { mm: Math.round(mm * 100) / 100 }));
  }
  return out;
}

/** The greatest of a size's numbers (the second and third may be missing): no arrays made per size. */
function greatestDimension(first: string, second: string | undefined, third: string | undefined): number {
  let greatest = Number(first);
  if (second !== undefined) greatest = Math.max(greatest, Number(second));
  if (third !== undefined) greatest = Math.max(greatest, Number(third));
  return greatest;
}

/**
 * Where SIZE_PATTERN can match: a size ends in a unit and is written with SIZE_CHARACTERs only, so it starts at a
 * digit of the run of them that ends at a unit. Scanning the pattern itself tried its lookbehind at every offset.
 */
function sizeStarts(text: string): number[] {
  const starts: number[] = [];
  let listed = 0;
  for (const unit of unitOffsets(text)) {
    // The run before an earlier unit that reaches this one is the same run, and its digits are listed already.
    let from = unit;
    while (from > listed && isSizeCharacter(text.charCodeAt(from - 1))) from--;
    for (let at = from; at < unit; at++) if (isDigit(text.charCodeAt(at))) starts.push(at);
    listed = unit;
  }
  return starts;
}

/**
 * Where the note writes a unit as UNITS has it, ascending: each unit's lower case looked up once in the
 * lower-cased note ("cm" for "cm" and "CM"), and its hits kept where the note writes one of its forms.
 */
function unitOffsets(text: string): readonly number[] {
  const lower = lowerCaseOf(text);
  if (lower === undefined) return ascendingOnce(UNITS.map((u) => writtenOccurrences(text, u)));
  return ascendingOnce(
    LOWER_UNITS.map((unit) => occurrencesOf(lower, unit).filter((at) => UNITS.some((u) => text.startsWith(u, at)))),
  );
}

/** The clause so far is about lymph nodes, margins or metastases: "lymph nodes (2.8 cm and 1.4 cm)", "closest 3 mm". */
export function aboutSomethingElse(text: string, start: number): boolean {
  return clauseAboutSomethingElse(clauseBefore(text, start));
}

function clauseAboutSomethingElse(clause: string): boolean {
  // One scan finds both kinds of word: each match is a whole word, so the scan meets every one of them.
  let aboutNodes = false;
  OTHER_SUBJECT.lastIndex = 0;
  for (let m = OTHER_SUBJECT.exec(clause); m; m = OTHER_SUBJECT.exec(clause)) {
    if (m[1] === undefined) return true;
    aboutNodes = true;
  }
  // "Metastatic carcinoma in 3 of 7 lymph nodes, largest focus 4 mm": the carcinoma is the nodes' own.
  return (
    aboutNodes && (!/\b(?:mass|tumou?r|lesion|primary|carcinoma)\b/i.test(clause) || /\bmetastatic\b/i.test(clause))
  );
}

/** The clause before a size, back to a clause break or 80 characters. */
function clauseBefore(text: string, start: number): string {
  let from = start;
  while (from > 0 && start - from < 80 && !isClauseBreak(text, from - 1)) from--;
  return text.slice(from, start);
}

/**
 * Words that make a clause about something other than the tumour (margins, metastases), or about lymph nodes
 * (group 1) unless a tumour word is there too.
 */
const OTHER_SUBJECT =
  /\b(?:margins?|closest|ENE|extranodal|spleen|splenic|(?<!craniocaudal\s+)extent|metastas[ie]s|metastatses|mets|adenopathy|lymphadenopathy)\b|\b(lymph|nodes?)\b/gi;

/** ";", a sentence's ".", or a line break, unless the next line carries on the clause (see carriesOn). */
function isClauseBreak(text: string, i: number): boolean {
  const c = text[i];
  if (c === '\n') return !carriesOn(text, i + 1);
  return c === ';' || (c === '.' && !/\d/.test(text[i + 1] ?? ''));
}
