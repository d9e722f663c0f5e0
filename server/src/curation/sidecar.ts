// The curation sidecar `<note>.annotations.json`: the curator's decisions on one note. Parsing turns any content
// into decisions or a message; a file that cannot be parsed is never overwritten.
import { isAssertion, isPhenotypeType, type Assertion, type MentionValue, type PhenotypeType } from '@cancerllm/protocol';
import type { Anchor } from './anchor.ts';

export const SIDECAR_SUFFIX = '.annotations.json';
export const SIDECAR_FORMAT = 'cancerllm-annotations';
export const SIDECAR_VERSION = 1;

export type CurationAction = 'accept' | 'reject' | 'add';

export interface CuratedMention {
  type: PhenotypeType;
  value: MentionValue;
  assertion: Assertion;
}

export interface CurationDecision {
  id: string;
  action: CurationAction;
  anchor: Anchor;
  /** The type the analyzer gave the mention decided on (accept, reject); absent for mentions added by hand. */
  foundType?: PhenotypeType;
  /** The mention as the curator wants it (accept, add). */
  mention?: CuratedMention;
  decidedAt: string;
  /** Set when the annotated text could no longer be found in the note; kept so nothing is lost. */
  orphaned?: boolean;
}

export interface Sidecar {
  format: typeof SIDECAR_FORMAT;
  version: typeof SIDECAR_VERSION;
  /** The note's file name, for people who find the sidecar alone. */
  note: string;
  decisions: CurationDecision[];
}

export function sidecarPathFor(notePath: string): string {
  return `${notePath}${SIDECAR_SUFFIX}`;
}

export function emptySidecar(note: string): Sidecar {
  return { format: SIDECAR_FORMAT, version: SIDECAR_VERSION, note, decisions: [] };
}

export function serializeSidecar(sidecar: Sidecar): string {
  return `${JSON.stringify(sidecar, null, 2)}\n`;
}

/** The sidecar, or a message saying what is wrong (naming the decision), for a file's content. */
export function parseSidecar(content: string): Sidecar | string {
  let data: unknown;
  try {
    data = JSON.parse(content);
  } catch (error) {
    return `not valid JSON (${error instanceof Error ? error.message : String(error)})`;
  }
  if (!isRecord(data)) return 'not a JSON object';
  if (data.format !== SIDECAR_FORMAT) return `"format" must be "${SIDECAR_FORMAT}"`;
  if (data.version !== SIDECAR_VERSION) return `unsupported version ${JSON.stringify(data.version)} (this build reads version ${SIDECAR_VERSION})`;
  if (!Array.isArray(data.decisions)) return '"decisions" must be an array';
  const decisions: CurationDecision[] = [];
  for (const [index, raw] of data.decisions.entries()) {
    const decision = parseDecision(raw);
    if (typeof decision === 'string') return `decision ${index}: ${decision}`;
    decisions.push(decision);
  }
  return { format: SIDECAR_FORMAT, version: SIDECAR_VERSION, note: typeof data.note === 'string' ? data.note : '', decisions };
}

function parseDecision(raw: unknown): CurationDecision | string {
  if (!isRecord(raw)) return 'not an object';
  const { id, action, anchor, foundType, mention, decidedAt, orphaned } = raw;
  if (typeof id !== 'string' || id === '') return '"id" must be a non-empty string';
  if (action !== 'accept' && action !== 'reject' && action !== 'add') return `unknown action ${JSON.stringify(action)}`;
  const parsedAnchor = parseAnchor(anchor);
  if (typeof parsedAnchor === 'string') return parsedAnchor;
  if (foundType !== undefined && !isPhenotypeType(foundType)) return `unknown type ${JSON.stringify(foundType)}`;
  if (action !== 'add' && foundType === undefined) return `"foundType" is required for ${action}`;
  let parsedMention: CuratedMention | undefined;
  if (mention !== undefined) {
    if (!isRecord(mention) || !isPhenotypeType(mention.type) || !isAssertion(mention.assertion) || !isValue(mention.value)) {
      return '"mention" must have a known type, an assertion and an object value of strings and numbers';
    }
    parsedMention = { type: mention.type, assertion: mention.assertion, value: mention.value };
  }
  if (action !== 'reject' && !parsedMention) return `"mention" is required for ${action}`;
  return {
    id,
    action,
    anchor: parsedAnchor,
    ...(foundType !== undefined ? { foundType } : {}),
    ...(parsedMention ? { mention: parsedMention } : {}),
    decidedAt: typeof decidedAt === 'string' ? decidedAt : '',
    ...(orphaned === true ? { orphaned: true } : {}),
  };
}

function parseAnchor(raw: unknown): Anchor | string {
  if (!isRecord(raw)) return '"anchor" must be an object';
  const { start, end, text, before, after } = raw;
  if (!Number.isInteger(start) || !Number.isInteger(end) || (start as number) < 0 || (end as number) < (start as number)) {
    return '"anchor" needs integer start <= end';
  }
  if (typeof text !== 'string' || text === '') return '"anchor.text" must be a non-empty string';
  return { start: start as number, end: end as number, text, before: typeof before === 'string' ? before : '', after: typeof after === 'string' ? after : '' };
}

function isValue(value: unknown): value is MentionValue {
  return isRecord(value) && Object.values(value).every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
