// Sites of distant metastasis: "liver metastases", "osseous lesion", "omental caking", "pleural metastases", a list
// such as "with liver, adrenal and bone metastases" (one mention per site), sites after "metastatic to" or "mets
// to" ("metastatic to lung, liver and bone"), and site-less statements ("distant
// metastases", "metastatic disease") with an empty value.
import type { AnnotatedMention } from '@cancerllm/protocol';
import { metastasisSiteMatcher, type MetastasisSiteEntry, type PhraseMatch } from '../lexicon/index.ts';
import { mention, type NoteTokens } from './mention.ts';
import { isLowerLetter, isWhitespace } from '../text/character-class.ts';
import { SpanSet, startingIn } from './span-set.ts';
import { foldedMatchAll } from './folded-match.ts';
import { lowerCaseOf } from '../text/lower-case.ts';
import { ascendingOnce, occurrencesOf } from './literal-heads.ts';
import { matchAtStarts } from './narrowed-scan.ts';
import { spaceRunStart, wordEndingAt } from './window-tests.ts';

/** Nouns that make a site word a metastasis statement: "hepatic lesions", "peritoneal nodularity". */
const MET_NOUN =
  /^[\s-]*(?:\([^)\n]{1,15}\)\s*)?(?:(?:metastas[ie]s|metastatses|mets|metastatic\s+disease|implants?|tumou?r\s+implants?|nodularity|carcinomatosis|deposits?|caking|cake|involvement|spread|disease|lesions?|nodules?|masses|effusion|uptake)\b)/i;
const LIST_JOINER = /^\s*(?:,|and|or|,\s*and|,\s*or)\s*$/i;
/** LIST_JOINER, a side allowed before the next site: "the liver, left adrenal gland and right ilium". */
const SIDED_LIST_JOINER = /^\s*(?:,|and|or|,\s*and|,\s*or)\s*(?:(?:the\s+)?(?:left|right|bilateral)\s+)?$/i;
const SITELESS =
  /\b(?:(?:distant|visceral|thoracic|extrahepatic|widespread|diffuse)\s+(?:metastatic\s+disease|metastases|metastasis|disease|spread)|metastatic\s+disease|extrahepatic\s+disease|metastases|metastasis)\b/gi;
const SITELESS_AT = new RegExp(SITELESS.source, 'iy');
/** Every SITELESS match begins with "metasta" or with one of these words, whitespace and its noun. */
const SITELESS_ADJECTIVES = ['distant', 'visceral', 'thoracic', 'extrahepatic', 'widespread', 'diffuse'];
/** The nouns after SITELESS_ADJECTIVES begin with these ("metastatic disease", "metastases", "disease", "spread"). */
const SITELESS_NOUNS = ['metasta', 'disease', 'spread'];
/** A metastasis noun given a site by a preposition: "metastases to the liver and bone", "metastasis in the brain". */
const TO_SITES = /^\s*(?:to|in|involving|within)\s+(?:the\s+)?/i;

export function findMetastases(note: NoteTokens): AnnotatedMention[] {
  const { text } = note;
  const out: AnnotatedMention[] = [];
  const matches = metastasisSiteMatcher().match(text, note.words);
  const claimed = new SpanSet();
  for (let i = 0; i < matches.length; i++) {
    // Collect a list of site words ("liver, adrenal and bone") ending in a metastasis noun.
    const list = [matches[i]!];
    while (i + 1 < matches.length && LIST_JOINER.test(text.slice(list[list.length - 1]!.end, matches[i + 1]!.start))) {
      list.push(matches[++i]!);
    }
    const last = list[list.length - 1]!;
    const rest = text.slice(last.end, last.end + 40);
    const noun = MET_NOUN.exec(rest);
    if (!noun || !isMetastaticNoun(noun[0], last, text)) {
      // "no osseous or visceral metastases", "Omentum: metastatic HGSC": the site word alone is the mention.
      if (
        /^\s*(?:,|and|or)\s+[A-Za-z-]+\s+(?:metastas[ie]s|lesions|involvement)\b/i.test(rest) ||
        /^\s*:\s*metastatic\b/i.test(rest)
      ) {
        for (const site of list) out.push(siteMention(text, site, site.end));
        claimed.add(list[0]!.start, last.end);
      }
      continue;
    }
    for (const site of list.slice(0, -1)) out.push(siteMention(text, site, site.end));
    const end = last.end + noun[0].length;
    out.push(siteMention(text, last, end));
    claimed.add(list[0]!.start, end);
  }
  // Both scans are tried only where their first word stands: found by string search, far cheaper than the regex
  // scanning the whole note (a note whose lower case changes length takes the regex scan).
  const lower = lowerCaseOf(text);
  const metasta = lower === undefined ? undefined : occurrencesOf(lower, 'metasta');
  for (const m of lower !== undefined && metasta
    ? matchAtStarts(text, SITELESS_AT, sitelessStarts(lower, metasta))
    : foldedMatchAll(text, SITELESS)) {
    const start = m.index;
    const end = start + m[0].length;
    if (claimed.overlaps(start, end)) continue;
    const following = text.slice(end, end + 40);
    const to = TO_SITES.exec(following);
    if (to && /^metasta/i.test(m[0])) {
      const listed = listedSites(text, matches, end + to[0].length);
      if (listed.length > 0) {
        for (const site of listed) out.push(siteMention(text, site, site.end));
        continue;
      }
    }
    if (/(?:nodal|node|lymph\s+node)\s+$/i.test(text.slice(Math.max(0, start - 12), start))) continue;
    // "adrenal, hepatic or osseous lesions suspicious for metastasis": the sites before it already say it.
    if (claimed.endingIn(start - 29, start).some(([, e]) => !/[.;\n]/.test(text.slice(e, start)))) continue;
    out.push(
      mention(
        text,
        start,
        end,
        'metastasis_site',
        /^metastas[ie]s$/i.test(m[0]) ? siteFromContext(text, start, matches) : {},
      ),
    );
  }
  for (const m of lower !== undefined && metasta
    ? matchAtStarts(text, SPREAD_TO_AT, spreadToStarts(lower, metasta))
    : foldedMatchAll(text, SPREAD_TO)) {
    const end = m.index + m[0].length;
    if (claimed.overlaps(m.index, end)) continue;
    const listed = listedSites(text, matches, end);
    for (const site of listed) out.push(siteMention(text, site, site.end));
    if (listed.length > 0) claimed.add(m.index, listed[listed.length - 1]!.end);
  }
  for (const m of metasta
    ? matchAtStarts(text, METASTATIC_ADJECTIVE_AT, adjectiveStarts(text, metasta))
    : foldedMatchAll(text, METASTATIC_ADJECTIVE)) {
    if (claimed.overlaps(m.index, m.index + m[0].length)) continue;
    out.push(mention(text, m.index, m.index + m[0].length, 'metastasis_site', {}));
  }
  return out;
}

/**
 * Where SITELESS can match, ascending: at each "metasta", and at an adjective that ends where the whitespace before
 * a noun begins. The adjectives are found from their nouns: three searches of the note instead of one per
 * adjective ("distant", "diffuse" and "extrahepatic" share their first letters with many words).
 */
function sitelessStarts(lower: string, metasta: readonly number[]): readonly number[] {
  const adjectives: number[] = [];
  const nouns = ascendingOnce(
    SITELESS_NOUNS.map((noun) => (noun === 'metasta' ? metasta : occurrencesOf(lower, noun))),
  );
  for (const nounAt of nouns) {
    const end = spaceRunStart(lower, nounAt);
    if (end === nounAt) continue;
    const adjective = wordEndingAt(lower, end, SITELESS_ADJECTIVES);
    if (adjective !== undefined) adjectives.push(end - adjective.length);
  }
  // The adjectives ascend with their nouns (one ends in the whitespace before its noun, which no adjective holds),
  // so the two lists are merged rather than sorted.
  return ascendingOnce([metasta, adjectives]);
}

/**
 * Spread stated with its sites after it: "metastatic to lung, liver and bone", "mets to brain", "metastases to the
 * liver, left adrenal gland and right ilium".
 */
const SPREAD_TO =
  /(?<![A-Za-z])(?:metastatic|metastas[ie]s|metastasi[sz]ed|mets)\s+(?:to|into|involving)\s+(?:the\s+)?/gi;
const SPREAD_TO_AT = new RegExp(SPREAD_TO.source, 'iy');

/** Where SPREAD_TO_AT can match: at a word that starts with "metastatic", "metastasized" or "mets". */
function spreadToStarts(lower: string, metasta: readonly number[]): number[] {
  const starts = ascendingOnce([metasta, occurrencesOf(lower, 'mets')]);
  return starts.filter((at) => (at === 0 || !isLowerLetter(lower.charCodeAt(at - 1))) && toFollows(lower, at));
}

/**
 * Whether the word at `at` is followed, after whitespace, by a "t" or an "i" ("to", "into", "involving"): most
 * "metastases" and "metastatic" are not, and SPREAD_TO_AT is not run there.
 */
function toFollows(lower: string, at: number): boolean {
  let end = at;
  while (isLowerLetter(lower.charCodeAt(end))) end++;
  let next = end;
  while (isWhitespace(lower.charCodeAt(next))) next++;
  const c = lower.charCodeAt(next);
  return next > end && (c === 116 || c === 105);
}

/** The sites the lexicon found from `at` on, the first right there and each next one joined by "," "and" or "or". */
function listedSites(
  text: string,
  sites: ReadonlyArray<PhraseMatch<MetastasisSiteEntry>>,
  at: number,
): Array<PhraseMatch<MetastasisSiteEntry>> {
  const following = startingIn(sites, at, at + 60);
  if (following.length === 0 || following[0]!.start !== at) return [];
  const listed = [following[0]!];
  for (const site of following.slice(1)) {
    if (!SIDED_LIST_JOINER.test(text.slice(listed[listed.length - 1]!.end, site.start))) break;
    listed.push(site);
  }
  return listed;
}

/** "metastatic lung adenocarcinoma", "non-metastatic": spread stated without a site. */
const METASTATIC_ADJECTIVE =
  /(?<![A-Za-z])(?:non-)?metastatic(?=\s+(?:(?:clear\s+cell|small\s+cell|non-small\s+cell)\s+)?(?:lung|breast|colon|colorectal|rectal|prostate|pancreatic|gastric|esophageal|ovarian|renal|bladder|urothelial|cervical|endometrial|thyroid|head and neck|NSCLC|SCLC|HCC|RCC|castration|hormone|RUL|RML|RLL|LUL|LLL)\b|\s*\n?\s*beyond\b)/gi;
const METASTATIC_ADJECTIVE_AT = new RegExp(METASTATIC_ADJECTIVE.source, 'iy');

/** METASTATIC_ADJECTIVE starts at "metastatic" or at the "non-" before it; both come from the "metasta"s. */
function adjectiveStarts(text: string, heads: readonly number[]): number[] {
  const lower = lowerCaseOf(text)!;
  const starts: number[] = [];
  for (const at of heads) {
    if (!lower.startsWith('metastatic', at)) continue;
    if (at >= 4 && lower.startsWith('non-', at - 4)) starts.push(at - 4);
    starts.push(at);
  }
  return starts;
}
const LOBE = /\b(?:RUL|RML|RLL|LUL|LLL|lingula)\b/g;

/** A bare "metastasis" takes the site named just before it: "5 mm RLL nodule; metastasis cannot be excluded". */
function siteFromContext(
  text: string,
  at: number,
  sites: ReadonlyArray<PhraseMatch<MetastasisSiteEntry>>,
): { site?: string } {
  let from = Math.max(0, at - 150);
  const gap = text.lastIndexOf('\n\n', at);
  if (gap > from) from = gap;
  let best: { pos: number; site: string } | undefined;
  for (const s of startingIn(sites, from, at))
    if (s.end <= at && (!best || s.start > best.pos)) best = { pos: s.start, site: s.payload.site };
  for (const m of text.slice(from, at).matchAll(LOBE))
    if (!best || from + m.index > best.pos) best = { pos: from + m.index, site: 'lung' };
  return best ? { site: best.site } : {};
}

/** "lesions", "nodules", "masses", "uptake" and "disease" only count for organs where they mean spread. */
function isMetastaticNoun(noun: string, site: PhraseMatch<MetastasisSiteEntry>, text: string): boolean {
  // A level in parentheses before the noun ("osseous (L2) involvement") is not the noun.
  const n = noun
    .replace(/^[\s-]*\([^)\n]*\)/, '')
    .trim()
    .toLowerCase();
  if (/^(?:metasta|mets|implant|tumou?r|carcinomatosis|deposit|caking|cake)/.test(n)) return true;
  const s = site.payload.site;
  if (/^effusion/.test(n)) return s === 'pleura' && /^malignant/i.test(text.slice(site.start, site.end));
  if (/^(?:nodularity|nodules?)/.test(n)) {
    return (
      s === 'peritoneum' ||
      s === 'adrenal gland' ||
      (s === 'lung' && /contralateral/i.test(text.slice(site.start, site.end)))
    );
  }
  if (/^(?:lesions?|masses)/.test(n)) return s !== 'lung' && s !== 'skin' && s !== 'ovary';
  if (/^(?:involvement|spread|disease)/.test(n)) return s !== 'lung' && s !== 'ovary';
  return false;
}

function siteMention(text: string, site: PhraseMatch<MetastasisSiteEntry>, end: number): AnnotatedMention {
  return mention(text, site.start, end, 'metastasis_site', { site: site.payload.site });
}
