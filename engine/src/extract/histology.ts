// Tumour types ("invasive ductal carcinoma", "adenocarcinoma", "DLBCL") from the ICD-O-3 morphology lexicon,
// longest phrase first. A bare "carcinoma" or "malignancy" counts ("negative for carcinoma"), except in
// "metastatic carcinoma", which reports nodal or distant spread rather than the tumour type.
import type { AnnotatedMention } from '@cancerllm/protocol';
import { histologyMatcher } from '../lexicon/index.ts';
import { mention, type NoteTokens } from './mention.ts';

const GENERIC = new Set(['carcinoma', 'malignant neoplasm']);

export function findHistologies(note: NoteTokens): AnnotatedMention[] {
  const { text } = note;
  const out: AnnotatedMention[] = [];
  for (const match of histologyMatcher().match(text, note.words)) {
    const { histology, icdo3 } = match.payload;
    const before = text.slice(Math.max(0, match.start - 40), match.start);
    const after = text.slice(match.end, match.end + 20);
    // "metastatic adenocarcinoma in 2 of 18 nodes" reports spread, not the tumour type.
    if (/metastatic\s*$/i.test(before)) continue;
    // Service names and synoptic titles: "Melanoma clinic", "LEUKEMIA SERVICE", "CAP Melanoma".
    if (
      /^\s*(?:clinic|service|center|centre|team|program|programme|board|unit|group|navigator)\b/i.test(after) ||
      /\bCAP\s*$/.test(before)
    )
      continue;
    if (GENERIC.has(histology) && /\b(?:margins?|lymph\s+nodes?|node)\b[^.;\n]*$/i.test(before)) continue;
    // "small cell" names a tumour type only before "lung" ("small cell lung cancer"), not in "small cell change".
    const written = text.slice(match.start, match.end);
    if (/^small[\s-]cell$/i.test(written) && !/^\s*lung/i.test(text.slice(match.end, match.end + 8))) continue;
    out.push(mention(text, match.start, match.end, 'histology', { histology, icdo3 }));
  }
  return out;
}
