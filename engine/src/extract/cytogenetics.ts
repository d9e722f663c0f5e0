// Cytogenetic findings written in ISCN notation, which the lexicon's word tokens cannot hold (its phrases are words
// parted by spaces): translocations ("t(4;14)", "t(9;22)(q34;q11.2)"), deletions and inversions ("del(17p)",
// "del(13q)", "inv(16)"), whole-chromosome gains and losses ("trisomy 12", "monosomy 7"), arm gains and losses
// before their result ("1q21 gain": the marker "1q21", the result "gain"), and karyotypes ("46,XY[20]").
// The biomarker extractor reads their results as it reads any marker's ("t(4;14) positive", "no del(11q) or
// trisomy 12").
import { anchoredScan, scanMatches, type NarrowedScan } from './narrowed-scan.ts';
import { isDigit } from '../text/character-class.ts';

/** A cytogenetic marker's span and name; a karyotype carries its result (normal or abnormal) as well. */
export interface CytogeneticHit {
  start: number;
  end: number;
  marker: string;
  implied?: string;
}

const CHROMOSOME = String.raw`(?:\d{1,2}|X|Y)`;
const NOTATION_PATTERN = new RegExp(
  String.raw`(?<![A-Za-z0-9])(?:t\(${CHROMOSOME};${CHROMOSOME}\)(?:\([pq][\d.]{1,6};[pq][\d.]{1,6}\))?|(?:del|inv|dup)\(${CHROMOSOME}(?:[pq](?:\d{1,2}(?:\.\d{1,2})?)?)?\)|(?:trisomy|monosomy)\s+${CHROMOSOME})(?![A-Za-z0-9])`,
  'gi',
);
export const NOTATION_SCAN = anchoredScan(
  NOTATION_PATTERN,
  ['t(', 'del(', 'inv(', 'dup(', 'trisomy', 'monosomy'].map((literal) => ({ literal, back: [0] })),
);
/** A chromosome arm (and band) named before what happened to it: "1q21 gain", "1q gain", "17p deletion". */
const ARM_PATTERN =
  /(?<![A-Za-z0-9.])(\d{1,2}[pq](?:\d{1,2}(?:\.\d{1,2})?)?)(?=\s{1,3}(?:gain|deletion|loss|amplification)(?![A-Za-z]))/gi;
const ARM_ANCHORS = anchoredScan(
  ARM_PATTERN,
  // An arm and band ("17p13.12", 8 characters) and up to three blanks before the word.
  ['gain', 'deletion', 'loss', 'amplification'].map((literal) => ({ literal, back: [3, 4, 5, 6, 7, 8, 9, 10, 11] })),
);
/** ARM_PATTERN tried at the digits a few characters before each "gain", "deletion", "loss" or "amplification". */
export const ARM_SCAN: NarrowedScan = {
  pattern: ARM_PATTERN,
  starts: (text) => ARM_ANCHORS.starts(text)?.filter((at) => isDigit(text.charCodeAt(at))),
};
/**
 * A karyotype: chromosome count, sex chromosomes, any abnormalities, the number of cells in brackets; clones parted
 * by "/" ("46,XY,t(9;22)(q34;q11.2)[15]/46,XY[5]").
 */
const CLONE = String.raw`(?:4[4-9]|[5-9]\d|[1-3]\d),\s?X{1,3}Y{0,2}(?:,[^\s,[\]]{1,40})*\[\d{1,3}\]`;
const KARYOTYPE_PATTERN = new RegExp(String.raw`(?<![A-Za-z0-9])${CLONE}(?:\/${CLONE})*`, 'g');
export const KARYOTYPE_SCAN = anchoredScan(KARYOTYPE_PATTERN, [
  { literal: ',X', back: [2] },
  { literal: ', X', back: [2] },
]);
/** The one normal karyotype of each sex, in a single clone. */
const NORMAL_KARYOTYPE = /^46,\s?X(?:X|Y)\[\d{1,3}\]$/;

export function cytogeneticHits(text: string): CytogeneticHit[] {
  const hits: CytogeneticHit[] = [];
  for (const m of scanMatches(text, NOTATION_SCAN)) {
    hits.push({ start: m.index, end: m.index + m[0].length, marker: markerName(m[0]) });
  }
  for (const m of scanMatches(text, ARM_SCAN)) {
    hits.push({ start: m.index, end: m.index + m[0].length, marker: m[1]!.toLowerCase() });
  }
  const karyotypes: CytogeneticHit[] = [];
  for (const m of scanMatches(text, KARYOTYPE_SCAN)) {
    const implied = NORMAL_KARYOTYPE.test(m[0]) ? 'normal' : 'abnormal';
    karyotypes.push({ start: m.index, end: m.index + m[0].length, marker: 'karyotype', implied });
  }
  // The abnormalities a karyotype lists ("46,XY,t(9;22)(q34;q11.2)[15]") belong to it.
  const outside = hits.filter((hit) => !karyotypes.some((k) => hit.start < k.end && k.start < hit.end));
  return [...outside, ...karyotypes].sort((a, b) => a.start - b.start);
}

/** "t(9;22)(q34;q11.2)" → "t(9;22)"; "Trisomy 12" → "trisomy 12"; "DEL(17P)" → "del(17p)". */
function markerName(written: string): string {
  const breakpoints = written.indexOf(')(');
  const name = breakpoints < 0 ? written : written.slice(0, breakpoints + 1);
  // Sex chromosomes keep their capitals inside the parentheses: "del(X)".
  return name
    .replace(/\s+/g, ' ')
    .toLowerCase()
    .replace(/\([^)]*\)/g, (inside) => inside.replace(/[xy]/g, (sex) => sex.toUpperCase()));
}
