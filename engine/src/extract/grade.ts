// Histologic grade: "Nottingham grade 2 (score 6/9)", "Nottingham score 7/9", "grade 3", "G2", "FIGO grade 1",
// "CNS WHO grade 4", "moderately differentiated", "high-grade", "intermediate nuclear grade". Toxicity grades
// ("grade 2 neuropathy"), Grade Group (Gleason) and regression grades are not tumour grades.
import type { AnnotatedMention } from '@cancerllm/protocol';
import { SpanSet } from './span-set.ts';
import { mention } from './mention.ts';
import { foldedMatchAll } from './folded-match.ts';
import { lowerCaseOf } from '../text/lower-case.ts';
import { ascendingOnce, occurrencesOf } from './literal-heads.ts';
import { anchoredScan, matchAtStarts, scanLowerCaseMatches, scanMatches } from './narrowed-scan.ts';
import { endTest, spaceRunStart, wordEndingAt } from './window-tests.ts';

const NUMERIC_GRADE =
  /(?<![A-Za-z])(?:grade|Grade|GRADE)\s*:?\s*([1-4]|I{1,3}|IV)(?!\d|\+|\.\d|\/\d|[A-Za-z])(?:\s*(?:of|OF|\/)\s*[34])?(?:\s*\((?:score\s*|SCORE\s*)?\d\s*\/\s*9\)|\s*\((?:score|SCORE)\s+\d\/9\))?/g;
/** The grading system written before "grade" belongs to the span: "Nottingham grade 2", "CNS WHO grade 4". */
const GRADE_SYSTEM =
  /(?<![A-Za-z])(?:Nottingham|Elston(?:-Ellis)?|modified\s+Bloom[-\s]Richardson|SBR|FIGO|CNS\s+WHO|(?:(?:WHO\s*\/\s*)?ISUP\s+)?(?:nuclear|nucleolar)|(?:WHO\s*\/\s*)?ISUP|WHO|Fuhrman|histologic|tumou?r)\s+$/i;
const NUMERIC_GRADE_AT = new RegExp(NUMERIC_GRADE.source, 'y');
const NOTTINGHAM_SCORE = /(?<![A-Za-z])Nottingham\s+(?:(?:total\s+)?score\s*:?\s*)?([3-9])\s*\/\s*9/gi;
// The scans below are tried only at the word they begin with, found by string search: a regex that opens with a
// lookbehind is otherwise tried at every offset of the note (engine/test/extract-speed-grade.test.ts checks them).
export const NOTTINGHAM_SCORE_SCAN = anchoredScan(NOTTINGHAM_SCORE, [{ literal: 'nottingham', back: [0] }]);
const G_GRADE = /(?<![A-Za-z0-9])G([1-4])(?![A-Za-z0-9+])/g;
const G_GRADE_AT = new RegExp(G_GRADE.source, 'y');
/** What G_GRADE opens with, in lower case: the lower-cased note's literals are all searched in one pass. */
const G_GRADE_WORDS = ['g1', 'g2', 'g3', 'g4'];
const DIFFERENTIATION =
  /(?<![A-Za-z])(well|moderately|moderatly|moderate|poorly|undifferentiated|un-differentiated)(?:[\s-]+(?:to[\s-]+(?:moderately|poorly)[\s-]+)?differentiated)?(?![A-Za-z])/gi;
/** "moderat" opens all three spellings of "moderate(ly)". */
export const DIFFERENTIATION_SCAN = anchoredScan(
  DIFFERENTIATION,
  ['well', 'moderat', 'poorly', 'undifferentiated', 'un-differentiated'].map((literal) => ({ literal, back: [0] })),
);
const LOW_HIGH = /(?<![A-Za-z])(low|high|intermediate)(\s+|-)grade(?![A-Za-z])/gi;
const NUCLEAR_GRADE = /(?<![A-Za-z])(low|intermediate|high)\s+nuclear\s+grade(?![A-Za-z])/gi;
const LOW_HIGH_AT = new RegExp(LOW_HIGH.source, 'iy');
const NUCLEAR_GRADE_AT = new RegExp(NUCLEAR_GRADE.source, 'iy');
/** The words before "grade" in LOW_HIGH and NUCLEAR_GRADE, whose lengths place where a match can start. */
const LEVEL_WORDS = ['low', 'high', 'intermediate'];
/** The words NUMERIC_GRADE opens with: "grade" in these cases only. */
const NUMERIC_GRADE_WORDS = ['grade', 'Grade', 'GRADE'];
const NOT_TUMOUR_GRADE_AFTER =
  /^\s*(?:(?:peripheral\s+)?neuropathy|toxicity|mucositis|diarrh|nausea|vomiting|fatigue|rash|pruritus|dermatitis|neutropenia|anemia|thrombocytopenia|hand-foot|colitis|pneumonitis|hepatitis|adverse|AE|infusion|reaction|group|dysplasia|PIN|squamous\s+intraepithelial|SIL|intraepithelial|cervical\s+intraepithelial|\d)/i;
/** Words just before a bare "grade N" that make it a tumour grade; without one, "grade 2" is more often a toxicity. */
const TUMOUR_CONTEXT =
  /(?:carcinoma|cancer|IDC|ILC|DCIS|tumou?r|histolog\w*|nottingham|lesion|adenoma|lymphoma|sarcoma|glioma|melanoma|neoplasm|type|differentiation)[^.;\n]{0,25}$|(?:grade[^.;\n]{0,20}[:(]\s*)$/i;
const TOXICITY_BEFORE =
  /(?:neuropathy|mucositis|diarrh\w*|nausea|fatigue|rash|pruritus|dermatitis|neutropenia|anemia|thrombocytopenia|colitis|pneumonitis|hepatitis|toxicity|CTCAE)\s*:?\s*$/i;
const NOT_TUMOUR_GRADE_BEFORE =
  /(?:regression|CTCAE|Becker|tumou?r\s+regression|response|toxicity|Gleason|ISUP\s+grade\s+group|Grade\s+Group)\s*:?\s*$/i;
const isToxicityBefore = endTest(TOXICITY_BEFORE);
const isNotTumourGradeBefore = endTest(NOT_TUMOUR_GRADE_BEFORE);
const hasTumourContext = endTest(TUMOUR_CONTEXT);
/**
 * A tumour named right after a bare "grade 3", adjectives only between ("grade 3 endometrioid adenocarcinoma",
 * "Grade 3 (of 4) hepatocellular carcinoma"); a preposition ends it ("grade 2 pain near the tumor").
 */
const TUMOUR_AFTER =
  /^(?:-[IVX\d]+)?\)?(?:\s*\([^()\n]{1,12}\))?(?:\s+(?!(?:near|from|of|in|at|on|with|to|around|over|by|and|or)\b)[A-Za-z-]+){0,3}?\s+(?:carcinoma|adenocarcinoma|cancer|tumou?r|lymphoma|sarcoma|glioma|melanoma|neoplasm)\b/i;
/** What a bare "G2" needs just before it to be a grade. */
const isGradeBefore = endTest(/grade\s*:?\s*$|differentiation\s*:?\s*$|,\s*$|\(\s*$/i);
const ROMAN: Record<string, string> = { I: '1', II: '2', III: '3', IV: '4' };

export function findGrades(text: string): AnnotatedMention[] {
  const grades = new GradeMentions(text);
  for (const m of scanMatches(text, NOTTINGHAM_SCORE_SCAN)) {
    const score = Number(m[1]);
    grades.push(m.index, m.index + m[0].length, score <= 5 ? 'G1' : score <= 7 ? 'G2' : 'G3');
  }
  // The scans below are tried only where their words stand in the lower-cased note, "grade" found once for three
  // of them; a note whose lower case moves offsets takes the whole-note scans. Each pass is a function of its own,
  // run only where its words occur: most notes hold none of them. (One function holding every pass ran at about
  // half the speed, as V8 optimised it.)
  const lower = lowerCaseOf(text);
  if (lower === undefined) {
    numericGrades(grades, text.matchAll(NUMERIC_GRADE));
    nuclearGrades(grades, foldedMatchAll(text, NUCLEAR_GRADE));
    gGrades(grades, text.matchAll(G_GRADE));
    differentiationGrades(grades, scanLowerCaseMatches(text, DIFFERENTIATION_SCAN));
    lowHighGrades(grades, foldedMatchAll(text, LOW_HIGH));
    return grades.out;
  }
  const gradeWords = occurrencesOf(lower, 'grade');
  if (gradeWords.length > 0) {
    numericGrades(grades, matchAtStarts(text, NUMERIC_GRADE_AT, numericStarts(text, gradeWords)));
    const nuclear = nuclearStarts(lower, gradeWords);
    if (nuclear.length > 0) nuclearGrades(grades, matchAtStarts(text, NUCLEAR_GRADE_AT, nuclear));
  }
  const gStarts = gGradeStarts(text, lower);
  if (gStarts.length > 0) gGrades(grades, matchAtStarts(text, G_GRADE_AT, gStarts));
  differentiationGrades(grades, scanLowerCaseMatches(text, DIFFERENTIATION_SCAN));
  if (gradeWords.length > 0) lowHighGrades(grades, matchAtStarts(text, LOW_HIGH_AT, lowHighStarts(lower, gradeWords)));
  return grades.out;
}

/** The grades found in one note, each kept unless it overlaps one kept before or reads as another kind of grade. */
class GradeMentions {
  readonly out: AnnotatedMention[] = [];
  private readonly taken = new SpanSet();
  constructor(readonly text: string) {}

  push(start: number, end: number, grade: string): void {
    const text = this.text;
    if (this.taken.overlaps(start, end)) return;
    const after = text.slice(end, end + 30);
    const before = text.slice(Math.max(0, start - 30), start);
    if (NOT_TUMOUR_GRADE_AFTER.test(after) || isNotTumourGradeBefore(before)) return;
    this.taken.add(start, end);
    this.out.push(mention(text, start, end, 'grade', { grade }));
  }
}

function numericGrades(grades: GradeMentions, matches: Iterable<RegExpExecArray>): void {
  const text = grades.text;
  for (const m of matches) {
    const n = ROMAN[m[1]!.toUpperCase()] ?? m[1]!;
    const before = text.slice(Math.max(0, m.index - 60), m.index);
    if (isToxicityBefore(before)) continue;
    const system = GRADE_SYSTEM.exec(before);
    // A bare "grade 2" needs a tumour word before it or right after it ("grade 3 endometrioid adenocarcinoma");
    // "Nottingham grade 2" or "FIGO grade 1" carry their own.
    if (
      !system &&
      !hasTumourContext(before) &&
      !TUMOUR_AFTER.test(text.slice(m.index + m[0].length, m.index + m[0].length + 45))
    )
      continue;
    if (system) {
      grades.push(m.index - system[0].length, m.index + m[0].length, `G${n}`);
      continue;
    }
    grades.push(m.index, m.index + m[0].length, `G${n}`);
  }
}

function nuclearGrades(grades: GradeMentions, matches: Iterable<RegExpExecArray>): void {
  for (const m of matches) {
    const w = m[1]!.toLowerCase();
    grades.push(m.index, m.index + m[0].length, w === 'intermediate' ? 'G2' : w);
  }
}

function gGrades(grades: GradeMentions, matches: Iterable<RegExpExecArray>): void {
  const text = grades.text;
  for (const m of matches) {
    // "G2" alone needs a grade context ("Histologic grade: G2", "grade G3") so "G2P2" and gene names stay out.
    const before = text.slice(Math.max(0, m.index - 25), m.index);
    if (!isGradeBefore(before)) continue;
    grades.push(m.index, m.index + m[0].length, `G${m[1]}`);
  }
}

function differentiationGrades(grades: GradeMentions, matches: Iterable<RegExpExecArray>): void {
  const text = grades.text;
  for (const m of matches) {
    if (!/differentiated/i.test(m[0]) && !/^un/i.test(m[1]!)) continue;
    // "undifferentiated pleomorphic sarcoma", "undifferentiated carcinoma" are tumour types, not grades.
    if (
      /^un/i.test(m[0]) &&
      /^[\s-]*(?:pleomorphic|carcinoma|sarcoma|small|large)/i.test(
        text.slice(m.index + m[0].length, m.index + m[0].length + 15),
      )
    )
      continue;
    const w = m[0].toLowerCase();
    const grade = /^un/.test(w) ? 'G4' : /poorly/.test(w) ? 'G3' : /moderat/.test(w) ? 'G2' : 'G1';
    grades.push(m.index, m.index + m[0].length, grade);
  }
}

function lowHighGrades(grades: GradeMentions, matches: Iterable<RegExpExecArray>): void {
  for (const m of matches) {
    const w = m[1]!.toLowerCase();
    if (w === 'intermediate') continue;
    grades.push(m.index, m.index + m[0].length, w);
  }
}

/** Where G_GRADE can match: at a "G1" to "G4", found in the lower-cased note and kept where "G" is a capital. */
function gGradeStarts(text: string, lower: string): number[] {
  const written = ascendingOnce(G_GRADE_WORDS.map((word) => occurrencesOf(lower, word)));
  return written.filter((at) => text[at] === 'G');
}

/** NUMERIC_GRADE starts at its "grade", written in one of NUMERIC_GRADE_WORDS' cases. */
function numericStarts(text: string, gradeWords: readonly number[]): number[] {
  return gradeWords.filter((at) => NUMERIC_GRADE_WORDS.some((w) => text.startsWith(w, at)));
}

/**
 * LOW_HIGH ends in "grade" after its level word and a hyphen or a run of whitespace ("low  grade"), so the level
 * word ends just before the hyphen or where that run starts.
 */
function lowHighStarts(lower: string, gradeWords: readonly number[]): number[] {
  return levelWordStarts(
    lower,
    gradeWords.map((at) => (lower[at - 1] === '-' ? at - 1 : spaceRunStart(lower, at))),
  );
}

/**
 * NUCLEAR_GRADE ends in "grade" after "nuclear" and a level word, each followed by all the whitespace up to the
 * next word (a word ends in a letter), so the level word ends where that whitespace starts.
 */
function nuclearStarts(lower: string, gradeWords: readonly number[]): number[] {
  const levelEnds: number[] = [];
  for (const at of gradeWords) {
    const nuclearEnd = spaceRunStart(lower, at);
    if (nuclearEnd === at || !lower.endsWith('nuclear', nuclearEnd)) continue;
    const levelEnd = spaceRunStart(lower, nuclearEnd - 'nuclear'.length);
    if (levelEnd < nuclearEnd - 'nuclear'.length) levelEnds.push(levelEnd);
  }
  return levelEnds.length === 0 ? levelEnds : levelWordStarts(lower, levelEnds);
}

/**
 * Where the level words that end at one of `ends` start, ascending: the patterns are tried only where their level
 * word is written (in any case), not at every place one could start. One word at most ends at an end.
 */
function levelWordStarts(lower: string, ends: readonly number[]): number[] {
  const starts: number[] = [];
  for (const end of ends) {
    const word = wordEndingAt(lower, end, LEVEL_WORDS);
    if (word !== undefined) starts.push(end - word.length);
  }
  return starts.sort((a, b) => a - b);
}
