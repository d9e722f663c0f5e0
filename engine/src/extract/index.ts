// Runs every concept extractor over a note's text. Each extractor finds one clinical concept; assertions are set
// later by the ConText pass, so extractors return mentions with assertion "present".
import type { AnnotatedMention } from '@cancerllm/protocol';
import { findTnm } from './tnm.ts';

export function extractMentions(text: string): AnnotatedMention[] {
  return [...findTnm(text)];
}
