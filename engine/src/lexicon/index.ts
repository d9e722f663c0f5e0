// Public surface of the lexicons: typed loaders over the JSON tables in data/ and their compiled phrase matchers.
// Each matcher is built on first use and never changes afterwards (an immutable index, not a cache of results).
import biomarkersData from './data/biomarkers.json' with { type: 'json' };
import commonWordsData from './data/common-words.json' with { type: 'json' };
import histologiesData from './data/histologies.json' with { type: 'json' };
import metastasisSitesData from './data/metastasis-sites.json' with { type: 'json' };
import sitesData from './data/sites.json' with { type: 'json' };
import treatmentsData from './data/treatments.json' with { type: 'json' };
import { FuzzyIndex, MIN_FUZZY_LENGTH } from './fuzzy.ts';
import { addTermStart, emptyTermStarts, lexiconWordsOf, WordIds, type LexiconWords } from './lexicon-words.ts';
import { PhraseMatcher, type LexiconTerm } from './phrase-matcher.ts';
import { NOT_REMEMBERED, TokenMemo } from './token-memo.ts';
import { isWordChar, tokenize, type Token } from './tokens.ts';
import { FNV_OFFSET, hashStep } from './word-table.ts';
import { lowerCaseOf } from '../text/lower-case.ts';

export { WordIds, type LexiconWords } from './lexicon-words.ts';
export { PhraseMatcher, type LexiconTerm, type PhraseMatch } from './phrase-matcher.ts';
export { tokenize, type Token, type TokenSpan } from './tokens.ts';
export { editDistance, FuzzyIndex } from './fuzzy.ts';

export interface SiteEntry {
  site: string;
  icdo3: string;
  /** A paired organ (breast, kidney, lung, limbs): laterality applies. */
  paired: boolean;
  /** Laterality written into the term itself ("LLL" is the left lower lobe). */
  laterality?: 'left' | 'right';
}
export interface HistologyEntry {
  histology: string;
  icdo3: string;
}
export interface TreatmentEntry {
  kind: 'drug' | 'regimen' | 'surgery' | 'radiation' | 'other';
  name: string;
}
export interface BiomarkerEntry {
  marker: string;
  /** A result implied by the term itself: "MSS" is MSI stable, "dMMR" is MMR deficient. */
  result?: string;
}
export interface MetastasisSiteEntry {
  site: string;
}

interface RawTable<V> {
  caseSensitive?: string[];
  entries: Array<{ value: V; terms: string[]; paired?: boolean }>;
}

function terms<V, P>(
  table: RawTable<V>,
  toPayload: (value: V, term: string, paired: boolean) => P,
): Array<LexiconTerm<P>> {
  const caseSensitive = new Set(table.caseSensitive ?? []);
  const out: Array<LexiconTerm<P>> = [];
  for (const entry of table.entries) {
    if (!Array.isArray(entry.terms) || entry.terms.length === 0)
      throw new Error(`lexicon entry without terms: ${JSON.stringify(entry.value)}`);
    for (const term of entry.terms) {
      out.push({
        term,
        payload: toPayload(entry.value, term, entry.paired === true),
        caseSensitive: caseSensitive.has(term),
      });
    }
  }
  return out;
}

export const commonWords: ReadonlySet<string> = new Set(commonWordsData.words);

function lazy<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => (built ??= build());
}

/** Word numbering shared by every lexicon matcher, so a note's tokens are numbered once. */
const wordIds = new WordIds();

/**
 * The note's lexicon words (its tokens, as tokenize() finds them, that are a lexicon word) numbered with the shared
 * word ids, misspellings corrected as in noteTokenIds. One scan over the lower-cased note: a token's id is read
 * from the note's characters, and only an unknown token long enough to be a misspelling, and not met before, is
 * cut out as a string.
 */
export function noteWords(text: string): LexiconWords {
  const lower = lowerCaseOf(text);
  // A few characters change length when lower-cased ("İ"); such a note takes the token-object path.
  if (lower === undefined) return noteTokenIds(tokenize(text));
  // Builds every matcher too, so that wordIds knows which words begin terms.
  const index = sharedFuzzyIndex();
  // Plain arrays of small integers, grown by push: cheaper per note than typed arrays sized ahead and cut down.
  const starts: number[] = [];
  const ends: number[] = [];
  const ids: number[] = [];
  const corrected: number[] = [];
  const termStarts = emptyTermStarts(wordIds);
  const n = lower.length;
  let i = 0;
  while (i < n) {
    const code = lower.charCodeAt(i);
    if (!isWordChar(code) && code !== 47 && code !== 43) {
      i++;
      continue;
    }
    const start = i;
    let hash = hashStep(FNV_OFFSET, code);
    i++;
    // "/" and "+" are tokens of one character; a word runs while word characters do
    if (code !== 47 && code !== 43) {
      // i < n is tested before each read: a read past the end yields NaN, which the compiled loop would then have
      // to allow for in every character (this form measured ~14% faster over the whole of noteWords)
      for (; i < n; i++) {
        const c = lower.charCodeAt(i);
        if (!isWordChar(c)) break;
        hash = hashStep(hash, c);
      }
    }
    let id = wordIds.idAt(lower, start, i, hash >>> 0);
    let fixed = 0;
    if (id < 0 && i - start >= MIN_FUZZY_LENGTH && index.mayCorrect(lower, start, i)) {
      const correction = correctedId(index, lower, start, i, hash >>> 0);
      if (correction >= 0) {
        id = correction;
        fixed = 1;
      }
    }
    if (id < 0) continue;
    const beginsTerms = wordIds.beginsTermMask(id);
    if (beginsTerms !== 0) addTermStart(termStarts, beginsTerms, ids.length);
    starts.push(start);
    ends.push(i);
    ids.push(id);
    corrected.push(fixed);
  }
  return { starts, ends, ids, corrected, termStarts };
}

/**
 * The lexicon words of a note's tokens, numbered with the shared word ids, misspellings corrected once per
 * distinct token over the union of the site, histology, treatment and metastasis vocabularies (biomarker matching
 * ignores corrected ids).
 */
export function noteTokenIds(tokens: readonly Token[]): LexiconWords {
  const index = sharedFuzzyIndex();
  const ids = new Array<number>(tokens.length).fill(-1);
  const corrected = new Array<number>(tokens.length).fill(0);
  for (let i = 0; i < tokens.length; i++) {
    const norm = tokens[i]!.norm;
    const id = wordIds.get(norm);
    if (id !== undefined) {
      ids[i] = id;
      continue;
    }
    if (norm.length < MIN_FUZZY_LENGTH) continue;
    const fixed = correctedId(index, norm, 0, norm.length);
    if (fixed >= 0) {
      ids[i] = fixed;
      corrected[i] = 1;
    }
  }
  return lexiconWordsOf(tokens, ids, corrected, wordIds);
}

/**
 * The word id the unknown lower-case token text[start, end) is corrected to, or -1: common words are never
 * corrected. Remembered across notes (corrections), and read from the text's characters: only a token not met
 * before is cut out as a string. `hash` is hashChars of those characters, for a caller that computed it.
 */
function correctedId(index: FuzzyIndex, text: string, start: number, end: number, hash?: number): number {
  let fixed = corrections.get(text, start, end, hash);
  if (fixed === NOT_REMEMBERED) {
    const norm = text.slice(start, end);
    fixed = correctionOf(index, norm);
    corrections.set(norm, fixed);
  }
  return fixed;
}

/** correctedId, not remembered. */
function correctionOf(index: FuzzyIndex, norm: string): number {
  if (commonWords.has(norm)) return -1;
  const word = index.correct(norm);
  return word === undefined ? -1 : (wordIds.get(word) ?? -1);
}

/**
 * Correction results by unknown token, kept across notes: correcting is a pure function of the token and the
 * immutable lexicons, and the same unknown words (names, drugs outside the lexicon, common misspellings) recur in
 * every note. Bounded, so a stream of random tokens cannot grow it without limit; read straight from the note's
 * characters, so a remembered token is never cut out as a string.
 */
const corrections = new TokenMemo(50_000);

const sharedFuzzyIndex = lazy(() => {
  const words = new Set<string>();
  for (const matcher of [siteMatcher(), histologyMatcher(), treatmentMatcher(), metastasisSiteMatcher()]) {
    for (const w of matcher.words()) words.add(w);
  }
  // Biomarker words are numbered too, so that they are never "corrected" into another lexicon's word.
  biomarkerMatcher();
  return new FuzzyIndex(words, commonWords);
});

const lobeLaterality = sitesData.abbreviationLaterality as Record<string, 'left' | 'right'>;

export const siteMatcher = lazy(
  () =>
    new PhraseMatcher<SiteEntry>(
      terms(sitesData as RawTable<{ site: string; icdo3: string }>, (v, term, paired) => {
        const entry: SiteEntry = { site: v.site, icdo3: v.icdo3, paired };
        const side = lobeLaterality[term];
        if (side) entry.laterality = side;
        return entry;
      }),
      { knownWords: commonWords, wordIds },
    ),
);

export const histologyMatcher = lazy(
  () =>
    new PhraseMatcher<HistologyEntry>(
      terms(histologiesData as RawTable<HistologyEntry>, (v) => v),
      { knownWords: commonWords, wordIds },
    ),
);

/**
 * The histology a whole phrase names, looked up by its words in lower case joined by single spaces (hyphens read as
 * spaces, as the matcher reads them): how a subtype written after its tumour ("squamous cell carcinoma,
 * nonkeratinizing") is found to name an entry of its own ("nonkeratinizing squamous cell carcinoma").
 */
export function histologyNamed(phrase: string): HistologyEntry | undefined {
  return histologyTerms().get(phraseKey(phrase));
}

/**
 * Whether a phrase (lower case, single spaces) begins some histology term: a subtype whose words begin none cannot
 * name an entry before its tumour or before "carcinoma", and its lookups are skipped. Asked of a single word, it
 * turns most words after a tumour ("moderately", "grade") away before any phrase is built.
 */
export function beginsHistologyPhrase(phrase: string): boolean {
  return histologyPrefixes().has(phrase);
}

const histologyPrefixes = lazy(() => {
  const prefixes = new Set<string>();
  for (const key of histologyTerms().keys()) {
    const words = key.split(' ');
    for (let n = 1; n <= words.length; n++) prefixes.add(words.slice(0, n).join(' '));
  }
  return prefixes;
});

const histologyTerms = lazy(() => {
  const byTerm = new Map<string, HistologyEntry>();
  for (const entry of (histologiesData as RawTable<HistologyEntry>).entries)
    for (const term of entry.terms) if (!byTerm.has(phraseKey(term))) byTerm.set(phraseKey(term), entry.value);
  return byTerm;
});

function phraseKey(phrase: string): string {
  return phrase
    .toLowerCase()
    .replace(/[\s-]+/g, ' ')
    .trim();
}

export const treatmentMatcher = lazy(
  () =>
    new PhraseMatcher<TreatmentEntry>(
      terms(treatmentsData as RawTable<TreatmentEntry>, (v) => v),
      { knownWords: commonWords, wordIds },
    ),
);

export const biomarkerMatcher = lazy(
  () =>
    new PhraseMatcher<BiomarkerEntry>(
      terms(biomarkersData as RawTable<BiomarkerEntry>, (v) => v),
      { fuzzy: false, wordIds },
    ),
);

export const metastasisSiteMatcher = lazy(
  () =>
    new PhraseMatcher<MetastasisSiteEntry>(
      terms(metastasisSitesData as RawTable<MetastasisSiteEntry>, (v) => v),
      { knownWords: commonWords, wordIds },
    ),
);
