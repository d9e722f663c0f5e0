// The triggers of each sentence that holds a mention, found once and shared by all its mentions. A mention's
// context is its sentence; one that runs past its sentence's end takes the sentences it spans, and one outside
// every sentence (in a title) its own line.
import type { AnnotatedMention } from '@cancerllm/protocol';
import type { ParsedNote } from '../note/index.ts';
import type { ContextRules } from './rules.ts';
import { findTriggers, type TriggerSink } from './triggers.ts';

/**
 * A context's triggers (sorted, non-overlapping) by use, and the offsets where its words start. Each trigger
 * knows the indices of its words, so a word distance is a subtraction and the triggers near a mention a binary
 * search: a long sentence with many mentions costs O(mentions x nearby triggers), not O(mentions x triggers).
 */
export interface SentenceTriggers extends TriggerSink {
  start: number;
  end: number;
  /**
   * For a single sentence, the section holding it, and so every offset in it (a sentence lies in one section of
   * the parser's tree); -1 for a context that is not one sentence.
   */
  sectionIndex: number;
}

/** Per `assignAssertions` call: a note's sentence triggers, found on first use. */
export class SentenceTriggerCache {
  private readonly rules: ContextRules;
  private readonly note: ParsedNote;
  /** By sentence index, for the mentions inside one sentence (nearly all). */
  private readonly bySentence: Array<SentenceTriggers | undefined>;
  /** By start, for the other contexts; a context with another end replaces the one kept. */
  private bySpanStart: Map<number, SentenceTriggers> | undefined;
  /** By offset >> BUCKET_BITS, the first sentence that ends after the bucket starts. */
  private readonly sentenceByBucket: number[];

  constructor(rules: ContextRules, note: ParsedNote) {
    this.rules = rules;
    this.note = note;
    this.bySentence = new Array<SentenceTriggers | undefined>(note.sentences.length);
    this.sentenceByBucket = bucketSentences(note);
  }

  /** The triggers of the context of `mention`. */
  around(mention: AnnotatedMention): SentenceTriggers {
    const note = this.note;
    const first = this.sentenceAt(mention.start);
    if (first >= 0) {
      const sentence = note.sentences[first]!;
      if (mention.end <= sentence.end) {
        return (this.bySentence[first] ??= this.find(sentence.start, sentence.end, sentence.sectionIndex));
      }
    }
    const [start, end] = contextSpan(note, mention, first);
    // Made on first use: nearly every mention lies inside one sentence, and many calls never need the map.
    const bySpanStart = (this.bySpanStart ??= new Map<number, SentenceTriggers>());
    let found = bySpanStart.get(start);
    if (!found || found.end !== end) {
      found = this.find(start, end, -1);
      bySpanStart.set(start, found);
    }
    return found;
  }

  /**
   * `note.sentenceAt` by a bucket table instead of a binary search (mentions are not in text order, and each step
   * of a search is a branch that the processor mispredicts half the time). Sentences are sorted, non-empty and do not overlap, so their
   * ends are sorted too: the only sentence that can hold `offset` is the first that ends after it.
   */
  private sentenceAt(offset: number): number {
    const sentences = this.note.sentences;
    let k = this.sentenceByBucket[offset >> BUCKET_BITS] ?? sentences.length;
    while (k < sentences.length && sentences[k]!.end <= offset) k++;
    return k < sentences.length && sentences[k]!.start <= offset ? k : -1;
  }

  private find(start: number, end: number, sectionIndex: number): SentenceTriggers {
    const found: SentenceTriggers = { start, end, cues: [], terminators: [], wordStarts: [], sectionIndex };
    findTriggers(this.rules, this.note.text, start, end, found);
    return found;
  }
}

/** Offsets per bucket of the sentence table: 64 characters, about a sentence. */
const BUCKET_BITS = 6;

/** A plain array: made once per call, a typed array costs more to create than this table (a few dozen entries). */
function bucketSentences(note: ParsedNote): number[] {
  const sentences = note.sentences;
  const count = (note.text.length >> BUCKET_BITS) + 1;
  const buckets: number[] = [];
  let k = 0;
  for (let bucket = 0; bucket < count; bucket++) {
    while (k < sentences.length && sentences[k]!.end <= bucket << BUCKET_BITS) k++;
    buckets.push(k);
  }
  return buckets;
}

/**
 * The span of a mention that leaves its sentence (`first`: the sentence at its start, or -1): from that
 * sentence's start to the end of the sentence at its end; a mention outside every sentence gets its line.
 */
function contextSpan(note: ParsedNote, mention: AnnotatedMention, first: number): [number, number] {
  if (first >= 0) {
    const last = mention.end > mention.start ? note.sentenceAt(mention.end - 1) : first;
    const end =
      last >= 0 ? Math.max(note.sentences[last]!.end, mention.end) : Math.max(note.sentences[first]!.end, mention.end);
    return [note.sentences[first]!.start, end];
  }
  const text = note.text;
  let s = mention.start;
  while (s > 0 && text.charCodeAt(s - 1) !== 10 && text.charCodeAt(s - 1) !== 13) s--;
  let e = mention.end;
  while (e < text.length && text.charCodeAt(e) !== 10 && text.charCodeAt(e) !== 13) e++;
  return [s, e];
}
