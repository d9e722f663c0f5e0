// Primary tumour sites ("left breast", "sigmoid colon", "RUL", "pancreatic head") from the ICD-O-3 topography
// lexicon. The organ word inside a diagnosis phrase is a site ("Lung adenocarcinoma": "Lung"); "breast cancer"
// keeps "cancer" in the span. Organ words that name lymph-node regions ("cervical nodes", "hilar adenopathy"),
// vessels or organ function ("renal vein", "renal function") or section headers ("KIDNEYS:") are not sites.
import type { AnnotatedMention, MentionValue } from '@cancerllm/protocol';
import { siteMatcher, type PhraseMatch, type SiteEntry } from '../lexicon/index.ts';
import { mention, type NoteTokens } from './mention.ts';
import { clauseAround, isWrappedLine, wrappedLineEnd } from './window-tests.ts';
import { ascendingOnce, occurrencesOf } from './literal-heads.ts';
import { lowerBound } from './span-set.ts';
import { lowerCaseOf } from '../text/lower-case.ts';
import { isWhitespace } from '../text/character-class.ts';

const NOT_A_SITE_AFTER = new Set([
  'vein',
  'veins',
  'artery',
  'arteries',
  'function',
  'failure',
  'insufficiency',
  'cyst',
  'cysts',
  'changes',
  'movement',
  'movements',
  'habits',
  'obstruction',
  'prep',
  'sounds',
  'stones',
  'stone',
  'bases',
  'base',
  'window',
  'fields',
  'field',
  'rt',
  'radiation',
  'irradiation',
  'exam',
  'examination',
  'nodes',
  'node',
  'lymph',
  'adenopathy',
  'lymphadenopathy',
  'nodal',
  'metastasis',
  'metastases',
  'metastatic',
  'mets',
  'parenchyma',
  'stent',
  'protocol',
  'duct',
  'ducts',
  'dilatation',
  'dilation',
  'enzymes',
  'tests',
  'panel',
  'spine',
  'pain',
  'mri',
  'ct',
  'ultrasound',
  'us',
  'density',
  'imaging',
  'surgeon',
  'surgery',
  'clinic',
  'verge',
  'sparing',
  'conserving',
  'cytology',
  'smear',
  'smears',
  'stenosis',
  'length',
  'canal',
  'tissue',
  'bed',
  'volume',
  'sinus',
  'swelling',
  'clear',
  'stroma',
  'stromal',
  'invasion',
  'serosa',
  'colectomy',
  'resection',
  'sigmoidectomy',
  'wall',
  'contour',
  'echotexture',
  'parenchymal',
  'unremarkable',
  'normal',
  'size',
  'grossly',
  'appears',
  'are',
  'is',
  'was',
  'were',
  'gland',
  'medical',
  'oncology',
  'oncologist',
  'program',
  'service',
  'musculature',
  'cuff',
  'bleeding',
  'margin',
  'margins',
  'comorbidity',
  'comorbidities',
  'fullness',
  'effusion',
  'effusions',
  'catheter',
  'drain',
  'space',
  'surgical',
  'biomarkers',
  'syndrome',
  'foot',
  'vessels',
  'vessel',
  'extension',
  'diverticulosis',
  'diverticulitis',
  'diverticula',
  'center',
  'centre',
  'preserving',
  'emptying',
  'fistula',
  'discomfort',
  'incision',
]);
/**
 * Words before a site that make it an imaging field, a synoptic header, a landmark or the other organ of a pair:
 * "MRI brain", "CAP Breast", "contralateral breast".
 */
const NOT_A_SITE_BEFORE =
  /(?:\b(?:MRI|CT|PET|PET\/CT|US|ultrasound|x-ray|XR|CXR|scan|CAP|from|rest\s+of\s+the|whole|to\s+the|into\s+the|perigastric,?|contralateral|from\s+the|non-?neoplastic|en|to\s+mid|testicular|renal|splenic|hepatic|CAP\b[^()\n]{0,40}|SYNOPTIC\s+REPORT\b[^\n]{0,60})[\s-]*)$/i;
/** "Well-healed scar on the right calf": where the tumour was removed, not where it is; read 40 back (doubled spaces). */
const SCAR_BEFORE = /\b(?:scar|graft|incision)\s+(?:on|of|over)\s+(?:the\s+)?(?:(?:right|left)\s+)?$/i;
/** Site words that need a following "cancer" or "primary" to be a primary site (otherwise mostly metastasis or anatomy). */
const NEEDS_CANCER_WORD = new Set([
  'liver',
  'bone',
  'bone marrow',
  'intestinal tract',
  'skin',
  'soft tissue',
  'lymph node',
  'spleen',
  'peritoneum',
  'mediastinum',
  'retroperitoneum',
]);
// Each word before the node word is whole ("[A-Za-z-]+" not followed by a letter): a word that could be cut
// anywhere made the engine try every split of every word, the slowest pattern in the engine.
const NODE_WORDS =
  /^\s*(?:(?:,|and|or|\/)?\s*(?:right|left|bilateral|level\s+[ivx\d]+|[A-Za-z-]+(?![A-Za-z-]))\s*){0,3}?(?:lymph|nodes?|nodal|adenopathy|lymphadenopathy)\b/i;
/**
 * Every NODE_WORDS match holds one of these: a clause without any is no nodal region, and the costly pattern (tried
 * at each split of up to three words) is not run on it.
 */
const NODE_WORD_HINT = /lymph|nod(?:e|al)|adenopathy/i;

export function matchSites(note: NoteTokens): Array<PhraseMatch<SiteEntry>> {
  return siteMatcher().match(note.text, note.words);
}

export function findSites(note: NoteTokens, matches = matchSites(note)): AnnotatedMention[] {
  const { text } = note;
  const out: AnnotatedMention[] = [];
  const noTumourNear = wordsNear(text, NO_TUMOUR_WORDS);
  const spreadNear = wordsNear(text, SPREAD_WORDS);
  // Whether the note is about a skin cancer, asked once at its first limb site.
  let skinNote: boolean | undefined;
  for (const match of matches) {
    const site = match.payload;
    const after = text.slice(match.end, match.end + 60);
    const cancerFollows = /^[\s-]*(?:cancer|ca\b)/i.test(after);
    if (NEEDS_CANCER_WORD.has(site.site) && !cancerFollows && !/^\s*primary/i.test(after)) continue;
    if (!cancerFollows && isExcluded(text, match, after)) continue;
    if (
      !cancerFollows &&
      noTumourNear(match) &&
      statesNoTumour(clauseAround(text, match.start, match.end, CLAUSE_REACH))
    )
      continue;
    // "New right lung nodules suspicious for pulmonary metastases": an organ where the disease spread, in a clause
    // that names no tumour of its own.
    if (!cancerFollows && spreadNear(match) && aboutSpreadOnly(sentenceAround(text, match.start, match.end))) continue;
    let end = match.end;
    if (cancerFollows) end = match.end + (/^[\s-]*cancer/i.exec(after)?.[0].length ?? 0);
    const skin = SKIN_OF[site.site];
    skinNote ??= skin ? isSkinTumourNote(text) : undefined;
    out.push(mention(text, match.start, end, 'primary_site', siteValue(skin && skinNote ? skin : site)));
  }
  return out;
}

/** Limb sites the lexicon files under soft tissue (a sarcoma's), and their skin when the tumour is a skin cancer. */
const SKIN_OF: Readonly<Record<string, SiteEntry>> = {
  'soft tissue of lower limb': { site: 'skin of lower limb', icdo3: 'C44.7', paired: true },
  'soft tissue of upper limb': { site: 'skin of upper limb', icdo3: 'C44.6', paired: true },
};
/** "melanoma of the left anterior thigh": in a note about a skin cancer and no sarcoma, a limb is the skin of the limb. */
function isSkinTumourNote(text: string): boolean {
  const lower = lowerCaseOf(text) ?? text.toLowerCase();
  return ['melanoma', 'merkel', 'basal cell'].some((word) => lower.includes(word)) && !lower.includes('sarcoma');
}

/** What says an organ holds no tumour: "NEGATIVE FOR CARCINOMA", "no evidence of malignancy", "benign". */
const NO_TUMOUR =
  /\b(?:negative\s+for\s+(?:carcinoma|malignancy|tumou?r|neoplasm|dysplasia)|no\s+evidence\s+of\s+(?:malignancy|carcinoma|tumou?r|neoplasm|recurrence|recurrent\s+disease)|benign|unremarkable|not\s+involved|uninvolved|free\s+of\s+(?:tumou?r|carcinoma)|within\s+normal\s+limits|(?:is|are|appears?)\s+normal|without\s+(?:masses|lesions|abnormalit\w*)|no\s+(?:other\s+)?(?:masses|lesions)\s+in)\b/i;
/** NO_TUMOUR for replace: every such statement in a clause. */
const NO_TUMOUR_ALL = new RegExp(NO_TUMOUR.source, 'gi');
const TUMOUR_WORD = /carcinoma|cancer|tumou?r|malignan|neoplasm|lymphoma|sarcoma|melanoma|metasta|adenoma|blastoma/i;

/** Whether a clause names a tumour outside a statement that some organ holds none. */
function namesTumour(clause: string): boolean {
  return TUMOUR_WORD.test(clause.replace(NO_TUMOUR_ALL, ' '));
}

/** The words NO_TUMOUR's phrases hold, searched in the note's lower case. */
const NO_TUMOUR_WORDS = [
  'negative',
  'evidence',
  'benign',
  'unremarkable',
  'involved',
  'free of',
  'normal',
  'without',
  'lesions in',
  'masses in',
];
/** The words that speak of spread. */
const SPREAD_WORDS = ['metasta', 'mets'];
const SPREAD = /metasta|\bmets\b/i;
/**
 * What names a tumour of the organ itself, which a clause about spread may also do ("colon cancer with liver mets");
 * stems, so that a misspelt "carcinma" still counts.
 */
const OWN_TUMOUR =
  /carcin|cancer|primary|tumou?r|\bmass\b|malignan|neoplas|lymphom|sarcom|melanom|adenom|blastom|adenoca|\b(?:NSCLC|SCLC|HCC|RCC|IDC|ILC|HGSC|GIST|CA)\b/i;

/**
 * The sentence around a site: to a ";" or a "." before whitespace (not the point of "2.5 cm"), at most CLAUSE_REACH
 * away on each side. Line breaks do not end it, as clinical text wraps mid-sentence; clauseAround, which reads where a
 * wrapped line carries on, cost more than all the other site rules when run at every site near a word of spread.
 */
function sentenceAround(text: string, start: number, end: number): string {
  let from = start;
  while (from > 0 && start - from < CLAUSE_REACH && !endsSentence(text, from - 1)) from--;
  let to = end;
  while (to < text.length && to - end < CLAUSE_REACH && !endsSentence(text, to)) to++;
  return text.slice(from, to);
}

/** A ";", or a "." that whitespace follows (not the point of "2.5 cm"). */
function endsSentence(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c === 59 || (c === 46 && isWhitespace(text.charCodeAt(i + 1)));
}

/** Whether a clause speaks of spread and names no tumour: its organs are where the disease went. */
function aboutSpreadOnly(clause: string): boolean {
  return SPREAD.test(clause) && !OWN_TUMOUR.test(clause);
}

/**
 * Whether one of `list`'s words stands within a clause's reach of a site: most sites have none, and their clause is
 * not read (a note whose lower case moves offsets reads every clause).
 */
function wordsNear(text: string, list: readonly string[]): (match: PhraseMatch<SiteEntry>) => boolean {
  const lower = lowerCaseOf(text);
  if (lower === undefined) return () => true;
  const words = ascendingOnce(list.map((word) => occurrencesOf(lower, word)));
  return (match) => {
    const first = lowerBound(words, match.start - CLAUSE_REACH);
    return first < words.length && words[first]! < match.end + CLAUSE_REACH;
  };
}

/** How far clauseAround reads on each side. */
const CLAUSE_REACH = 150;

/**
 * Whether a site's clause says the organ is free of tumour and names no tumour otherwise ("NIPPLE AND SKIN:
 * NEGATIVE FOR CARCINOMA", "BILATERAL OVARIES: NO EVIDENCE OF MALIGNANCY"): a tumour's primary site is not such an
 * organ. "Prostate: adenocarcinoma; seminal vesicles not involved" keeps the prostate, named with its tumour.
 */
function statesNoTumour(clause: string): boolean {
  return NO_TUMOUR.test(clause) && !namesTumour(clause);
}

function isExcluded(text: string, match: PhraseMatch<SiteEntry>, after: string): boolean {
  const next = /^[\s-]+([A-Za-z]+)/.exec(after)?.[1]?.toLowerCase();
  if (next && NOT_A_SITE_AFTER.has(next)) return true;
  if (SCAR_BEFORE.test(text.slice(Math.max(0, match.start - 40), match.start))) return true;
  // "the colorectal tumor board": a meeting, not a tumour.
  if (/^[\s-]+(?:tumou?r\s+)?board\b/i.test(after)) return true;
  // "INVASIVE CARCINOMA OF THE BREAST (CAP; AJCC 8th edition)": a synoptic template's title.
  if (/^[^\S\n]*\((?:CAP|AJCC)\b/.test(after)) return true;
  // "cervical and inguinal nodes", "hilar and subcarinal adenopathy": a nodal region, not an organ. "The left cheek and
  // regional nodal recurrence" names an organ and then nodes of their own.
  if (!/^\s*(?:,|and|with)\s+(?:regional|distant)\b/i.test(after) && namesNodalRegion(after)) return true;
  // A section header such as "KIDNEYS:" or "Liver:" at the start of a line. The line's start is searched for only
  // after a colon: searching back through a long line for every site showed in profiles.
  // "Lungs/airways:" heads a radiology report's findings as "Liver:" does.
  if (/^(?:\s*\/\s*[A-Za-z]+)*\s*:/.test(after)) {
    const lineStart = lineStartOf(text, match.start);
    const header = /^\s*(?:[-•*]|[A-Z]\.|\d+\.)?\s*$/.test(text.slice(lineStart, match.start));
    // A heading whose clause names a tumour is the tumour's site: "Prostate: adenocarcinoma, Gleason 3+4".
    if (
      header &&
      !isWrappedLine(text, lineStart) &&
      !namesTumour(clauseAround(text, match.start, match.end, CLAUSE_REACH))
    )
      return true;
  }
  if (
    NOT_A_SITE_BEFORE.test(text.slice(Math.max(0, match.start - 20), match.start)) &&
    !/^\s*(?:cancer|carcinoma|primary|mass|tumou?r)/i.test(after)
  )
    return true;
  // A sub-centimetre or "tiny" lung nodule is an indeterminate finding, not the primary.
  if (
    /^\s*nodule/i.test(after) &&
    /(?:\b[1-9]\s*mm|tiny|small)\s*(?:right|left)?\s*$/i.test(text.slice(Math.max(0, match.start - 14), match.start))
  )
    return true;
  return false;
}

function lineStartOf(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

/**
 * Whether the clause after a site (up to 50 characters, to the first . ; : or a line break that the next line does not
 * carry on) names a nodal region.
 */
function namesNodalRegion(after: string): boolean {
  const window = after.slice(0, wrappedLineEnd(after, 0, 50));
  const clauseEnd = window.search(/[.;:]/);
  const clause = clauseEnd < 0 ? window : window.slice(0, clauseEnd);
  return NODE_WORD_HINT.test(clause) && NODE_WORDS.test(clause);
}

export function siteValue(site: SiteEntry): MentionValue {
  return { site: site.site, icdo3: site.icdo3 };
}
