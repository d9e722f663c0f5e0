// Lymphovascular invasion: "LVI", "lymphovascular (space) invasion", "LVSI", "angioinvasion", "lymphatic invasion",
// "EMVI". Absence is part of the value ("No lymphovascular invasion", "LVI: not identified" → absent); the ConText
// pass marks the negation cue separately.
import type { AnnotatedMention } from '@cancerllm/protocol';
import { mention } from './mention.ts';
import { anchoredScan, scanMatches } from './narrowed-scan.ts';

const LVI_PATTERN =
  /(?<![A-Za-z])(?:lympho-?vascular(?:\s+space)?\s+invasion|lymphovasular\s+invasion|lymph-?vascular\s+invasion|angiolymphatic\s+invasion|lymphatic(?:\s+and\s+vascular)?\s+invasion|vascular\s+invasion|angioinvasion|venous\s+invasion|LVSI|LVI|EMVI|ALI)(?:\+|\s+(?:positive|negative)|-(?=\s|$|[,.;)]))?(?![A-Za-z])/gi;
/**
 * LVI_PATTERN tried only where its matches can start: each holds one of these words, the given distances after its
 * start ("vascular" is 7 characters into "lympho-vascular"). Scanning its alternation with a lookbehind at every
 * offset of the note was slow. Whole words are searched even where a shorter literal would serve several (as
 * "vi" would for "LVI" and "EMVI"): the pattern costs more at a wrong start than a word does.
 */
export const LVI_SCAN = anchoredScan(LVI_PATTERN, [
  { literal: 'vascular', back: [0, 5, 6, 7] },
  { literal: 'vasular', back: [6] },
  { literal: 'lymphatic', back: [0, 5] },
  { literal: 'angioinvasion', back: [0] },
  { literal: 'venous', back: [0] },
  { literal: 'lvsi', back: [0] },
  { literal: 'lvi', back: [0] },
  { literal: 'emvi', back: [0] },
  { literal: 'ali', back: [0] },
]);
const ABSENT_AFTER =
  /^[\s:,-]*(?:is\s+|was\s+)?(?:not\s+(?:identified|seen|present|detected|evident)|absent|negative|none|no\b)/i;
const ABSENT_BEFORE =
  /(?:\bno|\bwithout|\bnegative\s+for|\babsence\s+of|\bfree\s+of)\s+(?:(?:definite|evidence\s+of|obvious|definitive|histologic)\s+)*$/i;

export function findLvi(text: string): AnnotatedMention[] {
  const out: AnnotatedMention[] = [];
  for (const m of scanMatches(text, LVI_SCAN)) {
    const written = m[0];
    if (/^ALI$/i.test(written) && written !== 'ALI') continue;
    // "macrovascular invasion" (HCC) and "vascular invasion" in a vessel sense are not LVI.
    const before = text.slice(Math.max(0, m.index - 40), m.index);
    if (/(?:macro|micro|perineural|portal\s+vein|tumou?r\s+thrombus)[\s-]*$/i.test(before)) continue;
    const after = text.slice(m.index + written.length, m.index + written.length + 30);
    const absent = /(?:-|negative)$/i.test(written) || ABSENT_AFTER.test(after) || ABSENT_BEFORE.test(before);
    out.push(mention(text, m.index, m.index + written.length, 'lvi', { status: absent ? 'absent' : 'present' }));
  }
  return out;
}
