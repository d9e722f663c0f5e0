// The JSON Schema subset that constrained decoding understands, and its compiled form (with the length of the
// shortest JSON text of each shape, which forced closing needs). Plain data, so it crosses to the worker as is.

/**
 * A JSON Schema subset: strings (optionally an enum of strings), arrays and objects with known properties
 * (`additionalProperties` is always false). Keys and enum values must not need escaping in JSON.
 */
export type JsonSchema =
  | { type: 'string'; enum?: readonly string[]; minLength?: number; maxLength?: number }
  | { type: 'array'; items: JsonSchema; maxItems?: number }
  | {
      type: 'object';
      properties: Readonly<Record<string, JsonSchema>>;
      required?: readonly string[];
      additionalProperties?: false;
    };

/** What a constrained request asks for; serializable (it travels in worker messages). */
export interface ConstraintSpec {
  kind: 'json';
  schema: JsonSchema;
  /** Longest run of whitespace between JSON tokens (default 8): no endless whitespace. */
  maxWhitespace?: number;
}

/** Strings without a maxLength end after this many characters (UTF-16 units; an escape counts as one). */
export const DEFAULT_MAX_STRING_LENGTH = 512;
export const DEFAULT_MAX_WHITESPACE = 8;
/** Objects track which keys they have seen in a bit set. */
const MAX_PROPERTIES = 30;

export type Shape = StringShape | EnumShape | ArrayShape | ObjectShape;

export interface StringShape {
  kind: 'string';
  minLength: number;
  maxLength: number;
  /** Characters of the shortest JSON text of this shape. */
  minChars: number;
}

export interface EnumShape {
  kind: 'enum';
  values: readonly string[];
  minChars: number;
}

export interface ArrayShape {
  kind: 'array';
  items: Shape;
  maxItems: number;
  minChars: number;
}

export interface ObjectShape {
  kind: 'object';
  keys: readonly string[];
  values: readonly Shape[];
  /** Bit i set: keys[i] is required. */
  requiredMask: number;
  minChars: number;
}

export type CompiledSchema = { ok: true; shape: Shape } | { ok: false; message: string };

/** A key or enum value that JSON writes without escapes, so the automaton can match it character by character. */
function plainLiteral(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c) return false;
  }
  return true;
}

function count(value: unknown, fallback: number): number | undefined {
  if (value === undefined) return fallback;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** Validates a schema (it may come from another thread) and compiles it; the message names the offending path. */
export function compileSchema(schema: unknown, path = '$'): CompiledSchema {
  if (typeof schema !== 'object' || schema === null) return { ok: false, message: `${path}: not a schema object` };
  const s = schema as Record<string, unknown>;
  switch (s.type) {
    case 'string': {
      if (s.enum !== undefined) {
        const values = s.enum;
        if (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === 'string'))
          return { ok: false, message: `${path}.enum: a non-empty array of strings is needed` };
        const bad = values.find((v) => !plainLiteral(v));
        if (bad !== undefined)
          return { ok: false, message: `${path}.enum: ${JSON.stringify(bad)} would need escaping in JSON` };
        const minChars = 2 + Math.min(...values.map((v) => v.length));
        return { ok: true, shape: { kind: 'enum', values: [...values], minChars } };
      }
      const minLength = count(s.minLength, 0);
      const maxLength = count(s.maxLength, DEFAULT_MAX_STRING_LENGTH);
      if (minLength === undefined || maxLength === undefined || minLength > maxLength)
        return { ok: false, message: `${path}: minLength and maxLength must be counts with minLength ≤ maxLength` };
      return { ok: true, shape: { kind: 'string', minLength, maxLength, minChars: 2 + minLength } };
    }
    case 'array': {
      const items = compileSchema(s.items, `${path}.items`);
      if (!items.ok) return items;
      const maxItems = count(s.maxItems, Number.MAX_SAFE_INTEGER);
      if (maxItems === undefined) return { ok: false, message: `${path}.maxItems: not a count` };
      return { ok: true, shape: { kind: 'array', items: items.shape, maxItems, minChars: 2 } };
    }
    case 'object':
      return compileObject(s, path);
    default:
      return { ok: false, message: `${path}: type must be "string", "array" or "object"` };
  }
}

function compileObject(s: Record<string, unknown>, path: string): CompiledSchema {
  if (s.additionalProperties !== undefined && s.additionalProperties !== false)
    return { ok: false, message: `${path}.additionalProperties: only false is supported` };
  if (typeof s.properties !== 'object' || s.properties === null)
    return { ok: false, message: `${path}.properties: an object is needed` };
  const entries = Object.entries(s.properties as Record<string, unknown>);
  if (entries.length > MAX_PROPERTIES)
    return { ok: false, message: `${path}.properties: at most ${MAX_PROPERTIES} are supported` };
  const keys: string[] = [];
  const values: Shape[] = [];
  for (const [key, value] of entries) {
    if (!plainLiteral(key)) return { ok: false, message: `${path}: key ${JSON.stringify(key)} would need escaping` };
    const compiled = compileSchema(value, `${path}.properties.${key}`);
    if (!compiled.ok) return compiled;
    keys.push(key);
    values.push(compiled.shape);
  }
  const required = s.required ?? [];
  if (!Array.isArray(required)) return { ok: false, message: `${path}.required: an array of keys is needed` };
  let requiredMask = 0;
  for (const key of required) {
    const i = keys.indexOf(key as string);
    if (i < 0) return { ok: false, message: `${path}.required: ${JSON.stringify(key)} is not a property` };
    requiredMask |= 1 << i;
  }
  const shape: ObjectShape = { kind: 'object', keys, values, requiredMask, minChars: 0 };
  shape.minChars = 1 + closeCost(shape, 0, true);
  return { ok: true, shape };
}

/** `"key":` plus the shortest value. */
export function entryChars(shape: ObjectShape, i: number): number {
  return (shape.keys[i]?.length ?? 0) + 3 + (shape.values[i]?.minChars ?? 0);
}

/**
 * Characters needed to close an object that has the keys in `seen`: each missing required entry (with a comma
 * before it unless it is the first of the object) and the closing brace.
 */
export function closeCost(shape: ObjectShape, seen: number, empty: boolean): number {
  let cost = 1;
  let first = empty;
  for (let i = 0; i < shape.keys.length; i++) {
    if (!(shape.requiredMask & (1 << i)) || seen & (1 << i)) continue;
    cost += entryChars(shape, i) + (first ? 0 : 1);
    first = false;
  }
  return cost;
}
