// The note's phenotype summary: one line for the code lens ("breast · IDC · pT2 N1a M0 · stage IIB · ER+ PR+ HER2−")
// and rows for the summary table. Only present mentions count: a negated or family mention is not this cancer.
import type { AnnotatedMention, PhenotypeType } from '@cancerllm/protocol';
import { describeMention, TYPE_LABELS } from '../mention-words.ts';
import abbreviations from './histology-abbreviations.json' with { type: 'json' };

const HISTOLOGY_ABBREVIATIONS: Record<string, string> = abbreviations.abbreviations;

export interface SummaryRow {
  type: PhenotypeType;
  label: string;
  values: string[];
}

export function summaryLine(mentions: readonly AnnotatedMention[]): string {
  const present = mentions.filter((m) => m.assertion === 'present');
  const first = (type: PhenotypeType) => present.find((m) => m.type === type);
  const last = (type: PhenotypeType) => present.filter((m) => m.type === type).at(-1);
  const parts: string[] = [];
  const site = first('primary_site')?.value.site;
  if (site !== undefined) parts.push(String(site));
  const histology = first('histology')?.value.histology;
  if (histology !== undefined) parts.push(HISTOLOGY_ABBREVIATIONS[String(histology).toLowerCase()] ?? String(histology));
  const tnm = last('tnm');
  if (tnm) parts.push(['prefix', 't', 'n', 'm'].map((k) => (k === 'n' || k === 'm' ? ' ' : '') + String(tnm.value[k] ?? '')).join('').replace(/\s+/g, ' ').trim());
  const stage = last('stage_group')?.value.stage;
  if (stage !== undefined) parts.push(`stage ${String(stage)}`);
  const receptors = receptorSigns(present);
  if (receptors) parts.push(receptors);
  return parts.length > 0 ? parts.join(' · ') : 'No cancer phenotypes found';
}

/** "ER+ PR+ HER2−", from the last stated result of each receptor. */
function receptorSigns(present: readonly AnnotatedMention[]): string {
  const byReceptor = new Map<string, string>();
  for (const m of present) {
    if (m.type !== 'receptor_status') continue;
    const receptor = m.value.receptor;
    const status = m.value.status;
    if (receptor === undefined || status === undefined) continue;
    const sign = status === 'positive' ? '+' : status === 'negative' ? '−' : status === 'low' ? '-low' : ' equivocal';
    byReceptor.set(String(receptor), `${String(receptor)}${sign}`);
  }
  return [...byReceptor.values()].join(' ');
}

/** One row per type that occurs, with each distinct mention in words, in note order. */
export function summaryRows(mentions: readonly AnnotatedMention[]): SummaryRow[] {
  const rows = new Map<PhenotypeType, SummaryRow>();
  for (const m of mentions) {
    const row = rows.get(m.type) ?? { type: m.type, label: TYPE_LABELS[m.type], values: [] };
    const words = describeMention(m);
    if (!row.values.includes(words)) row.values.push(words);
    rows.set(m.type, row);
  }
  return [...rows.values()];
}
