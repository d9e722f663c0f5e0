// Tumour markers and genomics other than ER/PR/HER2: "EGFR exon 19 deletion", "BRAF V600E", "KRAS G12V", "TTF-1+",
// "CD20−", "PD-L1 TPS 30%", "Ki-67 15%", "CEA 3.1 ng/mL", "MSI-H", "MMR deficient", "p53 aberrant". A list with
// one result gives one mention per marker ("No ALK, ROS1 or RET fusions": three, result negative; "KRAS and NRAS
// wild-type": two). A marker named without a result is not a mention. Cytogenetic findings ("t(4;14)", "del(17p)",
// "46,XY[20]") come from cytogenetics.ts.
import type { AnnotatedMention, MentionValue } from '@cancerllm/protocol';
import { biomarkerMatcher, type BiomarkerEntry, type PhraseMatch } from '../lexicon/index.ts';
import { anchoredScan, scanMatches } from './narrowed-scan.ts';
import { cytogeneticHits } from './cytogenetics.ts';
import { mention, type NoteTokens } from './mention.ts';
import { SpanSet } from './span-set.ts';

interface MarkerHit {
  start: number;
  end: number;
  marker: string;
  implied?: string;
}

const CD_MARKER = /(?<![A-Za-z0-9])(CD\d{1,3}[a-z]?)(?![0-9])/g;
/** CD_MARKER tried only at a "CD", not at every offset of the note. */
export const CD_MARKER_SCAN = anchoredScan(CD_MARKER, [{ literal: 'CD', back: [0] }]);
const SIGN = /^(?:\s?(\+{1,3}|[-−–](?![A-Za-z0-9])))/;
// An assay written before or after an antibody clone: "PD-L1 (22C3): TPS 5%", "PD-L1 IHC (22C3): TPS 5%".
const METHOD = String.raw`(?:\s*\([^()\n]{1,24}\))?(?:\s+(?:IHC|ISH|FISH|NGS|by IHC|by FISH|by NGS|by PCR|sequencing|testing|status|analysis|staining|trend)(?:\s*\([^()\n]{1,24}\))?)?`;
const RESULT_WORDS = String.raw`(?:strongly\s+|diffusely\s+|weakly\s+|focally\s+)?(?:positive|negative|wild[\s-]*type(?:\s+pattern)?|mutated|mutant|mutation\s+detected|amplified|amplification|not\s+detected|detected|deficient|proficient|high|low|stable|intact|retained|lost|loss|hypermethylated|hypermethylation|unmethylated|methylated|methylation|normal|elevated|aberrant(?:\s+\([^)]{1,20}\))?|overexpression|overexpressed|weak|equivocal|pathogenic\s+variant|variant|rearranged|not\s+rearranged|rearrangement|homozygous\s+deletion|deleted|present|absent|associated|driver|fusion|expressed|not\s+expressed|undetectable|detectable|rising|rises|rose|full-thickness|unmutated|related|gain|deletion|dim|not\s+identified)`;
const VARIANT = String.raw`(?:exon\s+\d{1,2}\s+(?:deletion|insertion|skipping|mutation|alteration)|(?:exon\s+\d{1,2}\s+)?(?:p\.)?[A-Z]\d{1,4}(?:[A-Z*]|fs|del|dup|ins)(?:\s+mutation|\s+mutated|\s+variant)?|type\s+[A-Z]\s+mutation|c\.[\w>_]+)`;
const NUMERIC = String.raw`(?:(?:TPS|CPS|TC|IC|score|expression|(?:proliferation\s+|labell?ing\s+)?index)\s*:?\s*)?(?:of\s+|at\s+|=\s*|~\s*|≈\s*|<\s*|>\s*|≥\s*|≤\s*|(?:approximately|approx\.?|about|around)\s+|in\s+(?=\d{1,3}(?:\.\d+)?\s*%)|(?:down|up|normali[sz]ed|decreased|increased|rose|fell|dropped)\s+to\s+|now\s+)?(\d{1,3}(?:,\d{3})*(?:\.\d+)?)\s*(%|ng\/mL|ng\/ml|U\/mL|U\/ml|U\/L|IU\/L|IU\/mL|mIU\/mL|mut\/Mb|mutations\/Mb|pg\/mL|mg\/L|ng\/dL|copies\/mL|pmol\/L)?`;
const AFTER_MARKER = new RegExp(
  String.raw`^${METHOD}[\s-]*(?::|is|was|of|remains)?\s*(?:(${VARIANT})|(?:[A-Z]\d{1,4}\s+)?(${RESULT_WORDS})(?![A-Za-z])(?:,\s*(\d{1,3})\s*%)?|${NUMERIC}(?!\d|\.\d))`,
  'i',
);
/** The units NUMERIC reads (in any case: "U/ML" in a note in capitals), keyed by their lower case. */
const UNITS = new Map(
  [
    '%',
    'ng/mL',
    'U/mL',
    'U/L',
    'IU/L',
    'IU/mL',
    'mIU/mL',
    'mut/Mb',
    'mutations/Mb',
    'pg/mL',
    'mg/L',
    'ng/dL',
    'copies/mL',
    'pmol/L',
  ].map((unit) => [unit.toLowerCase(), unit]),
);
/**
 * The kind of alteration tested, then its result: "EGFR mutation negative", "KRAS mutation not detected", "ALK fusion
 * not detected", "MET amplification: positive". The noun alone would read as a finding ("ALK fusion").
 */
const ALTERATION_RESULT =
  /^\s*(?:\([^()\n]{1,24}\)\s*)?(mutations?|rearrangements?|fusions?|amplifications?|alterations?|translocations?)[\s-]*(?::|is|was|are|were)?\s*(not\s+detected|not\s+identified|negative|absent|positive|detected|present|identified)(?![A-Za-z])/i;
/** What says a variant named after its gene was not found: "V600E not detected", "G12C mutation: negative". */
const VARIANT_ABSENT =
  /^\s*(?:mutation\s*)?(?::|is|was)?\s*(?:not\s+detected|not\s+identified|negative|absent|not\s+present)(?![A-Za-z])/i;
/** A unit of time after a number: the number was an interval. */
const TIME_AFTER = /^\s*(?:[-–]\s*\d+\s*)?(?:weeks?|wks?|months?|mos?|days?|years?|yrs?|hours?)\b/i;
/**
 * "sequencing: no mutation (wild type)", ": no mutations detected": the gene was tested and found unaltered ("wild
 * type" when the note says so).
 */
const NO_MUTATION_AFTER =
  /^\s*(?:(?:sequencing|testing|analysis|NGS)\s*)?:?\s*no\s+(?:pathogenic\s+)?(?:mutations?|alterations?|variants?)(?:\s+(?:detected|identified|found))?(?:\s*\((wild[\s-]*type)\))?/i;
/** The result a NO_MUTATION_AFTER match gives: "wild type" when the note says so, else "negative". */
function unalteredResult(noMutation: RegExpExecArray): string {
  return noMutation[1] ? 'wild type' : 'negative';
}
const NOT_A_RESULT_AFTER = /^\s*(?:of|analysis|testing|test|status|pending|assay|studies|study|sequencing)\b/i;
const LIST_JOINER = /^\s*(?:,|\/|and|or|,\s*and|,\s*or)\s*$/i;
const LIST_RESULT = new RegExp(
  String.raw`^\s*(?:exon\s+\d{1,2}\s+)?(?:fusions?|rearrangements?|mutations?|alterations?|amplifications?|expression|genes?)?\s*:?\s*(?:(?:are|were|is|was)\s+)?(${RESULT_WORDS}|retained|intact|not\s+detected|wild[\s-]*type|without\s+(?:alterations?|mutations?|variants?))?(?![A-Za-z])`,
  'i',
);
/**
 * What says the markers after it were not found: "no", "negative for", "without", "no pathogenic variants in", "panel
 * negative, including".
 */
const NEGATING_LEAD =
  /(?:\bno(?:\s+(?:pathogenic|deleterious|actionable|germline|somatic))?(?:\s+(?:variants?|mutations?|alterations?|fusions?|rearrangements?)\s+(?:in|of|for))?|\bnegative\s+for|\bwithout|\babsence\s+of|\bpanel\s+negative,?\s+including)\s*$/i;
const LOSS_LEAD = /\bloss\s+of\s*(?:nuclear\s+)?(?:expression\s+of\s*)?$/i;
/** "positive for CD20, PAX5 and BCL2", "tumour cells are immunoreactive for WT1": the result before the markers. */
const POSITIVE_LEAD = /\b(?:positive|reactive|immunoreactive)\s+for\s*$/i;
/** "negative for CD5": the same for a single marker (a list after it reads NEGATING_LEAD). */
const NEGATIVE_LEAD = /\bnegative\s+for\s*$/i;
/** Results that say an alteration was found: after "no" ("no FGFR2 fusion"), the marker was tested negative. */
const FOUND_ALTERATION = /^(?:fusion|rearranged|rearrangement|mutated|mutation detected|amplified|deletion|positive)$/;
const SERIAL_UNITS =
  /^\s*(?:\([^()]{0,12}\)\s*[,;]?\s*)?\(?\s*(?:(?:normal|elevated|high|wnl)\s*;\s*)?(?:(?:down|up)\s+from|was|from|previously|vs\.?|now|compared\s+with|repeat|;)?\s*(\d{1,3}(?:,\d{3})*(?:\.\d+)?)\s*(ng\/mL|U\/mL|U\/L|IU\/L|ng\/dL|pmol\/L)/i;
/** How many later values of one marker a series is read for: "PSA trend: 2.9 (2022), 3.8 (2023), 6.7 ng/mL". */
const MAX_SERIAL_VALUES = 6;

export function findBiomarkers(note: NoteTokens): AnnotatedMention[] {
  const { text } = note;
  const hits = markerHits(text, biomarkerMatcher().match(text, note.words));
  const out: AnnotatedMention[] = [];
  for (let i = 0; i < hits.length; i++) {
    const list = [hits[i]!];
    while (i + 1 < hits.length && LIST_JOINER.test(text.slice(list[list.length - 1]!.end, hits[i + 1]!.start)))
      list.push(hits[++i]!);
    if (list.length > 1) {
      const listed = listMentions(text, list);
      if (listed) {
        out.push(...listed);
        continue;
      }
    }
    for (const hit of list) out.push(...single(text, hit));
  }
  return out;
}

function markerHits(text: string, matches: ReadonlyArray<PhraseMatch<BiomarkerEntry>>): MarkerHit[] {
  const hits: MarkerHit[] = matches.map((m) => ({
    start: m.start,
    end: m.end,
    marker: m.payload.marker,
    ...(m.payload.result ? { implied: m.payload.result } : {}),
  }));
  const cdMarkers = [...scanMatches(text, CD_MARKER_SCAN)];
  const cytogenetic = cytogeneticHits(text);
  // Most notes name no CD marker and no cytogenetic finding: the lexicon's spans are only gathered for a note that
  // does.
  const lexiconHits = new SpanSet();
  if (cdMarkers.length > 0 || cytogenetic.length > 0) for (const h of hits) lexiconHits.add(h.start, h.end);
  for (const m of cdMarkers) {
    if (!lexiconHits.overlaps(m.index, m.index + 1))
      hits.push({ start: m.index, end: m.index + m[0].length, marker: m[1]! });
  }
  for (const hit of cytogenetic) if (!lexiconHits.overlaps(hit.start, hit.end)) hits.push(hit);
  // The lexicon's hits come ascending: only CD markers added after them need sorting in.
  return hits.length > matches.length ? hits.sort((a, b) => a.start - b.start) : hits;
}

function single(text: string, hit: MarkerHit): AnnotatedMention[] {
  if (hit.implied) return [mention(text, hit.start, hit.end, 'biomarker', { marker: hit.marker, result: hit.implied })];
  const after = text.slice(hit.end, hit.end + 90);
  const sign = SIGN.exec(after);
  if (sign) {
    const result = sign[1]!.startsWith('+') ? 'positive' : 'negative';
    return [mention(text, hit.start, hit.end + sign[0].length, 'biomarker', { marker: hit.marker, result })];
  }
  const none = NO_MUTATION_AFTER.exec(after);
  if (none) {
    const result = unalteredResult(none);
    return [mention(text, hit.start, hit.end + none[0].length, 'biomarker', { marker: hit.marker, result })];
  }
  const tested = ALTERATION_RESULT.exec(after);
  if (tested) {
    // "No KRAS mutations were detected": a negative result, as a list after "No" reads.
    const negated = NEGATING_LEAD.test(text.slice(Math.max(0, hit.start - 40), hit.start));
    const result = alterationResult(tested[1]!, !negated && !/^(?:not|negative|absent)/i.test(tested[2]!));
    return [mention(text, hit.start, hit.end + tested[0].length, 'biomarker', { marker: hit.marker, result })];
  }
  const m = AFTER_MARKER.exec(after);
  if (!m) return leadOnly(text, hit);
  const value: MentionValue = { marker: hit.marker };
  const end = hit.end + m[0].trimEnd().length;
  // "of tumor cells" after a percentage ("positive, 80% of tumor cells") belongs to it.
  if (NOT_A_RESULT_AFTER.test(text.slice(end, end + 15)) && !m[4] && !m[3]) return leadOnly(text, hit);
  if (m[1]) {
    value.result = variantResult(m[1]);
    // "BRAF V600E not detected", "KRAS G12C mutation: negative": the variant was tested for and not found.
    const absent = VARIANT_ABSENT.exec(text.slice(hit.end + m[0].trimEnd().length, hit.end + m[0].length + 40));
    if (absent) {
      value.result = 'negative';
      return [mention(text, hit.start, hit.end + m[0].trimEnd().length + absent[0].length, 'biomarker', value)];
    }
  } else if (m[2]) {
    value.result = normalizeResult(m[2]);
    if (FOUND_ALTERATION.test(value.result) && NEGATING_LEAD.test(text.slice(Math.max(0, hit.start - 40), hit.start)))
      value.result = value.result.startsWith('rearrang') ? 'not rearranged' : 'negative';
    if (m[3]) {
      value.numeric = Number(m[3]);
      value.unit = '%';
    }
  } else if (m[4]) {
    value.numeric = Number(m[4].replace(/,/g, ''));
    const unit = m[5] ?? (/CPS/.test(m[0]) ? 'CPS' : undefined);
    if (unit) value.unit = canonicalUnit(unit);
    if (hit.marker === 'PD-L1') value.result = value.numeric >= 1 ? 'positive' : 'negative';
    if (/normali[sz]ed/i.test(m[0])) value.result = 'normal';
    else if (/^\s*\(\s*(?:normal|wnl|within normal)/i.test(text.slice(end, end + 20))) value.result = 'normal';
    if (!m[5] && !/CPS|TPS|%/.test(m[0]) && !/^(?:PSA|CEA|AFP|LDH|CA|TMB|NSE)/.test(hit.marker))
      return leadOnly(text, hit);
    // "PSA at 6–8 weeks": when the marker is to be drawn, not its value.
    if (!m[5] && TIME_AFTER.test(text.slice(end, end + 20))) return leadOnly(text, hit);
  }
  const out = [mention(text, hit.start, end, 'biomarker', value)];
  if (value.unit && value.unit !== '%' && value.unit !== 'CPS')
    out.push(...serialValues(text, end, hit.marker, String(value.unit)));
  return out;
}

/** "loss of MLH1", "no BRCA1 mutation": the result sits before the marker. */
function leadOnly(text: string, hit: MarkerHit): AnnotatedMention[] {
  const before = text.slice(Math.max(0, hit.start - 40), hit.start);
  if (LOSS_LEAD.test(before))
    return [mention(text, hit.start, hit.end, 'biomarker', { marker: hit.marker, result: 'loss' })];
  const negative = NEGATIVE_LEAD.test(before);
  if (negative || POSITIVE_LEAD.test(before)) {
    const result = negative ? 'negative' : 'positive';
    return [mention(text, hit.start, hit.end, 'biomarker', { marker: hit.marker, result })];
  }
  // "mutated NPM1", "normalized CEA", "normal karyotype": the result word before the marker is part of the span.
  const lead = /\b(mutated|mutant|unmutated|normali[sz]ed|normal|abnormal|complex|elevated|rising)\s*$/i.exec(before);
  if (lead) {
    const word = lead[1]!.toLowerCase();
    const result = word.startsWith('mutat') ? 'mutated' : word.startsWith('normali') ? 'normal' : word;
    const start = hit.start - before.length + lead.index;
    return [mention(text, start, hit.end, 'biomarker', { marker: hit.marker, result })];
  }
  return [];
}

/** Later values of the same marker in the same statement: "CEA 3.1 ng/mL (down from 48.2 ng/mL)". */
function serialValues(text: string, from: number, marker: string, unit: string): AnnotatedMention[] {
  const out: AnnotatedMention[] = [];
  for (let at = from; out.length < MAX_SERIAL_VALUES; ) {
    const m = SERIAL_UNITS.exec(text.slice(at, at + 60));
    if (!m || m[2]!.toLowerCase() !== unit.toLowerCase()) break;
    const start = at + m[0].lastIndexOf(m[1]!);
    const end = at + m[0].length;
    out.push(mention(text, start, end, 'biomarker', { marker, numeric: Number(m[1]!.replace(/,/g, '')), unit }));
    at = end;
  }
  return out;
}

function listMentions(text: string, list: MarkerHit[]): AnnotatedMention[] | undefined {
  const last = list[list.length - 1]!;
  const before = text.slice(Math.max(0, list[0]!.start - 40), list[0]!.start);
  const trailing = LIST_RESULT.exec(text.slice(last.end, last.end + 50));
  let result: string | undefined;
  let lastEnd = last.end;
  const none = NO_MUTATION_AFTER.exec(text.slice(last.end, last.end + 60));
  if (none) result = unalteredResult(none);
  else if (trailing?.[1]) {
    result = normalizeResult(trailing[1]);
    if (/retained|intact/i.test(trailing[1])) result = 'intact';
    // The last marker's own result phrase ("MET exon 14 not detected") stays outside its span, as in the gold
    // convention for lists; a variant right after it ("MET exon 14") is part of the marker.
    const exon = /^\s*exon\s+\d{1,2}/i.exec(text.slice(last.end, last.end + 12));
    if (exon) lastEnd = last.end + exon[0].length;
  }
  if (NEGATING_LEAD.test(before))
    result = /^\s*rearrangements?/i.test(text.slice(last.end, last.end + 20)) ? 'not rearranged' : 'negative';
  else if (LOSS_LEAD.test(before)) result = 'loss';
  else if (!result && POSITIVE_LEAD.test(before)) result = 'positive';
  if (!result) return undefined;
  return list.map((hit) =>
    mention(text, hit.start, hit === last ? lastEnd : hit.end, 'biomarker', {
      marker: hit.marker,
      result: hit.implied ?? result,
    }),
  );
}

function variantResult(written: string): string {
  const v = written.replace(/\s+/g, ' ').trim();
  const exon = /^exon \d{1,2} (deletion|insertion|skipping)/i.exec(v);
  if (exon) return v.toLowerCase();
  if (/^type\s/i.test(v)) return v;
  const protein = /(?:p\.)?([A-Z]\d{1,4}(?:[A-Z*]|fs|del|dup|ins))/i.exec(v);
  if (protein) return protein[1]!;
  return v.replace(/\s+(?:mutation|mutated|variant)$/i, '');
}

function normalizeResult(written: string): string {
  const w = written
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/^(?:strongly|diffusely|weakly|focally) /, '');
  if (/^wild[\s-]*type/.test(w)) return 'wild type';
  if (/^aberrant/.test(w)) return 'aberrant';
  if (w === 'mutant' || w === 'mutation detected' || w === 'pathogenic variant' || w === 'variant' || w === 'driver')
    return w === 'driver' ? 'positive' : 'mutated';
  if (w === 'amplification') return 'amplified';
  if (w === 'not detected' || w === 'absent' || w.startsWith('without')) return 'negative';
  if (w === 'detected' || w === 'associated' || w === 'related' || w === 'expressed') return 'positive';
  if (w === 'not identified') return 'negative';
  if (w === 'overexpression') return 'overexpressed';
  if (w === 'lost') return 'loss';
  if (w === 'rises' || w === 'rose') return 'rising';
  if (w === 'methylation') return 'methylated';
  if (w === 'hypermethylation') return 'hypermethylated';
  if (w === 'rearrangement') return 'rearranged';
  if (w === 'not expressed') return 'negative';
  return w;
}

function canonicalUnit(written: string): string {
  return UNITS.get(written.toLowerCase()) ?? written;
}

/**
 * The result of an alteration test, as the lexicon's result words read: found ("mutated", "rearranged", "fusion",
 * "amplified") or not ("negative"; "not rearranged" for a rearrangement, as a list of them reads).
 */
function alterationResult(noun: string, found: boolean): string {
  const n = noun.toLowerCase();
  if (!found) return n.startsWith('rearrangement') ? 'not rearranged' : 'negative';
  if (n.startsWith('mutation')) return 'mutated';
  if (n.startsWith('amplification')) return 'amplified';
  if (n.startsWith('fusion')) return 'fusion';
  if (n.startsWith('alteration')) return 'positive';
  return 'rearranged';
}
