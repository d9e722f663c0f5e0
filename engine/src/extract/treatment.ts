// Cancer-directed therapy: drugs, regimens, surgery, radiation and other local therapy from the treatment lexicon.
// Drugs written together ("carboplatin/paclitaxel", "encorafenib + cetuximab") are one regimen mention; generic
// therapy words keep their modifiers ("adjuvant chemotherapy", "whole-breast RT", "laparoscopic sigmoid colectomy").
import type { AnnotatedMention } from '@cancerllm/protocol';
import { treatmentMatcher, type PhraseMatch, type TreatmentEntry } from '../lexicon/index.ts';
import { mention, type NoteTokens } from './mention.ts';

/** Modifiers that belong to a radiation or chemotherapy span: "salvage RT", "palliative thoracic RT". */
const RADIATION_MODIFIER =
  /(?:(?:whole[\s-]+breast|whole[\s-]+brain|post[\s-]+mastectomy|mantle[\s-]+field|extended[\s-]+field|involved[\s-]+(?:field|site)|para[\s-]+aortic|pelvic|nodal|salvage|palliative|consolidative|adjuvant|definitive|thoracic|brain|chest[\s-]+wall|breast|prostate[\s-]+bed|regional[\s-]+nodal|hypofractionated|focal|prophylactic|stereotactic)\s+)+$/i;
const CHEMO_MODIFIER =
  /(?:(?:neoadjuvant|adjuvant|induction|consolidation|palliative|systemic|first[\s-]+line|second[\s-]+line|concurrent|definitive|long[\s-]+course|short[\s-]+course|platinum[\s-]+based)\s+)+$/i;
const SURGERY_MODIFIER =
  /(?:(?:laparoscopic|robotic|robotic[\s-]+assisted|robot[\s-]+assisted|open|minimally\s+invasive|video[\s-]+assisted|transanal|completion|bilateral)\s+)+$/i;
const COMBINABLE = new Set(['drug', 'regimen']);

export function findTreatments(note: NoteTokens): AnnotatedMention[] {
  const { text } = note;
  const matches = treatmentMatcher()
    .match(text, note.words)
    .filter((m) => !isNonTherapyUse(text, m));
  const out: AnnotatedMention[] = [];
  for (let i = 0; i < matches.length; i++) {
    const first = matches[i]!;
    let last = first;
    const parts = [first];
    while (COMBINABLE.has(last.payload.kind) && i + 1 < matches.length) {
      const next = matches[i + 1]!;
      const joiner = text.slice(last.end, next.start);
      if (!COMBINABLE.has(next.payload.kind)) break;
      // "/" and dashes join a regimen; "+" or "plus" joins only two single drugs ("encorafenib + cetuximab"), so that
      // "pembrolizumab + carboplatin/paclitaxel" stays a drug and a regimen.
      const slash = /^\s*(?:\/|–|-|—)\s*$/.test(joiner);
      const plus =
        /^\s*(?:\+|plus)\s*$/i.test(joiner) &&
        parts.length === 1 &&
        first.payload.kind === 'drug' &&
        next.payload.kind === 'drug' &&
        !joinedBySlash(text, matches, i + 1);
      if (!slash && !plus) break;
      parts.push(next);
      last = next;
      i++;
    }
    if (parts.length > 1) {
      const name = parts.map((p) => text.slice(p.start, p.end)).join('/');
      out.push(mention(text, first.start, last.end, 'treatment', { kind: 'regimen', name }));
      continue;
    }
    const start = extendStart(text, first);
    out.push(
      mention(text, start, first.end, 'treatment', { kind: first.payload.kind, name: nameOf(text, first, start) }),
    );
  }
  return out;
}

function joinedBySlash(text: string, matches: ReadonlyArray<PhraseMatch<TreatmentEntry>>, index: number): boolean {
  const next = matches[index + 1];
  return next !== undefined && /^\s*(?:\/|–|-|—)\s*$/.test(text.slice(matches[index]!.end, next.start));
}

function extendStart(text: string, match: PhraseMatch<TreatmentEntry>): number {
  const before = text.slice(Math.max(0, match.start - 60), match.start);
  const { kind, name } = match.payload;
  let modifier: RegExpExecArray | null = null;
  if (kind === 'radiation') modifier = RADIATION_MODIFIER.exec(before);
  else if (kind === 'surgery') modifier = SURGERY_MODIFIER.exec(before);
  else if (name === 'chemotherapy' || name === 'chemoradiation' || name === 'chemoimmunotherapy')
    modifier = CHEMO_MODIFIER.exec(before);
  return modifier ? match.start - modifier[0].length : match.start;
}

/** Generic radiation and chemotherapy names keep the modifiers the note uses; named agents keep the lexicon name. */
function nameOf(text: string, match: PhraseMatch<TreatmentEntry>, start: number): string {
  const { kind, name } = match.payload;
  // Generic radiation words keep the note's wording ("RT", "radiation", "salvage radiation therapy").
  if (kind === 'radiation' && name === 'radiation' && !match.fuzzy)
    return text.slice(start, match.end).replace(/\s+/g, ' ');
  if (start === match.start) return name;
  if (kind === 'surgery') return name;
  if (name === 'chemoradiation') return name;
  return text.slice(start, match.end).replace(/\s+/g, ' ');
}

const RADIATION_EFFECT =
  /^[\s-]*(?:induced\s+|related\s+)?(?:dermatitis|pneumonitis|proctitis|cystitis|esophagitis|oesophagitis|enteritis|mucositis|fibrosis|necrosis|recall)\b/i;

/** "RT" inside "RT-PCR", "excised" about a non-tumour lesion is still kept; drug names used as lab words are dropped. */
function isNonTherapyUse(text: string, match: PhraseMatch<TreatmentEntry>): boolean {
  const after = text.slice(match.end, match.end + 12);
  const name = match.payload.name;
  if (name === 'radiation' && /^-?(?:PCR|qPCR)/i.test(after)) return true;
  if (name === 'radiation' && /^\s*(?:oncology|oncologist)/i.test(after)) return true;
  // "radiation dermatitis", "radiation fibrosis": a late effect of radiation, not radiation given.
  if (match.payload.kind === 'radiation' && RADIATION_EFFECT.test(text.slice(match.end, match.end + 30))) return true;
  // The next line ("Specimen laterality: Left") is another field: only words on the same line count.
  if (match.payload.kind === 'surgery' && /^[^\S\r\n]*(?:margin|bed|site|scar|radiation|RT\b)/i.test(after))
    return true;
  // Specimen headers: "SENTINEL LYMPH NODE #1, EXCISION:"; synoptic titles: "(CAP Prostate Gland, Radical Prostatectomy".
  if ((name === 'excision' || name === 'resection') && /^\s*:/.test(after)) return true;
  if (/\bCAP\b[^()\n]{0,40}$/.test(text.slice(Math.max(0, match.start - 50), match.start))) return true;
  if (/^\s*(?:response\s+score|education|teaching|consent)/i.test(after)) return true;
  return false;
}
