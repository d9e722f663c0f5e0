// Prostate Gleason score and grade group: "Gleason 4+3=7 (Grade Group 3)", "GLEASON SCORE 3+4=7", "Gleason 4+3=7;
// Grade Group 3", "Grade Group 2" alone, "Gleason score 7", "Gleason 7 (3+4)", "GS 4+5=9 (GG5)" (GS only before a
// pattern sum: alone it is other things).
import type { AnnotatedMention, MentionValue } from '@cancerllm/protocol';
import { mention } from './mention.ts';
import { SpanSet } from './span-set.ts';
import { anchoredScan, scanLowerCaseMatches } from './narrowed-scan.ts';
import { lowerCaseOf } from '../text/lower-case.ts';

const GRADE_GROUP = String.raw`(?:grade\s+group|GG|ISUP\s+grade(?:\s+group)?|WHO\s+grade\s+group)\s*:?\s*([1-5])`;
const GLEASON_PATTERN = new RegExp(
  String.raw`\b(?:Gleason(?:'s)?(?:\s+(?:score|grade|sum|pattern))?|GS(?=\s*:?\s*[1-5]\s*\+))\s*:?\s*(?:([1-5])\s*\+\s*([1-5])(?:\s*=\s*(\d{1,2}))?|(\d{1,2})(?:\/10)?(?![\d+])(?:\s*\(\s*([1-5])\s*\+\s*([1-5])\s*\))?)(?:\s*(?:\(\s*|[;,/]\s*)${GRADE_GROUP}\s*\)?)?`,
  'gi',
);
const GRADE_GROUP_PATTERN = new RegExp(String.raw`\b${GRADE_GROUP}\b`, 'gi');
// Both patterns are tried only where their first word is: scanned at every offset of the note, their \b and
// alternation were slow.
export const GLEASON_SCAN = anchoredScan(GLEASON_PATTERN, [
  { literal: 'gleason', back: [0] },
  { literal: 'gs', back: [0] },
]);
export const GRADE_GROUP_SCAN = anchoredScan(
  GRADE_GROUP_PATTERN,
  ['grade', 'gg', 'isup', 'who'].map((literal) => ({ literal, back: [0] })),
);

export function findGleason(text: string): AnnotatedMention[] {
  const out: AnnotatedMention[] = [];
  const taken = new SpanSet();
  // Whether the note speaks of Gleason or the prostate, asked once, at its first ISUP grade.
  let prostateNote: boolean | undefined;
  for (const m of scanLowerCaseMatches(text, GLEASON_SCAN)) {
    const value: MentionValue = {};
    if (m[1] && m[2]) {
      value.primary = Number(m[1]);
      value.secondary = Number(m[2]);
      value.total = m[3] ? Number(m[3]) : value.primary + value.secondary;
    } else if (m[4]) {
      const total = Number(m[4]);
      if (total < 2 || total > 10) continue;
      // "Gleason 7 (3+4)": the patterns in parentheses, when they add up to the total.
      if (m[5] && m[6] && Number(m[5]) + Number(m[6]) === total) {
        value.primary = Number(m[5]);
        value.secondary = Number(m[6]);
      }
      value.total = total;
    }
    if (m[7]) value.gradeGroup = Number(m[7]);
    const end = m.index + m[0].length - (m[0].length - m[0].trimEnd().length);
    out.push(mention(text, m.index, end, 'gleason', value));
    taken.add(m.index, end);
  }
  for (const m of scanLowerCaseMatches(text, GRADE_GROUP_SCAN)) {
    if (taken.overlaps(m.index, m.index + 1)) continue;
    // "WHO/ISUP grade 3" grades a kidney tumour; an ISUP grade without "group" is a prostate's only in a note
    // that speaks of Gleason or the prostate.
    if (/^isup\s+grade(?!\s+group)/.test(m[0])) {
      prostateNote ??= isProstateNote(text);
      if (!prostateNote || /(?:WHO|Fuhrman)\s*\/\s*$/i.test(text.slice(Math.max(0, m.index - 8), m.index))) continue;
    }
    out.push(mention(text, m.index, m.index + m[0].length, 'gleason', { gradeGroup: Number(m[1]) }));
  }
  return out;
}

function isProstateNote(text: string): boolean {
  const lower = lowerCaseOf(text) ?? text.toLowerCase();
  return lower.includes('gleason') || lower.includes('prostat');
}
