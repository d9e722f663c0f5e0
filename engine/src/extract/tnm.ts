// TNM classification strings ("pT2 N1a M0", "ypT1cN0", "cT3N1M0") → tnm mentions with prefix/T/N/M.
import type { AnnotatedMention, MentionValue } from '@cancerllm/protocol';

// One TNM expression: an optional prefix, then T, N and M parts in order, each optional but at least one of T/N,
// separated by nothing, spaces or commas. Lookarounds keep it from matching inside words ("AT2B", "T2-weighted").
const TNM_PATTERN =
  /(?<![A-Za-z0-9])(?<prefix>yp|yc|p|c|r|a)?(?<t>T(?:is|x|X|[0-4][a-d]?(?:\((?:m|\d+)\))?))?(?:[ ,]*(?:(?:yp|yc|p|c)?(?<n>N(?:x|X|[0-3][a-c]?(?:mi|\((?:sn|i[+-]|mol[+-])\))?))))?(?:[ ,]*(?:(?:yp|yc|p|c)?(?<m>M(?:x|X|[01][a-d]?(?:\(i\+\))?))))?(?![A-Za-z0-9-])/g;

export function findTnm(text: string): AnnotatedMention[] {
  const mentions: AnnotatedMention[] = [];
  for (const match of text.matchAll(TNM_PATTERN)) {
    const groups = match.groups ?? {};
    const { t, n, m } = groups;
    // A lone "M1" or "N0" is too ambiguous outside a TNM string; require T, or N with M.
    if (!t && !(n && m)) continue;
    const value: MentionValue = {};
    if (groups.prefix) value.prefix = groups.prefix;
    if (t) value.t = normalizePart(t);
    if (n) value.n = normalizePart(n);
    if (m) value.m = normalizePart(m);
    const start = match.index;
    const matched = match[0];
    mentions.push({
      start,
      end: start + matched.length,
      text: matched,
      type: 'tnm',
      value,
      assertion: 'present',
      provenance: { source: 'rules' },
    });
  }
  return mentions;
}

/** "Tx" and "TX" mean the same; keep sub-letters as written ("T1c", "N1mi"). */
function normalizePart(part: string): string {
  return part.charAt(0) + part.slice(1).replace(/^x$/, 'X');
}
