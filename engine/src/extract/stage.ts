// Overall stage groups: "stage IIB", "Stage IVB", "Stage: IIB", "stage group IIB", "FIGO stage IIIC", "FIGO IIIC",
// "FIGO 2023 IA2", "BCLC stage B", "extensive-stage", "limited stage". Arabic stages are written as Roman numerals
// ("stage 4" → "IV").
import type { AnnotatedMention } from '@cancerllm/protocol';
import { mention } from './mention.ts';
import { anchoredScan, scanLowerCaseMatches, scanMatches } from './narrowed-scan.ts';

const ROMAN = String.raw`(?:IV|I{1,3}|0)`;
// FIGO 2018's "r" or "p" after IIIC1/IIIC2 (how the nodes were shown) is written "R"/"P" in a note in capitals.
const SUB = String.raw`(?:[ABC](?:[1-3])?(?:[a-z](?![a-z])|(?<=[1-3])[RP](?![A-Za-z]))?)?`;
/** Typed in small letters ("stage iiic", "stage iv"): read as the capital stage. */
const SMALL_ROMAN = String.raw`(?:iv|i{1,3})(?:[abc][1-3]?)?`;
const STAGE_PATTERN = new RegExp(
  String.raw`(?<![A-Za-z])(?:(?<figo>FIGO|Figo)\s+(?:\d{4}\s+)?(?:(?:stage|Stage|STAGE)\s+)?|(?<system>BCLC|Binet|Rai)\s+(?:(?:stage|Stage|STAGE)\s+)?|(?:stage|Stage|STAGE)(?:\s+(?:group|Group|GROUP|grouping))?(?:\s*:\s*|\s+))(?<stage>${ROMAN}${SUB}|${SMALL_ROMAN}|[1-4](?:[ABC][1-3]?)?(?![0-9])|(?<=(?:BCLC|Binet|Rai)\s+(?:(?:stage|Stage|STAGE)\s+)?)[0A-D])(?![A-Za-z0-9])`,
  'g',
);
const EXTENT_PATTERN = /(?<![A-Za-z])(extensive|limited)[\s-]+(?:stage|disease\s+stage)(?![A-Za-z])/gi;
// Both patterns are tried only where their first word is, not at every offset of the note.
export const STAGE_SCAN = anchoredScan(
  STAGE_PATTERN,
  ['FIGO', 'Figo', 'BCLC', 'Binet', 'Rai', 'stage', 'Stage', 'STAGE'].map((literal) => ({ literal, back: [0] })),
);
export const EXTENT_SCAN = anchoredScan(
  EXTENT_PATTERN,
  ['extensive', 'limited'].map((literal) => ({ literal, back: [0] })),
);
const CATEGORY_BEFORE = /(?:^|[^A-Za-z])[TNM]\.?\s*$/;
const ARABIC: Record<string, string> = { '0': '0', '1': 'I', '2': 'II', '3': 'III', '4': 'IV' };

export function findStages(text: string): AnnotatedMention[] {
  const out: AnnotatedMention[] = [];
  for (const m of scanMatches(text, STAGE_SCAN)) {
    const g = m.groups ?? {};
    // "T Stage: 3 N Stage: 0": the stage of one TNM category, not the stage group.
    if (CATEGORY_BEFORE.test(text.slice(Math.max(0, m.index - 4), m.index))) continue;
    let stage = g.stage!;
    // "FIGO 2018 stage IIIC1r": the span starts at "stage" when a year sits between FIGO and the stage word.
    let start = m.index;
    const yearThenStage = /^(?:FIGO|Figo)\s+\d{4}\s+(stage|Stage|STAGE)/.exec(m[0]);
    if (yearThenStage) start = m.index + m[0].indexOf(yearThenStage[1]!);
    if (/^[1-4]/.test(stage) && !g.system) stage = ARABIC[stage[0]!]! + stage.slice(1);
    if (/^[iv]/.test(stage)) stage = stage.toUpperCase();
    stage = stage.replace(/(?<=[1-3])[RP]$/, (letter) => letter.toLowerCase());
    // "Stage 2" is also a lymphoma or CKD stage written in Arabic; keep only when nothing but a number follows.
    out.push(mention(text, start, m.index + m[0].length, 'stage_group', { stage }));
  }
  for (const m of scanLowerCaseMatches(text, EXTENT_SCAN)) {
    out.push(mention(text, m.index, m.index + m[0].length, 'stage_group', { stage: m[1]!.toLowerCase() }));
  }
  return out;
}
