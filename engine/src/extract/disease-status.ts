// Response or course of the disease: "NED", "no evidence of disease", "progression", "recurrence", "biochemical
// recurrence", "stable disease", "partial (metabolic) response", "complete remission", "CR1". "Recurrence score"
// (Oncotype), "progression-free survival" and "risk of recurrence" are not disease status.
import type { AnnotatedMention } from '@cancerllm/protocol';
import { matchFromHeads, mention } from './mention.ts';

const MODIFIER = String.raw`(?:(?:local|locoregional|regional|distant|biochemical|nodal|molecular|clinical|morphologic|morphological|metabolic|pathologic|pathological|radiographic|radiologic|hematologic|cytogenetic|serologic|early|disease)[\s-]+)*`;
const STATUS_PATTERN = new RegExp(
  String.raw`(?<![A-Za-z])(?:(no\s+evidence\s+of\s+(?:disease|recurrent\s+disease|active\s+disease))|${MODIFIER}(?:(recurrence|recurrance|recurrent|relapsed?|progression|progresion|progressive\s+disease|progressed|progressing)|(stable\s+disease)|((?:partial|complete|mixed)\s+(?:metabolic\s+|clinical\s+|radiographic\s+|pathologic\s+)?(?:response|respnse|remission))|(remission)))(?![A-Za-z])`,
  'iy',
);
const STATUS_HEAD = /recurr|relaps|progres|stable|partial|complete|mixed|remission|no\s+evidence/gi;
const STATUS_LEAD = new RegExp(`${MODIFIER}$`, 'i');
/** Abbreviations are read in their written case only: "NED", "CR1", "pCR", "VGPR" (very good partial response). */
const ABBREVIATION_PATTERN = /(?<![A-Za-z])(NED|CR[12]|pCR|CRi|sCR|VGPR)(?![A-Za-z0-9])/g;
const NOT_STATUS_AFTER = /^[\s-]*(?:score|risk|free|rate|probability|survival|pattern)/i;
const NOT_STATUS_BEFORE =
  /(?:risk\s+of|rates?\s+of|time\s+to|chance\s+of|probability\s+of|reduce[sd]?\s+(?:the\s+)?(?:risk\s+of\s+)?)\s*$/i;

export function findDiseaseStatus(text: string): AnnotatedMention[] {
  const out: AnnotatedMention[] = [];
  for (const m of text.matchAll(ABBREVIATION_PATTERN)) {
    out.push(
      mention(text, m.index, m.index + m[0].length, 'disease_status', {
        status: m[1] === 'NED' ? 'NED' : 'complete response',
      }),
    );
  }
  for (const m of matchFromHeads(text, STATUS_HEAD, STATUS_LEAD, STATUS_PATTERN)) {
    const end = m.index + m[0].length;
    if (NOT_STATUS_AFTER.test(text.slice(end, end + 15))) continue;
    if (NOT_STATUS_BEFORE.test(text.slice(Math.max(0, m.index - 30), m.index))) continue;
    const status = statusOf(m);
    if (status) out.push(mention(text, m.index, end, 'disease_status', { status }));
  }
  return out;
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
