// Defensive parsing of what a model writes when asked for JSON: code fences, prose before and after, single quotes,
// trailing commas, unquoted keys, Python literals, and output cut off by the token limit. Pure functions.
import { isAssertion, isPhenotypeType, type Assertion, type PhenotypeType } from '@cancerllm/protocol';

/** The first JSON array or object in `raw`, repaired where needed; undefined when none can be recovered. */
export function parseJsonOutput(raw: string): unknown {
  const body = stripFences(raw);
  const start = body.search(/[[{]/);
  if (start < 0) return undefined;
  const candidate = balanced(body, start);
  for (const attempt of [() => candidate, () => repair(candidate)]) {
    try {
      return JSON.parse(attempt()) as unknown;
    } catch {
      // try the next, more repaired, form
    }
  }
  return undefined;
}

export interface MentionClaim {
  type: PhenotypeType;
  /** The words of the note the model says state the phenotype (no offsets: alignment finds them). */
  text: string;
  assertion: Assertion;
}

/** The valid claims of a parsed model output (an array, or `{ "mentions": [...] }`); invalid items are counted. */
export function mentionClaims(value: unknown): { claims: MentionClaim[]; invalid: number } {
  const items = Array.isArray(value) ? value : asArray((value as { mentions?: unknown } | undefined)?.mentions);
  const claims: MentionClaim[] = [];
  let invalid = 0;
  for (const item of items) {
    const record = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
    const type =
      typeof record.type === 'string'
        ? record.type
            .trim()
            .toLowerCase()
            .replace(/[\s-]+/g, '_')
        : undefined;
    const text = typeof record.text === 'string' ? record.text : undefined;
    if (!isPhenotypeType(type) || !text || text.trim() === '') {
      invalid++;
      continue;
    }
    const assertion = typeof record.assertion === 'string' ? record.assertion.trim().toLowerCase() : 'present';
    claims.push({ type, text, assertion: isAssertion(assertion) ? assertion : 'present' });
  }
  return { claims, invalid };
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function stripFences(raw: string): string {
  const fenced = /```[a-zA-Z]*\s*\n?([\s\S]*?)(?:```|$)/.exec(raw);
  return fenced?.[1] !== undefined && /[[{]/.test(fenced[1]) ? fenced[1] : raw;
}

/**
 * The text from `start` to its matching close bracket (strings in either quote skipped); when the output was cut
 * off, the last complete element is kept and the open brackets are closed.
 */
function balanced(text: string, start: number): string {
  const stack: string[] = [];
  let quote: string | undefined;
  let lastComplete = -1;
  for (let i = start; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[' || ch === '{') stack.push(ch === '[' ? ']' : '}');
    else if (ch === ']' || ch === '}') {
      stack.pop();
      if (stack.length === 0) return text.slice(start, i + 1);
      if (stack.length === 1) lastComplete = i;
    }
  }
  // cut off: keep whole elements of the outer container only
  const opener = text[start] === '[' ? ']' : '}';
  return lastComplete > start ? `${text.slice(start, lastComplete + 1)}${opener}` : `${text[start]}${opener}`;
}

/** Makes JavaScript- and Python-flavoured object text into JSON. */
function repair(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"' || ch === "'") {
      const end = closingQuote(text, i);
      const inner = text.slice(i + 1, end);
      out += JSON.stringify(ch === "'" ? inner.replace(/\\'/g, "'") : JSON.parse(`"${inner.replace(/\n/g, '\\n')}"`));
      i = end;
      continue;
    }
    out += ch;
  }
  return out
    .replace(/,\s*([\]}])/g, '$1')
    .replace(/([{,]\s*)([A-Za-z_][\w-]*)\s*:/g, '$1"$2":')
    .replace(/\bTrue\b/g, 'true')
    .replace(/\bFalse\b/g, 'false')
    .replace(/\bNone\b/g, 'null');
}

function closingQuote(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === text[open]) return i;
  }
  return text.length;
}
