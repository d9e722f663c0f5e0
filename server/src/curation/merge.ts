// Merges a curator's decisions with what an analyzer found: rejected mentions disappear, accepted ones are marked
// curated (with the curator's corrections), added ones join. Decisions are first re-anchored to the current text;
// those whose text is gone come back as orphans for the caller to report.
import type { AnnotatedMention } from '@cancerllm/protocol';
import { reanchor } from './anchor.ts';
import type { CurationDecision } from './sidecar.ts';

export interface MergeResult {
  mentions: AnnotatedMention[];
  /** Every decision, re-anchored to the current text where possible; orphans keep their last anchor. */
  decisions: CurationDecision[];
  orphans: CurationDecision[];
}

export function mergeDecisions(text: string, found: readonly AnnotatedMention[], decisions: readonly CurationDecision[]): MergeResult {
  const mentions = [...found];
  const orphans: CurationDecision[] = [];
  const placed: CurationDecision[] = [];
  for (const decision of decisions) {
    const anchor = reanchor(text, decision.anchor);
    if (!anchor) {
      const orphan = { ...decision, orphaned: true };
      orphans.push(orphan);
      placed.push(orphan);
      continue;
    }
    const current: CurationDecision = { ...decision, anchor };
    delete current.orphaned;
    placed.push(current);
    const index = mentions.findIndex((m) => m.start === anchor.start && m.end === anchor.end && m.type === decision.foundType && !m.provenance?.curated);
    const original = index >= 0 ? mentions[index] : undefined;
    if (decision.action === 'reject') {
      if (index >= 0) mentions.splice(index, 1);
      continue;
    }
    const curated = decision.mention;
    if (!curated) continue;
    const unchanged =
      original !== undefined &&
      original.type === curated.type &&
      original.assertion === curated.assertion &&
      JSON.stringify(sortKeys(original.value)) === JSON.stringify(sortKeys(curated.value));
    const mention: AnnotatedMention = {
      start: anchor.start,
      end: anchor.end,
      text: anchor.text,
      type: curated.type,
      value: curated.value,
      assertion: curated.assertion,
      provenance: {
        source: original?.provenance?.source ?? 'curator',
        curated: decision.action === 'add' || !original ? 'added' : unchanged ? 'accepted' : 'corrected',
        ...(original?.provenance?.trigger && original.assertion === curated.assertion ? { trigger: original.provenance.trigger } : {}),
      },
    };
    if (index >= 0) mentions[index] = mention;
    else mentions.push(mention);
  }
  mentions.sort((a, b) => a.start - b.start || a.end - b.end);
  return { mentions, decisions: placed, orphans };
}

function sortKeys(value: Record<string, unknown>): Array<[string, unknown]> {
  return Object.entries(value).sort(([a], [b]) => a.localeCompare(b));
}
