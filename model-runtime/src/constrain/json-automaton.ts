// A character-level pushdown automaton for JSON texts of one compiled shape: which characters may come next, and
// how many characters the shortest completion needs (forced closing). States are immutable, so one state can be
// advanced along many candidate tokens. Characters are UTF-16 code units.
import {
  closeCost,
  entryChars,
  type ArrayShape,
  type ObjectShape,
  type Shape,
  type StringShape,
} from './json-schema.ts';

type ObjectPhase = 'open' | 'key' | 'colon' | 'value' | 'after' | 'comma';

/** The innermost frame is last. A frame whose child value is in progress ('item', 'key', 'value') is never last. */
export type Frame =
  | { k: 'value'; shape: Shape }
  /** Inside a string: `n` characters so far; `esc` 0 = none, 1 = after a backslash, 2..5 = \u and esc - 2 digits. */
  | { k: 'string'; shape: StringShape; n: number; esc: number }
  /** Inside an enum value or an object key: the options still matching what was typed. */
  | { k: 'literal'; options: readonly string[]; typed: string; of: ObjectShape | undefined }
  | { k: 'array'; shape: ArrayShape; count: number; phase: 'open' | 'item' | 'after' }
  | { k: 'object'; shape: ObjectShape; seen: number; key: number; phase: ObjectPhase };

export interface JsonState {
  /** Empty: the JSON text is complete and nothing may follow. */
  readonly frames: readonly Frame[];
  /** Whitespace characters since the last other character (bounded by maxWhitespace). */
  readonly ws: number;
}

export function initialState(shape: Shape): JsonState {
  return { frames: [{ k: 'value', shape }], ws: 0 };
}

export function isComplete(state: JsonState): boolean {
  return state.frames.length === 0;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** `\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t` (`\u` is handled apart). */
function isSimpleEscape(c: number): boolean {
  return (
    c === QUOTE || c === BACKSLASH || c === 0x2f || c === 0x62 || c === 0x66 || c === 0x6e || c === 0x72 || c === 0x74
  );
}

const withTop = (frames: readonly Frame[], top: Frame): Frame[] => [...frames.slice(0, -1), top];
const state = (frames: readonly Frame[]): JsonState => ({ frames, ws: 0 });

/** The frames once the value on top (removed in `below`) is complete: its parent moves on. */
function valueDone(below: readonly Frame[]): JsonState {
  const parent = below[below.length - 1];
  if (parent?.k === 'array') return state(withTop(below, { ...parent, count: parent.count + 1, phase: 'after' }));
  if (parent?.k === 'object')
    return state(withTop(below, { ...parent, seen: parent.seen | (1 << parent.key), key: -1, phase: 'after' }));
  return state(below);
}

function startValue(below: readonly Frame[], shape: Shape, c: number): JsonState | undefined {
  switch (shape.kind) {
    case 'string':
      return c === QUOTE ? state([...below, { k: 'string', shape, n: 0, esc: 0 }]) : undefined;
    case 'enum':
      return c === QUOTE
        ? state([...below, { k: 'literal', options: shape.values, typed: '', of: undefined }])
        : undefined;
    case 'array':
      return c === 0x5b ? state([...below, { k: 'array', shape, count: 0, phase: 'open' }]) : undefined;
    case 'object':
      return c === 0x7b ? state([...below, { k: 'object', shape, seen: 0, key: -1, phase: 'open' }]) : undefined;
  }
}

function unseenKeys(f: Extract<Frame, { k: 'object' }>): string[] {
  return f.shape.keys.filter((_, i) => !(f.seen & (1 << i)));
}

function stringChar(frames: readonly Frame[], f: Extract<Frame, { k: 'string' }>, c: number): JsonState | undefined {
  if (f.esc === 1) {
    if (isSimpleEscape(c)) return state(withTop(frames, { ...f, n: f.n + 1, esc: 0 }));
    return c === 0x75 ? state(withTop(frames, { ...f, esc: 2 })) : undefined;
  }
  if (f.esc >= 2) {
    if (!isHex(c)) return undefined;
    return state(withTop(frames, f.esc === 5 ? { ...f, n: f.n + 1, esc: 0 } : { ...f, esc: f.esc + 1 }));
  }
  if (c === QUOTE) return f.n >= f.shape.minLength ? valueDone(frames.slice(0, -1)) : undefined;
  if (c < 0x20 || f.n >= f.shape.maxLength) return undefined;
  return state(withTop(frames, c === BACKSLASH ? { ...f, esc: 1 } : { ...f, n: f.n + 1 }));
}

function literalChar(frames: readonly Frame[], f: Extract<Frame, { k: 'literal' }>, c: number): JsonState | undefined {
  if (c === QUOTE) {
    if (!f.options.includes(f.typed)) return undefined;
    const below = frames.slice(0, -1);
    const parent = below[below.length - 1];
    if (f.of && parent?.k === 'object')
      return state(withTop(below, { ...parent, key: f.of.keys.indexOf(f.typed), phase: 'colon' }));
    return valueDone(below);
  }
  // the cheap test first: most characters tried here (one per trie edge) match no option
  const at = f.typed.length;
  if (!f.options.some((o) => o.charCodeAt(at) === c)) return undefined;
  const options = f.options.filter((o) => o.charCodeAt(at) === c);
  return state(withTop(frames, { ...f, options, typed: f.typed + String.fromCharCode(c) }));
}

function arrayChar(frames: readonly Frame[], f: Extract<Frame, { k: 'array' }>, c: number): JsonState | undefined {
  if (c === 0x5d) return f.phase === 'item' ? undefined : valueDone(frames.slice(0, -1));
  if (f.phase === 'open')
    return f.shape.maxItems > 0 ? startValue(withTop(frames, { ...f, phase: 'item' }), f.shape.items, c) : undefined;
  if (f.phase === 'after' && c === 0x2c && f.count < f.shape.maxItems)
    return state([...withTop(frames, { ...f, phase: 'item' }), { k: 'value', shape: f.shape.items }]);
  return undefined;
}

function objectChar(frames: readonly Frame[], f: Extract<Frame, { k: 'object' }>, c: number): JsonState | undefined {
  const keyStart = (): JsonState | undefined => {
    const options = unseenKeys(f);
    if (options.length === 0) return undefined;
    return state([...withTop(frames, { ...f, phase: 'key' }), { k: 'literal', options, typed: '', of: f.shape }]);
  };
  const closes = (f.shape.requiredMask & ~f.seen) === 0;
  switch (f.phase) {
    case 'open':
      if (c === 0x7d) return closes ? valueDone(frames.slice(0, -1)) : undefined;
      return c === QUOTE ? keyStart() : undefined;
    case 'comma':
      return c === QUOTE ? keyStart() : undefined;
    case 'colon':
      if (c !== 0x3a) return undefined;
      return state([
        ...withTop(frames, { ...f, phase: 'value' }),
        { k: 'value', shape: f.shape.values[f.key] ?? f.shape },
      ]);
    case 'after':
      if (c === 0x7d) return closes ? valueDone(frames.slice(0, -1)) : undefined;
      if (c === 0x2c && unseenKeys(f).length > 0) return state(withTop(frames, { ...f, phase: 'comma' }));
      return undefined;
    default:
      return undefined;
  }
}

/** The state after one more character, or undefined when no JSON text of the shape continues this way. */
export function advance(s: JsonState, c: number, maxWhitespace: number): JsonState | undefined {
  const frames = s.frames;
  const top = frames[frames.length - 1];
  if (!top) return undefined;
  if (top.k === 'string') return stringChar(frames, top, c);
  if (top.k === 'literal') return literalChar(frames, top, c);
  // between JSON tokens: whitespace is allowed (the frames on top never wait for a child here)
  if (isWhitespace(c)) return s.ws < maxWhitespace ? { frames, ws: s.ws + 1 } : undefined;
  if (top.k === 'value') return startValue(frames.slice(0, -1), top.shape, c);
  if (top.k === 'array') return arrayChar(frames, top, c);
  return objectChar(frames, top, c);
}

/** The state after `text`, or undefined when some character is not allowed. */
export function advanceText(s: JsonState, text: string, maxWhitespace: number): JsonState | undefined {
  let cur: JsonState | undefined = s;
  for (let i = 0; i < text.length && cur; i++) cur = advance(cur, text.charCodeAt(i), maxWhitespace);
  return cur;
}

/** Characters of the shortest completion of the JSON text (0 when complete). Exact for this grammar. */
export function charsToClose(s: JsonState): number {
  const frames = s.frames;
  let cost = 0;
  for (let i = frames.length - 1; i >= 0; i--) {
    const f = frames[i]!;
    switch (f.k) {
      case 'value':
        cost += f.shape.minChars;
        break;
      case 'string': {
        const escape = f.esc === 1 ? 1 : f.esc >= 2 ? 6 - f.esc : 0;
        cost += escape + Math.max(0, f.shape.minLength - f.n - (f.esc ? 1 : 0)) + 1;
        break;
      }
      case 'literal':
        cost += literalCost(f, frames[i - 1]);
        break;
      case 'array':
        cost += 1;
        break;
      case 'object':
        cost += objectCost(f);
        break;
    }
  }
  return cost;
}

function literalCost(f: Extract<Frame, { k: 'literal' }>, parent: Frame | undefined): number {
  let best = Infinity;
  for (const o of f.options) {
    let cost = o.length - f.typed.length + 1;
    if (f.of && parent?.k === 'object') {
      // the key, its colon and shortest value, then the shortest way to close the object
      const i = f.of.keys.indexOf(o);
      cost += 1 + (f.of.values[i]?.minChars ?? 0) + closeCost(f.of, parent.seen | (1 << i), false);
    }
    best = Math.min(best, cost);
  }
  return best;
}

function objectCost(f: Extract<Frame, { k: 'object' }>): number {
  const shape = f.shape;
  switch (f.phase) {
    case 'open':
      return closeCost(shape, f.seen, true);
    case 'key':
      return 0; // the key literal on top counts the rest of the object
    case 'colon':
      return 1 + (shape.values[f.key]?.minChars ?? 0) + closeCost(shape, f.seen | (1 << f.key), false);
    case 'value':
      return closeCost(shape, f.seen | (1 << f.key), false);
    case 'after':
      return closeCost(shape, f.seen, false);
    case 'comma': {
      if ((shape.requiredMask & ~f.seen) !== 0) return closeCost(shape, f.seen, true);
      let best = Infinity;
      for (let i = 0; i < shape.keys.length; i++) if (!(f.seen & (1 << i))) best = Math.min(best, entryChars(shape, i));
      return best + 1;
    }
  }
}
