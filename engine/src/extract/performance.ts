// Performance status: "ECOG 1", "ECOG PS 2", "ECOG performance status of 0", "KPS 90", "Karnofsky 80%". A second
// score in a following parenthesis ("ECOG 0 (1 at diagnosis)", "ECOG 2 (was 3 on admission)") is its own mention.
import type { AnnotatedMention } from '@cancerllm/protocol';
import { anchoredScan, scanMatches } from './narrowed-scan.ts';
import { mention } from './mention.ts';

const PS_PATTERN =
  /(?<![A-Za-z])(?:(ECOG|Ecog|ecog|Zubrod|zubrod|WHO)(?:\s+(?:PS|performance\s+status|performance\s+score))?(?:\s+(?:score|of|is|was|=))?\s*:?\s*([0-4])(?!\d|\.\d)|(KPS|Kps|kps|Karnofsky|karnofsky)(?:\s+(?:PS|performance\s+status|performance\s+score|score))?(?:\s+(?:of|is|was|=))?\s*:?\s*(100|[1-9]0)\s*%?|(?:performance\s+status|PS)(?:\s+(?:of|is|was|=))?\s*:?\s*([0-4])(?!\d|\.\d|%))/g;
/** PS_PATTERN tried only where one of its first words is, not at every offset of the note. */
export const PS_SCAN = anchoredScan(
  PS_PATTERN,
  // The scales' names are also typed in small letters ("ecog 1", "kps 90"); "who" is then a common word.
  [
    'ECOG',
    'Ecog',
    'ecog',
    'Zubrod',
    'zubrod',
    'WHO',
    'KPS',
    'Kps',
    'kps',
    'Karnofsky',
    'karnofsky',
    'performance',
    'PS',
  ].map((literal) => ({ literal, back: [0] })),
);
const FOLLOW_UP =
  /^\s*\(\s*(?:was\s+|previously\s+|from\s+)?([0-4]|100|[1-9]0)(?=\s+(?:at|on|in|prior|before|previously)\b|\s*\))/i;

export function findPerformanceStatus(text: string): AnnotatedMention[] {
  const out: AnnotatedMention[] = [];
  for (const m of scanMatches(text, PS_SCAN)) {
    const scale = m[3] ? 'KPS' : 'ECOG';
    if (m[1] === 'WHO' && !/performance|PS/i.test(m[0])) continue;
    const score = Number(m[2] ?? m[4] ?? m[5]);
    const end = m.index + m[0].length;
    out.push(mention(text, m.index, end, 'performance_status', { scale, score }));
    const follow = FOLLOW_UP.exec(text.slice(end, end + 40));
    if (follow) {
      const at = end + follow[0].length - follow[1]!.length;
      out.push(mention(text, at, at + follow[1]!.length, 'performance_status', { scale, score: Number(follow[1]) }));
    }
  }
  return out;
}
