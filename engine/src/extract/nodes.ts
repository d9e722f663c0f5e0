// Lymph-node involvement: counts ("2 of 15", "2/15", "two of fifteen", "0/3 sentinel nodes") → positive/examined,
// and statements without counts ("hilar and subcarinal adenopathy", "nodal metastases", "node-positive") with an
// empty value. A count needs a node word nearby, so "3/3 cores" and dates are not node counts.
import type { AnnotatedMention } from '@cancerllm/protocol';
import { foldedHits } from './folded-match.ts';
import { matchFromHeads, mention } from './mention.ts';

const NUMBER_WORDS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
  'twenty',
];
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60 };
const WORD_NUMBER = String.raw`(?:(?:twenty|thirty|forty|fifty|sixty)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|${NUMBER_WORDS.join('|')})`;
const DIGIT_COUNT = /(\d{1,2})\s*(?:\/|of)\s*(\d{1,3})(?![\w/]|\.\d)/g;
/** Word counts are found from their " of " ("two of fifteen"), checking the number words on either side. */
const OF_HEAD = /\s(?:of|\/)\s/gi;
const WORD_BEFORE = new RegExp(String.raw`(?<![\w/.])(${WORD_NUMBER})$`, 'i');
const WORD_AFTER = new RegExp(String.raw`^(${WORD_NUMBER})(?![\w/])`, 'i');
const NODE_CONTEXT = /\b(?:lymph|nodes?|nodal|LNs?|stations?|sentinel|SLNs?)\b/i;
const NOT_NODE_CONTEXT =
  /\b(?:cores?|biops(?:y|ies)|samples?|fragments?|score|mitos[ie]s|slides?|blocks?|hpf|days?|weeks?|cycles?)\b/i;

const REGION = String.raw`(?:retroperitoneal|mesenteric|mediastinal|hilar|subcarinal|supraclavicular|infraclavicular|axillary|cervical|inguinal|pelvic|para-?aortic|paratracheal|periaortic|internal mammary|periumbilical|peripancreatic|perigastric|pericolic|mesorectal|iliac|external iliac|internal iliac|common iliac|obturator|portal|porta hepatis|celiac|submandibular|submental|jugulodigastric|level\s+(?:[IVX]+|\d)[ab]?|infradiaphragmatic|abdominal|thoracic|neck|lateral pelvic sidewall|contralateral|ipsilateral|bilateral|right|left|R|L|bulky|palpable|regional|distant)`;
const REGION_LIST = String.raw`${REGION}(?:\s*(?:,|\/|and|or|,\s*and|,\s*or)?\s*${REGION})*\s+(?:\([^)]{1,20}\)\s+)?`;
const ADENOPATHY_PATTERN = new RegExp(
  String.raw`(?<![A-Za-z-])(?:${REGION_LIST})?(?:lymphadenopathy|adenopathy|nodal\s+(?:metastas[ie]s|involvement|disease|mass|recurrence)|lymph\s+nodes?(?!\s*(?:dissection|biopsy|mapping|excision|sampling))|nodes(?!\s*(?:dissection|biopsy|mapping|were|are|:))|node-positive|node\s+positive)(?![A-Za-z])`,
  'iy',
);
/** The words /lymph|adenopathy|nodal|node/i finds, searched one by one (see literalHits). */
const ADENOPATHY_HEAD = ['lymph', 'adenopathy', 'nodal', 'node'];
const ADENOPATHY_LEAD = new RegExp(String.raw`(?<![A-Za-z-])${REGION_LIST}$`, 'i');

export function findLymphNodes(text: string): AnnotatedMention[] {
  const out: AnnotatedMention[] = [];
  for (const { start, end, positive, examined, examinedWritten } of counts(text)) {
    if (positive > examined || examined === 0) continue;
    const window = `${
      text
        .slice(Math.max(0, start - 100), start)
        .split(/\n\s*\n/)
        .pop() ?? ''
    } ${text.slice(end, end + 35).split(/\n\s*\n/)[0] ?? ''}`;
    const near = text.slice(end, Math.min(text.length, end + 20));
    if (!NODE_CONTEXT.test(window) || NOT_NODE_CONTEXT.test(near)) continue;
    if (/\b(?:on|dated|since|until|through)\s*$/i.test(text.slice(Math.max(0, start - 10), start))) continue;
    if (/\/\d{2,4}\b/.test(text.slice(end, end + 5)) || /\d{4}/.test(examinedWritten)) continue;
    out.push(mention(text, start, end, 'lymph_nodes', { positive, examined }));
  }
  for (const m of matchFromHeads(text, ADENOPATHY_HEAD, ADENOPATHY_LEAD, ADENOPATHY_PATTERN, 160)) {
    const written = m[0];
    // "lymph nodes" and "nodes" alone are too generic ("Regional lymph nodes: 2/18"); they need a region word.
    if (/^(?:lymph\s+nodes?|nodes)$/i.test(written)) continue;
    if (
      /^(?:right|left|R|L|bilateral|regional|suspicious|enlarged|distant|avid)\s+(?:lymph\s+nodes?|nodes)$/i.test(
        written,
      )
    )
      continue;
    out.push(mention(text, m.index, m.index + written.length, 'lymph_nodes', {}));
  }
  return out;
}

interface Count {
  start: number;
  end: number;
  positive: number;
  examined: number;
  examinedWritten: string;
}

function* counts(text: string): Generator<Count> {
  for (const m of text.matchAll(DIGIT_COUNT)) {
    if (m.index > 0 && /[\w/.]/.test(text[m.index - 1]!)) continue;
    yield {
      start: m.index,
      end: m.index + m[0].length,
      positive: Number(m[1]),
      examined: Number(m[2]),
      examinedWritten: m[2]!,
    };
  }
  for (const of of foldedHits(text, OF_HEAD)) {
    const before = WORD_BEFORE.exec(text.slice(Math.max(0, of.index - 14), of.index));
    const after = WORD_AFTER.exec(text.slice(of.index + of[0].length, of.index + of[0].length + 14));
    if (!before || !after) continue;
    const positive = wordValue(before[1]!);
    const examined = wordValue(after[1]!);
    if (positive === undefined || examined === undefined) continue;
    const start = of.index - before[1]!.length;
    yield { start, end: of.index + of[0].length + after[1]!.length, positive, examined, examinedWritten: after[1]! };
  }
}

function wordValue(word: string): number | undefined {
  const w = word.toLowerCase();
  const simple = NUMBER_WORDS.indexOf(w);
  if (simple >= 0) return simple;
  const [tens, unit] = w.split('-');
  const base = TENS[tens ?? ''];
  if (base === undefined) return undefined;
  return unit ? base + NUMBER_WORDS.indexOf(unit) : base;
}
