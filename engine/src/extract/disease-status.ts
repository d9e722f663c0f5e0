// Response or course of the disease: "NED", "no evidence of disease", "progression", "recurrence", "biochemical
// recurrence", "stable disease", "partial (metabolic) response", "complete remission", "CR1". "Recurrence score"
// (Oncotype), "progression-free survival" and "risk of recurrence" are not disease status.
import type { AnnotatedMention } from '@cancerllm/protocol';
import { mention } from './mention.ts';

const MODIFIER = String.raw`(?:(?:local|locoregional|regional|distant|biochemical|nodal|molecular|clinical|morphologic|morphological|metabolic|pathologic|pathological|radiographic|radiologic|hematologic|cytogenetic|serologic|early|disease|overall)[\s-]+)*`;
const STATUS_PATTERN = new RegExp(
  String.raw`(?<![A-Za-z])(?:(NED)(?![A-Za-z])|(no\s+evidence\s+of\s+(?:disease|recurrent\s+disease|active\s+disease))|${MODIFIER}(?:(recurrence|recurrance|recurrent|relapsed?|progression|progresion|progressive\s+disease|progressed|progressing)|(stable\s+disease)|((?:partial|complete|mixed)\s+(?:metabolic\s+|clinical\s+|radiographic\s+|pathologic\s+)?(?:response|respnse|remission))|(remission))|(CR[12i]?|pCR|CRi)(?![A-Za-z0-9]))`,
  'g',
);
const NOT_STATUS_AFTER = /^[\s-]*(?:score|risk|free|rate|probability|survival|pattern|-?free)/i;
const NOT_STATUS_BEFORE = /(?:risk\s+of|rates?\s+of|time\s+to|chance\s+of|probability\s+of|reduce[sd]?\s+(?:the\s+)?(?:risk\s+of\s+)?)\s*$/i;

export function findDiseaseStatus(text: string): AnnotatedMention[] {
  const out: AnnotatedMention[] = [];
  for (const m of text.matchAll(STATUS_PATTERN)) {
    const end = m.index + m[0].length;
    if (NOT_STATUS_AFTER.test(text.slice(end, end + 15))) continue;
    if (NOT_STATUS_BEFORE.test(text.slice(Math.max(0, m.index - 30), m.index))) continue;
    const status = statusOf(m);
    if (!status) continue;
    // The case-sensitive response abbreviations need a clinical context: "in CR1", "achieved CR".
    if (m[7] && !/^CR[12]$|^pCR$/.test(m[7]) && !/(?:in|achieved|attained|with)\s+$/i.test(text.slice(Math.max(0, m.index - 10), m.index))) continue;
    // A generic modifier glued to a bare status word: "disease progression" keeps its span as written.
    out.push(mention(text, m.index, end, 'disease_status', { status }));
  }
  return out;
}

function statusOf(m: RegExpMatchArray): string | undefined {
  if (m[1] || m[2]) return 'NED';
  if (m[3]) return /^(?:recur|relaps)/i.test(m[3]) ? 'recurrence' : 'progression';
  if (m[4]) return 'stable';
  if (m[5]) {
    const w = m[5].toLowerCase();
    if (w.startsWith('partial')) return 'partial response';
    if (w.startsWith('complete')) return 'complete response';
    return undefined;
  }
  if (m[6]) {
    // bare "remission": "in clinical remission" is a complete response; "partial remission" is handled above.
    return 'complete response';
  }
  if (m[7]) return 'complete response';
  return undefined;
}
