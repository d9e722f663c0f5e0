// Reads gold files (../shared/spec/phenotypes.md, "Gold files") into typed notes, or a message naming the bad file.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isAssertion, isPhenotypeType, type Mention, type MentionValue } from '@cancerllm/protocol';

export interface GoldNote {
  id: string;
  file: string;
  kind?: string;
  cancer?: string;
  text: string;
  mentions: Mention[];
  diagnosis?: string;
  treatmentPlan?: string;
}

export type GoldLoad = { ok: true; notes: GoldNote[] } | { ok: false; message: string };

export function loadGoldDirectory(dir: string): GoldLoad {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) return { ok: false, message: `${dir} is not a directory` };
    names = readdirSync(dir)
      .filter((name) => name.endsWith('.json'))
      .sort();
  } catch (error) {
    return { ok: false, message: `cannot read gold directory ${dir}: ${describe(error)}` };
  }
  if (names.length === 0) return { ok: false, message: `no gold files (*.json) in ${dir}` };
  const notes: GoldNote[] = [];
  for (const name of names) {
    const file = join(dir, name);
    const parsed = parseGoldFile(file);
    if (typeof parsed === 'string') return { ok: false, message: `malformed gold file ${file}: ${parsed}` };
    notes.push(parsed);
  }
  return { ok: true, notes };
}

/** The note, or a string saying what is wrong with the file. */
export function parseGoldFile(file: string): GoldNote | string {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return describe(error);
  }
  if (!isRecord(data)) return 'not a JSON object';
  const { text, mentions } = data;
  if (typeof text !== 'string') return '"text" is missing or not a string';
  if (!Array.isArray(mentions)) return '"mentions" is missing or not an array';
  const parsedMentions: Mention[] = [];
  for (const [index, raw] of mentions.entries()) {
    const mention = parseGoldMention(raw, text);
    if (typeof mention === 'string') return `mention ${index}: ${mention}`;
    parsedMentions.push(mention);
  }
  return {
    id: typeof data.id === 'string' ? data.id : file,
    file,
    ...(typeof data.kind === 'string' ? { kind: data.kind } : {}),
    ...(typeof data.cancer === 'string' ? { cancer: data.cancer } : {}),
    text,
    mentions: parsedMentions,
    ...(typeof data.diagnosis === 'string' ? { diagnosis: data.diagnosis } : {}),
    ...(typeof data.treatment_plan === 'string' ? { treatmentPlan: data.treatment_plan } : {}),
  };
}

function parseGoldMention(raw: unknown, text: string): Mention | string {
  if (!isRecord(raw)) return 'not an object';
  const { start, end, type, assertion, value } = raw;
  if (!Number.isInteger(start) || !Number.isInteger(end)) return 'start/end must be integers';
  const s = start as number;
  const e = end as number;
  if (s < 0 || e <= s || e > text.length) return `span ${s}-${e} is outside the text`;
  if (!isPhenotypeType(type)) return `unknown type ${JSON.stringify(type)}`;
  if (!isAssertion(assertion)) return `unknown assertion ${JSON.stringify(assertion)}`;
  if (value !== undefined && !isRecord(value)) return '"value" must be an object';
  return { start: s, end: e, text: text.slice(s, e), type, assertion, value: (value ?? {}) as MentionValue };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
