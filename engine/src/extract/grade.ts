// Histologic grade: "Nottingham grade 2 (score 6/9)", "Nottingham score 7/9", "grade 3", "G2", "FIGO grade 1",
// "CNS WHO grade 4", "moderately differentiated", "high-grade", "intermediate nuclear grade". Toxicity grades
// ("grade 2 neuropathy"), Grade Group (Gleason) and regression grades are not tumour grades.
import type { AnnotatedMention } from '@cancerllm/protocol';
import { SpanSet } from './span-set.ts';
import { mention } from './mention.ts';
import { foldedMatchAll } from './folded-match.ts';
import { lowerCaseOf } from '../text/lower-case.ts';
import { literalHits, matchAtStarts } from './literal-heads.ts';

const NUMERIC_GRADE =
  /(?<![A-Za-z])(?:grade|Grade|GRADE)\s*:?\s*([1-4]|I{1,3}|IV)(?!\d|\+|\.\d|\/\d|[A-Za-z])(?:\s*(?:of|\/)\s*[34])?(?:\s*\((?:score\s*)?\d\s*\/\s*9\)|\s*\(score\s+\d\/9\))?/g;
/** The grading system written before "grade" belongs to the span: "Nottingham grade 2", "CNS WHO grade 4". */
const GRADE_SYSTEM =
  /(?<![A-Za-z])(?:Nottingham|Elston(?:-Ellis)?|modified\s+Bloom[-\s]Richardson|SBR|FIGO|CNS\s+WHO|WHO|Fuhrman|ISUP|histologic|nuclear|tumou?r)\s+$/i;
const NOTTINGHAM_SCORE = /(?<![A-Za-z])Nottingham\s+(?:score|total\s+score)\s*:?\s*([3-9])\s*\/\s*9/gi;
const G_GRADE = /(?<![A-Za-z0-9])G([1-4])(?![A-Za-z0-9+])/g;
const DIFFERENTIATION =
  /(?<![A-Za-z])(well|moderately|moderatly|moderate|poorly|undifferentiated|un-differentiated)(?:[\s-]+(?:to[\s-]+(?:moderately|poorly)[\s-]+)?differentiated)?(?![A-Za-z])/gi;
const LOW_HIGH = /(?<![A-Za-z])(low|high|intermediate)([\s-])grade(?![A-Za-z])/gi;
const NUCLEAR_GRADE = /(?<![A-Za-z])(low|intermediate|high)\s+nuclear\s+grade(?![A-Za-z])/gi;
const LOW_HIGH_AT = new RegExp(LOW_HIGH.source, 'iy');
const NUCLEAR_GRADE_AT = new RegExp(NUCLEAR_GRADE.source, 'iy');
/** The words before "grade" in LOW_HIGH and NUCLEAR_GRADE, whose lengths place where a match can start. */
const LEVEL_WORDS = ['low', 'high', 'intermediate'];
/** The head NUCLEAR_GRADE is found from, one list for every note (literalHits works out its search once). */
const GRADE_WORD = ['grade'];
const NOT_TUMOUR_GRADE_AFTER =
  /^\s*(?:(?:peripheral\s+)?neuropathy|toxicity|mucositis|diarrh|nausea|vomiting|fatigue|rash|pruritus|dermatitis|neutropenia|anemia|thrombocytopenia|hand-foot|colitis|pneumonitis|hepatitis|adverse|AE|infusion|reaction|group|dysplasia|PIN|squamous\s+intraepithelial|SIL|intraepithelial|cervical\s+intraepithelial|\d)/i;
/** Words just before a bare "grade N" that make it a tumour grade; without one, "grade 2" is more often a toxicity. */
const TUMOUR_CONTEXT =
  /(?:carcinoma|cancer|IDC|ILC|DCIS|tumou?r|histolog\w*|nottingham|lesion|adenoma|lymphoma|sarcoma|glioma|melanoma|neoplasm|type|differentiation)[^.;\n]{0,25}$|(?:grade[^.;\n]{0,20}[:(]\s*)$/i;
const TOXICITY_BEFORE =
  /(?:neuropathy|mucositis|diarrh\w*|nausea|fatigue|rash|pruritus|dermatitis|neutropenia|anemia|thrombocytopenia|colitis|pneumonitis|hepatitis|toxicity|CTCAE)\s*:?\s*$/i;
const NOT_TUMOUR_GRADE_BEFORE =
  /(?:regression|CTCAE|Becker|tumou?r\s+regression|response|toxicity|Gleason|ISUP\s+grade\s+group|Grade\s+Group)\s*:?\s*$/i;
const ROMAN: Record<string, string> = { I: '1', II: '2', III: '3', IV: '4' };

export function findGrades(text: string): AnnotatedMention[] {
  const out: AnnotatedMention[] = [];
  const taken = new SpanSet();
  const push = (start: number, end: number, grade: string) => {
    if (taken.overlaps(start, end)) return;
    const after = text.slice(end, end + 30);
    const before = text.slice(Math.max(0, start - 30), start);
    if (NOT_TUMOUR_GRADE_AFTER.test(after) || NOT_TUMOUR_GRADE_BEFORE.test(before)) return;
    taken.add(start, end);
    out.push(mention(text, start, end, 'grade', { grade }));
  };
  for (const m of foldedMatchAll(text, NOTTINGHAM_SCORE)) {
    const score = Number(m[1]);
    push(m.index, m.index + m[0].length, score <= 5 ? 'G1' : score <= 7 ? 'G2' : 'G3');
  }
  for (const m of text.matchAll(NUMERIC_GRADE)) {
    const n = ROMAN[m[1]!.toUpperCase()] ?? m[1]!;
    const before = text.slice(Math.max(0, m.index - 60), m.index);
    if (TOXICITY_BEFORE.test(before)) continue;
    const system = GRADE_SYSTEM.exec(before);
    // A bare "grade 2" needs a tumour word before it; "Nottingham grade 2" or "FIGO grade 1" carry their own.
    if (!system && !TUMOUR_CONTEXT.test(before)) continue;
    if (system) {
      push(m.index - system[0].length, m.index + m[0].length, `G${n}`);
      continue;
    }
    push(m.index, m.index + m[0].length, `G${n}`);
  }
  const gradeWords = lowerCaseOf(text) === undefined ? undefined : literalHits(text, GRADE_WORD);
  for (const m of gradeWords
    ? matchAtStarts(text, NUCLEAR_GRADE_AT, nuclearStarts(text, gradeWords))
    : foldedMatchAll(text, NUCLEAR_GRADE)) {
    const w = m[1]!.toLowerCase();
    push(m.index, m.index + m[0].length, w === 'intermediate' ? 'G2' : w);
  }
  for (const m of text.matchAll(G_GRADE)) {
    // "G2" alone needs a grade context ("Histologic grade: G2", "grade G3") so "G2P2" and gene names stay out.
    const before = text.slice(Math.max(0, m.index - 25), m.index);
    if (!/grade\s*:?\s*$|differentiation\s*:?\s*$|,\s*$|\(\s*$/i.test(before)) continue;
    push(m.index, m.index + m[0].length, `G${m[1]}`);
  }
  for (const m of foldedMatchAll(text, DIFFERENTIATION)) {
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
    push(m.index, m.index + m[0].length, grade);
  }
  for (const m of gradeWords
    ? matchAtStarts(text, LOW_HIGH_AT, lowHighStarts(gradeWords))
    : foldedMatchAll(text, LOW_HIGH)) {
    const w = m[1]!.toLowerCase();
    if (w === 'intermediate') continue;
    push(m.index, m.index + m[0].length, w);
  }
  return out;
}

/** LOW_HIGH ends in "grade" one character after its level word, so it starts only there before a "grade". */
function lowHighStarts(gradeWords: readonly number[]): number[] {
  return startsBefore(gradeWords.map((at) => at - 1));
}

/**
 * NUCLEAR_GRADE ends in "grade" after "nuclear" and a level word, each followed by all the whitespace up to the
 * next word (a word ends in a letter), so the level word ends where that whitespace starts.
 */
function nuclearStarts(text: string, gradeWords: readonly number[]): number[] {
  const lower = lowerCaseOf(text) ?? text;
  const levelEnds: number[] = [];
  for (const at of gradeWords) {
    const nuclearEnd = spaceStart(lower, at);
    if (nuclearEnd === at || !lower.endsWith('nuclear', nuclearEnd)) continue;
    const levelEnd = spaceStart(lower, nuclearEnd - 'nuclear'.length);
    if (levelEnd < nuclearEnd - 'nuclear'.length) levelEnds.push(levelEnd);
  }
  return startsBefore(levelEnds);
}

/** Offsets where a level word would start to end at one of `ends`, ascending. */
function startsBefore(ends: readonly number[]): number[] {
  const starts = ends.flatMap((end) => LEVEL_WORDS.map((w) => end - w.length)).filter((at) => at >= 0);
  return [...new Set(starts)].sort((a, b) => a - b);
}

/** The start of the run of whitespace that ends at `end`. */
function spaceStart(text: string, end: number): number {
  let at = end;
  while (at > 0 && /\s/.test(text[at - 1]!)) at--;
  return at;
}
