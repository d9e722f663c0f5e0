// Tumour types ("invasive ductal carcinoma", "adenocarcinoma", "DLBCL") from the ICD-O-3 morphology lexicon,
// longest phrase first. A bare "carcinoma" or "malignancy" counts ("negative for carcinoma"), except in
// "metastatic carcinoma", which reports nodal or distant spread rather than the tumour type.
import type { AnnotatedMention } from '@cancerllm/protocol';
import { beginsHistologyPhrase, histologyMatcher, histologyNamed, type HistologyEntry } from '../lexicon/index.ts';
import { mention, type NoteTokens } from './mention.ts';
import { isLetter, isWhitespace } from '../text/character-class.ts';

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
    const subtype = subtypeAfter(text, match.end, written, match.payload);
    if (subtype) {
      const { histology: named, icdo3: code } = subtype.entry;
      out.push(mention(text, match.start, subtype.end, 'histology', { histology: named, icdo3: code }));
      continue;
    }
    out.push(mention(text, match.start, match.end, 'histology', { histology, icdo3 }));
  }
  return out;
}

/**
 * The words after a tumour that may name its subtype: ", nonkeratinizing", ", acinar type", ", SIGNET-RING CELL
 * TYPE", " (nodular sclerosis)". Up to five words are read; the longest run of them that names an entry wins.
 */
const SUBTYPE_WORDS = /^(,\s*|\s*\()([A-Za-z][A-Za-z-]*(?:\s+[A-Za-z][A-Za-z-]*){0,4})/;
const TYPE_WORD = /^(?:type|subtype|variant)$/i;

/** The subtype after a tumour and the entry it names, with where its words end; undefined when none does. */
function subtypeAfter(
  text: string,
  end: number,
  written: string,
  entry: HistologyEntry,
): { entry: HistologyEntry; end: number } | undefined {
  // Only a comma or an opening parenthesis (after spaces) leads to a subtype, and only a word that begins some
  // histology term can begin one: most tumours are followed by neither, and are turned away here.
  let at = end;
  if (text.charCodeAt(at) !== 44) {
    while (isWhitespace(text.charCodeAt(at))) at++;
    if (text.charCodeAt(at) !== 40) return undefined;
  }
  at++;
  while (isWhitespace(text.charCodeAt(at))) at++;
  let wordEnd = at;
  while (isLetter(text.charCodeAt(wordEnd))) wordEnd++;
  if (wordEnd === at || !beginsHistologyPhrase(text.slice(at, wordEnd).toLowerCase())) return undefined;
  const m = SUBTYPE_WORDS.exec(text.slice(end, end + 80));
  if (!m) return undefined;
  const inParentheses = m[1]!.includes('(');
  const words = [...m[2]!.matchAll(/[A-Za-z][A-Za-z-]*/g)];
  for (let n = words.length; n > 0; n--) {
    const last = words[n - 1]!;
    const wordsEnd = end + m[1]!.length + last.index + last[0].length;
    if (inParentheses && text[wordsEnd] !== ')') continue;
    const named = words.slice(0, TYPE_WORD.test(last[0]) ? n - 1 : n).map((w) => w[0]);
    if (named.length === 0) continue;
    const phrase = named.join(' ').toLowerCase().replace(/-/g, ' ');
    if (!beginsHistologyPhrase(phrase)) continue;
    const found = subtypeEntry(phrase, written, entry);
    if (found) return { entry: found, end: inParentheses ? wordsEnd + 1 : wordsEnd };
  }
  return undefined;
}

/**
 * The lexicon entry a subtype and its tumour name together, the subtype before the tumour ("nonkeratinizing
 * squamous cell carcinoma"); or the tumour's own entry when the subtype before "carcinoma" names it too ("poorly
 * cohesive carcinoma, signet-ring cell type"). Undefined for a subtype that names nothing of its own ("classic
 * type") or another tumour ("papillary carcinoma, follicular variant" is not a follicular carcinoma).
 */
function subtypeEntry(subtype: string, written: string, entry: HistologyEntry): HistologyEntry | undefined {
  const named = histologyNamed(`${subtype} ${written}`);
  if (named) return named;
  const same = histologyNamed(`${subtype} carcinoma`);
  return same?.histology === entry.histology ? same : undefined;
}
