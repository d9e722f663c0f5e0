// Laterality of a paired organ: "left" in "left breast", "RIGHT" in "BREAST, RIGHT", "bilateral" in "ovary,
// bilateral", "both" in "both ovaries", and the side built into lung-lobe abbreviations ("LLL" is left, on the same
// span as its primary_site mention). Unpaired organs (prostate, bladder, colon) get no laterality.
import type { AnnotatedMention } from '@cancerllm/protocol';
import type { PhraseMatch, SiteEntry } from '../lexicon/index.ts';
import { mention, type NoteTokens } from './mention.ts';
import { startingIn } from './span-set.ts';
import { foldedMatchAll, lowerCaseTwin } from './folded-match.ts';
import { occurrencesOf } from './literal-heads.ts';
import { lowerCaseOf } from '../text/lower-case.ts';

/** Longer than any site phrase in the lexicon, so a window search back from a side word sees every candidate. */
const MAX_SITE_CHARS = 120;

export const SIDE_WORD = /(?<![A-Za-z0-9-])(left|right|bilateral|both|R|L|Lt|Rt)(?![A-Za-z0-9-])/gi;
/** The longest side word ("bilateral"). */
const MAX_SIDE_WORD = 9;
/** How far before a paired site a side word can start and still reach it (hasPairedSite looks 41 past the word). */
const SIDE_BEFORE_SITE = 41 + MAX_SIDE_WORD;
/** How far after a paired site a side word can start ("ovary (bilateral)": at most 3 characters between). */
const SIDE_AFTER_SITE = 3;
/** How far after "laterality" a side word can start ("laterality:" and whitespace, within 20 characters). */
const SIDE_AFTER_LATERALITY = 20;
/** How far before a procedure word a side word can start (hasPairedSite reads the 40 characters after the word). */
const SIDE_BEFORE_PROCEDURE = 40 + MAX_SIDE_WORD;
/** Literals that every PAIRED_PROCEDURE word holds ("mastectomy", "lobe"), in lower case. */
const PROCEDURE_ANCHORS = ['ectomy', 'lobe'];
/** Words allowed between a side word and its organ: "left upper back", "right posterior calf", "bilateral complex adnexal". */
const BETWEEN =
  /^(?:\s+(?:upper|lower|mid|middle|posterior|anterior|lateral|medial|inner|outer|interpolar|superior|inferior|distal|proximal|complex|solid|palpable|enhancing|sided|side|native|dominant|posterolateral|anterolateral|ipsilateral)){0,2}\s+$/i;

const PAIRED_PROCEDURE =
  /^[\s-]+(?:(?:radical|partial|total|simple|modified\s+radical|upper|lower|robotic|laparoscopic)\s+)*(?:nephrectomy|nephroureterectomy|mastectomy|orchiectomy|lobectomy|pneumonectomy|oophorectomy|salpingo-oophorectomy|adrenalectomy|hemithyroidectomy|lobe)\b(?!\s+bed)/i;

export function findLaterality(note: NoteTokens, sites: ReadonlyArray<PhraseMatch<SiteEntry>>): AnnotatedMention[] {
  const { text } = note;
  const out: AnnotatedMention[] = [];
  const paired = sites.filter((s) => s.payload.paired);
  // A matcher returns its matches ascending: only a caller that passes them otherwise needs them sorted here.
  if (!ascendingByStart(paired)) paired.sort((a, b) => a.start - b.start);
  for (const site of paired) {
    if (site.payload.laterality)
      out.push(mention(text, site.start, site.end, 'laterality', { laterality: site.payload.laterality }));
  }
  for (const { start, word } of sideWords(text, paired)) {
    // Single letters only in upper case ("R breast"), never "l" or "r" in running text.
    if (word.length === 1 && word !== word.toUpperCase()) continue;
    const end = start + word.length;
    if (!hasPairedSite(text, start, end, paired)) continue;
    if (/\b(?:MRI|CT|US|ultrasound|mammogram|x-ray)\s*$/i.test(text.slice(Math.max(0, start - 12), start))) continue;
    out.push(mention(text, start, end, 'laterality', { laterality: normalize(word) }));
  }
  return out;
}

function ascendingByStart(spans: ReadonlyArray<{ start: number }>): boolean {
  for (let k = 1; k < spans.length; k++) if (spans[k]!.start < spans[k - 1]!.start) return false;
  return true;
}

interface SideWord {
  start: number;
  word: string;
}

/**
 * The matches of SIDE_WORD that hasPairedSite can accept, in order: those that start in a window near a paired
 * site, after "laterality" or before a procedure word. Scanning the whole note for side words was the slowest
 * part of this extractor, and most of them ("left in place", "right away") lie nowhere near an organ. Each window
 * is scanned as a slice of the lower-cased note, as foldedMatchAll would scan it, with the character before it
 * for the lookbehind and room after it for the longest word and the lookahead. A side word is a whole word, so
 * whether one matches at an offset does not depend on where the scan began.
 */
export function sideWords(text: string, paired: ReadonlyArray<PhraseMatch<SiteEntry>>): SideWord[] {
  const lower = lowerCaseOf(text);
  if (lower === undefined) return [...foldedMatchAll(text, SIDE_WORD)].map((m) => ({ start: m.index, word: m[1]! }));
  const inLower = lowerCaseTwin(SIDE_WORD, false);
  const found: SideWord[] = [];
  for (const [lo, hi] of merged(sideWordWindows(lower, paired))) {
    const from = Math.max(0, lo - 1);
    const piece = lower.slice(from, hi + MAX_SIDE_WORD + 1);
    inLower.lastIndex = lo - from;
    for (let m = inLower.exec(piece); m && m.index + from <= hi; m = inLower.exec(piece)) {
      const start = m.index + from;
      found.push({ start, word: text.slice(start, start + m[0].length) });
    }
  }
  return found;
}

/**
 * Where a side word must start for hasPairedSite to accept it, as [first, last] offsets: near a paired site
 * without a side of its own, after "laterality" (in any case, as its regex reads), before "ectomy" or "lobe".
 */
function sideWordWindows(lower: string, paired: ReadonlyArray<PhraseMatch<SiteEntry>>): Array<[number, number]> {
  const windows: Array<[number, number]> = [];
  for (const site of paired) {
    if (!site.payload.laterality) windows.push([site.start - SIDE_BEFORE_SITE, site.end + SIDE_AFTER_SITE]);
  }
  for (const at of occurrencesOf(lower, 'laterality')) windows.push([at, at + SIDE_AFTER_LATERALITY]);
  for (const anchor of PROCEDURE_ANCHORS) {
    for (const at of occurrencesOf(lower, anchor)) windows.push([at - SIDE_BEFORE_PROCEDURE, at]);
  }
  return windows;
}

/** Windows sorted and joined where they overlap or touch, none starting before the note. */
function merged(windows: Array<[number, number]>): Array<[number, number]> {
  windows.sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [lo, hi] of windows) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([Math.max(0, lo), hi]);
  }
  return out;
}

export function hasPairedSite(
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
