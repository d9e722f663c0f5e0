// Finds the mentions under an offset: the narrowest first, so a hover on "ER" inside "ER/PR positive" picks ER.
import type { AnnotatedMention } from '@cancerllm/protocol';

export function mentionsAt(mentions: readonly AnnotatedMention[], offset: number): AnnotatedMention[] {
  return mentions
    .filter((m) => m.start <= offset && offset <= m.end)
    .sort((a, b) => a.end - a.start - (b.end - b.start) || a.start - b.start);
}
