// Response or course of the disease: "NED", "no evidence of disease", "progression", "recurrence", "biochemical
// recurrence", "stable disease", "partial (metabolic) response", "complete remission", "CR1". "Recurrence score"
// (Oncotype), "progression-free survival" and "risk of recurrence" are not disease status.
import type { AnnotatedMention } from '@cancerllm/protocol';
import { foldedHits } from './folded-match.ts';
import { lowerCaseOf } from '../text/lower-case.ts';
import { isLetter } from '../text/character-class.ts';
import { alternationHits, occurrencesOf, wordOffsets, type AlternativeOffsets } from './literal-heads.ts';
import {
  anchoredScan,
  matchFromHeadOffsets,
  scanMatches,
  type NarrowedHeads,
  type NarrowedLead,
} from './narrowed-scan.ts';
import { endTest, endsWithWordThenGap, spaceRunStart } from './window-tests.ts';
import { mention } from './mention.ts';

/** Words that qualify a status ("local recurrence", "complete metabolic response"). */
const MODIFIER_WORDS = [
  'local',
  'locoregional',
  'regional',
  'distant',
  'biochemical',
  'nodal',
  'molecular',
  'clinical',
  'morphologic',
  'morphological',
  'metabolic',
  'pathologic',
  'pathological',
  'radiographic',
  'radiologic',
  'hematologic',
  'cytogenetic',
  'serologic',
  'early',
  'disease',
];
const MODIFIER = String.raw`(?:(?:${MODIFIER_WORDS.join('|')})[\s-]+)*`;
const STATUS_PATTERN = new RegExp(
  String.raw`(?<![A-Za-z])(?:(no\s+evidence\s+of\s+(?:disease|recurrent\s+disease|active\s+disease))|${MODIFIER}(?:(recurrence|recurrance|recurrent|relapsed?|progression|progresion|progressive\s+disease|progressed|progressing)|(stable\s+disease)|((?:partial|complete|mixed)\s+(?:metabolic\s+|clinical\s+|radiographic\s+|pathologic\s+)?(?:response|respnse|remission))|(remission)))(?![A-Za-z])`,
  'iy',
);
const SPACE_OR_HYPHEN = /[\s-]/;
/** The words every status match holds (after its modifiers); "no evidence" is found from its "evidence". */
const STATUS_HEAD_WORDS = ['recurr', 'relaps', 'progres', 'stable', 'partial', 'complete', 'mixed', 'remission'];
const STATUS_HEAD = new RegExp(`${STATUS_HEAD_WORDS.join('|')}|no\\s+evidence`, 'gi');
/** Where the words of STATUS_HEAD are, found by string search (see statusHeads). */
export const STATUS_HEADS: NarrowedHeads = { pattern: STATUS_HEAD, find: statusHeads };
/**
 * The modifiers before a head; run only where they can end, in whitespace or hyphens after a modifier word (a
 * lead that matches nothing else matches the empty string at its end).
 */
export const MODIFIER_LEAD: NarrowedLead = {
  lead: new RegExp(`${MODIFIER}$`, 'i'),
  lookBack: 80,
  mayMatch: (text, from, at) => {
    const lower = lowerCaseOf(text);
    return lower === undefined || endsWithWordThenGap(lower, from, at, MODIFIER_WORDS, SPACE_OR_HYPHEN);
  },
};
/**
 * Abbreviations are read in their written case only: "NED", "CR1", "pCR", "VGPR" (very good partial response: a
 * partial response by the myeloma criteria, short of complete).
 */
const ABBREVIATION_PATTERN = /(?<![A-Za-z])(NED|CR[12]|pCR|CRi|sCR|VGPR)(?![A-Za-z0-9])/g;
export const ABBREVIATION_SCAN = anchoredScan(ABBREVIATION_PATTERN, [
  { literal: 'NED', back: [0] },
  { literal: 'CR', back: [0, 1] },
  { literal: 'VGPR', back: [0] },
]);
const NOT_STATUS_AFTER = /^[\s-]*(?:score|risk|free|rate|probability|survival|pattern)/i;
const NOT_STATUS_BEFORE =
  /(?:risk\s+of|rates?\s+of|time\s+to|chance\s+of|probability\s+of|reduce[sd]?\s+(?:the\s+)?(?:risk\s+of\s+)?)\s*$/i;
const isNotStatusBefore = endTest(NOT_STATUS_BEFORE);

export function findDiseaseStatus(text: string): AnnotatedMention[] {
  const out: AnnotatedMention[] = [];
  for (const m of scanMatches(text, ABBREVIATION_SCAN)) {
    out.push(
      mention(text, m.index, m.index + m[0].length, 'disease_status', {
        status: m[1] === 'NED' ? 'NED' : m[1] === 'VGPR' ? 'partial response' : 'complete response',
      }),
    );
  }
  out.push(...stableAfterDisease(text));
  for (const m of matchFromHeadOffsets(text, statusHeads(text), MODIFIER_LEAD, STATUS_PATTERN)) {
    const end = m.index + m[0].length;
    if (NOT_STATUS_AFTER.test(text.slice(end, end + 15))) continue;
    if (isNotStatusBefore(text.slice(Math.max(0, m.index - 30), m.index))) continue;
    const status = statusOf(m);
    if (status) out.push(mention(text, m.index, end, 'disease_status', { status }));
  }
  return out;
}

/**
 * Where STATUS_HEAD matches (as foldedHits finds it), each word searched from its rarest letters and "no\s+evidence"
 * from its "evidence": a scan of the alternation tests it at every offset of the note.
 */
function statusHeads(text: string): number[] {
  const lower = lowerCaseOf(text);
  if (lower === undefined) return [...foldedHits(text, STATUS_HEAD)].map((m) => m.index ?? 0);
  return alternationHits([...STATUS_HEAD_WORDS.map((word) => wordOffsets(lower, word)), noEvidenceOffsets(lower)]);
}

/** Where /no\s+evidence/ matches: "no" and the whitespace before each "evidence". */
function noEvidenceOffsets(lower: string): AlternativeOffsets {
  const offsets: number[] = [];
  const ends: number[] = [];
  for (const at of occurrencesOf(lower, 'evidence')) {
    const spaces = spaceRunStart(lower, at);
    if (spaces === at || spaces < 2 || !lower.startsWith('no', spaces - 2)) continue;
    offsets.push(spaces - 2);
    ends.push(at + 'evidence'.length);
  }
  return { offsets, ends };
}

function statusOf(m: RegExpMatchArray): string | undefined {
  if (m[1]) return 'NED';
  if (m[2]) return /^(?:recur|relaps)/i.test(m[2]) ? 'recurrence' : 'progression';
  if (m[3]) return 'stable';
  if (m[4]) {
    const w = m[4].toLowerCase();
    if (w.startsWith('partial')) return 'partial response';
    if (w.startsWith('complete')) return 'complete response';
    return undefined;
  }
  // A bare "remission" ("in clinical remission") is a complete response; "partial remission" is handled above.
  if (m[5]) return 'complete response';
  return undefined;
}

/**
 * "Sclerotic T7 and left iliac bone metastases, stable.", "Remaining disease stable.": a bare "stable" after the
 * disease it describes, in the same sentence and clause ("stable disease" is STATUS_PATTERN's).
 */
const DISEASE_BEFORE_STABLE =
  /\b(?:metasta\w*|mets|disease|lesions?|nodules?|nodes|masses)\b(?:\s+(?!(?:and|but|were|was|is|are)\b)[A-Za-z0-9-]+){0,3}?,?\s+(?:(?:remains?|remained|is|are|was|were|essentially|otherwise|overall|radiographically)\s+)*$/i;
const STABLE_WORD = /^stable(?![A-Za-z])(?!\s+(?:disease|vital|on|condition|for|and\s+well))/i;

function stableAfterDisease(text: string): AnnotatedMention[] {
  const lower = lowerCaseOf(text);
  if (lower === undefined) return [];
  const out: AnnotatedMention[] = [];
  for (const at of occurrencesOf(lower, 'stable')) {
    if (at > 0 && isLetter(lower.charCodeAt(at - 1))) continue;
    if (!STABLE_WORD.test(text.slice(at, at + 24))) continue;
    if (!DISEASE_BEFORE_STABLE.test(text.slice(Math.max(0, at - 70), at))) continue;
    out.push(mention(text, at, at + 6, 'disease_status', { status: 'stable' }));
  }
  return out;
}
