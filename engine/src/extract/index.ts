// Runs every concept extractor over a note's text. Each extractor finds one clinical concept; assertions are set
// later by the ConText pass, so extractors return mentions with assertion "present". The parsed note is optional:
// extractors work from the text alone.
import type { AnnotatedMention } from '@cancerllm/protocol';
import { findBiomarkers } from './biomarker.ts';
import { findDiseaseStatus } from './disease-status.ts';
import { findGleason } from './gleason.ts';
import { findGrades } from './grade.ts';
import { findHistologies } from './histology.ts';
import { findLaterality } from './laterality.ts';
import { findLvi } from './lvi.ts';
import { findMargins } from './margin.ts';
import { noteTokens } from './mention.ts';
import { findMetastases } from './metastasis.ts';
import { findLymphNodes } from './nodes.ts';
import { findPerformanceStatus } from './performance.ts';
import { findReceptors } from './receptor.ts';
import { findSites, matchSites } from './site.ts';
import { findSizes } from './size.ts';
import { findStages } from './stage.ts';
import { findTnm } from './tnm.ts';
import { findTreatments } from './treatment.ts';
import { SpanSet } from './span-set.ts';

export { findTnm } from './tnm.ts';

/** The parsed note, when the pipeline has one; unused fields are ignored. */
export interface ExtractionNote {
  readonly [key: string]: unknown;
}

export function extractMentions(text: string, _note?: ExtractionNote): AnnotatedMention[] {
  const note = noteTokens(text);
  const siteMatches = matchSites(note);
  const metastases = findMetastases(note);
  const lymphNodes = findLymphNodes(text);
  // An organ word inside a metastasis or a nodal statement ("cervical, axillary and mediastinal lymphadenopathy")
  // names where the disease spread, not the primary tumour.
  const spreadSpans = new SpanSet();
  for (const m of metastases) spreadSpans.add(m.start, m.end);
  for (const m of lymphNodes) spreadSpans.add(m.start, m.end);
  const sites = findSites(note, siteMatches).filter((s) => !spreadSpans.overlaps(s.start, s.end));
  const siteStarts = new Set(sites.map((s) => s.start));
  return [
    ...sites,
    ...findLaterality(
      note,
      siteMatches.filter((m) => siteStarts.has(m.start)),
    ),
    ...findHistologies(note),
    ...metastases,
    ...findTreatments(note),
    ...findBiomarkers(note),
    ...findReceptors(text),
    ...findTnm(text),
    ...findStages(text),
    ...findSizes(text),
    ...lymphNodes,
    ...findGrades(text),
    ...findGleason(text),
    ...findMargins(text),
    ...findLvi(text),
    ...findPerformanceStatus(text),
    ...findDiseaseStatus(text),
  ];
}
