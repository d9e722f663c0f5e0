// What the extractors find of one type in a text, as tests compare it: the mentions' texts and values in text order.
import type { PhenotypeType } from '@cancerllm/protocol';
import { extractMentions } from '../src/extract/index.ts';

/** The text and value of each mention of `type` in `text`, by start (and end, for two at one start). */
export function found(text: string, type: PhenotypeType) {
  return extractMentions(text)
    .filter((m) => m.type === type)
    .sort((a, b) => a.start - b.start || a.end - b.end)
    .map((m) => ({ text: m.text, value: m.value }));
}
