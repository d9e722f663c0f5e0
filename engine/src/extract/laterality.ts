// Laterality of a paired organ: "left" in "left breast", "RIGHT" in "BREAST, RIGHT", "bilateral" in "ovary,
// bilateral", "both" in "both ovaries", and the side built into lung-lobe abbreviations ("LLL" is left, on the same
// span as its primary_site mention). Unpaired organs (prostate, bladder, colon) get no laterality.
import type { AnnotatedMention } from '@cancerllm/protocol';
import type { PhraseMatch, SiteEntry } from '../lexicon/index.ts';
import { mention, type NoteTokens } from './mention.ts';
import { startingIn } from './span-set.ts';
import { foldedMatchAll } from './folded-match.ts';

/** Longer than any site phrase in the lexicon, so a window search back from a side word sees every candidate. */
const MAX_SITE_CHARS = 120;

const SIDE_WORD = /(?<![A-Za-z0-9-])(left|right|bilateral|both|R|L|Lt|Rt)(?![A-Za-z0-9-])/gi;
/** Words allowed between a side word and its organ: "left upper back", "right posterior calf", "bilateral complex adnexal". */
const BETWEEN =
  /^(?:\s+(?:upper|lower|mid|middle|posterior|anterior|lateral|medial|inner|outer|interpolar|superior|inferior|distal|proximal|complex|solid|palpable|enhancing|sided|side|native|dominant|posterolateral|anterolateral|ipsilateral)){0,2}\s+$/i;

const PAIRED_PROCEDURE =
  /^[\s-]+(?:(?:radical|partial|total|simple|modified\s+radical|upper|lower|robotic|laparoscopic)\s+)*(?:nephrectomy|nephroureterectomy|mastectomy|orchiectomy|lobectomy|pneumonectomy|oophorectomy|salpingo-oophorectomy|adrenalectomy|hemithyroidectomy|lobe)\b(?!\s+bed)/i;

export function findLaterality(note: NoteTokens, sites: ReadonlyArray<PhraseMatch<SiteEntry>>): AnnotatedMention[] {
  const { text } = note;
  const out: AnnotatedMention[] = [];
  const paired = sites.filter((s) => s.payload.paired).sort((a, b) => a.start - b.start);
  for (const site of paired) {
    if (site.payload.laterality)
      out.push(mention(text, site.start, site.end, 'laterality', { laterality: site.payload.laterality }));
  }
  for (const m of foldedMatchAll(text, SIDE_WORD)) {
    const word = m[1]!;
    // Single letters only in upper case ("R breast"), never "l" or "r" in running text.
    if (word.length === 1 && word !== word.toUpperCase()) continue;
    const start = m.index;
    const end = start + word.length;
    if (!hasPairedSite(text, start, end, paired)) continue;
    if (/\b(?:MRI|CT|US|ultrasound|mammogram|x-ray)\s*$/i.test(text.slice(Math.max(0, start - 12), start))) continue;
    out.push(mention(text, start, end, 'laterality', { laterality: normalize(word) }));
  }
  return out;
}

function hasPairedSite(
  text: string,
  start: number,
  end: number,
  paired: ReadonlyArray<PhraseMatch<SiteEntry>>,
): boolean {
  // side word before the organ: "left breast", "right posterior calf"
  for (const site of startingIn(paired, end, end + 41)) {
    if (!site.payload.laterality && BETWEEN.test(` ${text.slice(end, site.start)}`)) return true;
  }
  // organ before the side word: "BREAST, RIGHT", "ovary (bilateral)", "Ovaries, bilateral:"
  for (const site of startingIn(paired, start - 3 - MAX_SITE_CHARS, start)) {
    if (site.payload.laterality || site.end > start || start - site.end > 3) continue;
    if (/^\s*[,(]\s*$/.test(text.slice(site.end, start))) return true;
  }
  // "Specimen laterality: Left"; "right lobe" (thyroid, lung); "left radical nephrectomy" (a paired organ removed).
  if (/laterality:\s*$/i.test(text.slice(Math.max(0, start - 20), start))) return true;
  return !/^bilateral$/i.test(text.slice(start, end)) && PAIRED_PROCEDURE.test(text.slice(end, end + 40));
}

function normalize(word: string): 'left' | 'right' | 'bilateral' {
  const w = word.toLowerCase();
  if (w === 'l' || w === 'left' || w === 'lt') return 'left';
  if (w === 'r' || w === 'right' || w === 'rt') return 'right';
  return 'bilateral';
}
