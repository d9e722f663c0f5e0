// ONNX ModelProto messages as plain data: encoding for the builder, decoding for the model-folder check.
// Field numbers follow onnx/onnx.proto (IR version 8).
import { ProtoWriter, decodeString, readInts, readMessage, type WireValue } from './protobuf.ts';

export const DataType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, BOOL: 9, FLOAT16: 10 } as const;
export type DataTypeCode = (typeof DataType)[keyof typeof DataType];

export const DATA_TYPE_BYTES: Readonly<Record<number, number>> = { 1: 4, 2: 1, 3: 1, 6: 4, 7: 8, 9: 1, 10: 2, 16: 2 };

export type Attribute =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 'string'; value: string }
  | { kind: 'graph'; value: GraphProto }
  /** An attribute kind the runtime never inspects (tensor, floats, strings…), kept as its original bytes. */
  | { kind: 'raw'; bytes: Uint8Array };

export interface NodeProto {
  opType: string;
  domain: string;
  name: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes: Readonly<Record<string, Attribute>>;
}

/** A dimension is a fixed size or a symbolic name such as "batch_size". */
export type Dim = number | string;

export interface ValueInfo {
  name: string;
  elemType: number;
  shape: readonly Dim[];
}

export interface ExternalLocation {
  location: string;
  offset: number;
  length: number;
}

export interface TensorProto {
  name: string;
  dataType: number;
  dims: readonly number[];
  /** Inline bytes, or where they live in an external data file. */
  data: Uint8Array | ExternalLocation;
  /** The original message, for tensors stored in typed fields (int64_data…) that are written back verbatim. */
  encoded?: Uint8Array;
}

export interface GraphProto {
  name: string;
  nodes: readonly NodeProto[];
  initializers: readonly TensorProto[];
  inputs: readonly ValueInfo[];
  outputs: readonly ValueInfo[];
}

export interface ModelProto {
  irVersion: number;
  producerName: string;
  opsets: Readonly<Record<string, number>>;
  graph: GraphProto;
}

// ---------- encoding ----------

function encodeAttribute(name: string, a: Attribute): ProtoWriter | Uint8Array {
  if (a.kind === 'raw') return a.bytes;
  const w = new ProtoWriter().string(1, name);
  switch (a.kind) {
    case 'float':
      return w.float(2, a.value).int(20, 1);
    case 'int':
      return w.int(3, a.value).int(20, 2);
    case 'string':
      return w.string(4, a.value).int(20, 3);
    case 'graph':
      return w.message(6, encodeGraph(a.value)).int(20, 5);
    case 'ints':
      return w.packedInts(8, a.value).int(20, 7);
  }
}

function encodeNode(n: NodeProto): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name).string(4, n.opType);
  for (const [name, a] of Object.entries(n.attributes)) {
    const encoded = encodeAttribute(name, a);
    if (encoded instanceof Uint8Array) w.bytes(5, encoded);
    else w.message(5, encoded);
  }
  if (n.domain) w.string(7, n.domain);
  return w;
}

function encodeValueInfo(v: ValueInfo): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of v.shape)
    shape.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d));
  const tensorType = new ProtoWriter().int(1, v.elemType).message(2, shape);
  return new ProtoWriter().string(1, v.name).message(2, new ProtoWriter().message(1, tensorType));
}

function encodeTensor(t: TensorProto): ProtoWriter | Uint8Array {
  if (t.encoded) return t.encoded;
  const w = new ProtoWriter().packedInts(1, t.dims).int(2, t.dataType).string(8, t.name);
  if (t.data instanceof Uint8Array) return w.bytes(9, t.data);
  const entry = (k: string, v: string): ProtoWriter => new ProtoWriter().string(1, k).string(2, v);
  w.message(13, entry('location', t.data.location));
  w.message(13, entry('offset', String(t.data.offset)));
  w.message(13, entry('length', String(t.data.length)));
  return w.int(14, 1);
}

function encodeGraph(g: GraphProto): ProtoWriter {
  const w = new ProtoWriter();
  for (const n of g.nodes) w.message(1, encodeNode(n));
  w.string(2, g.name);
  for (const t of g.initializers) {
    const encoded = encodeTensor(t);
    if (encoded instanceof Uint8Array) w.bytes(5, encoded);
    else w.message(5, encoded);
  }
  for (const v of g.inputs) w.message(11, encodeValueInfo(v));
  for (const v of g.outputs) w.message(12, encodeValueInfo(v));
  return w;
}

export function encodeModel(m: ModelProto): Uint8Array {
  const w = new ProtoWriter().int(1, m.irVersion).string(2, m.producerName);
  w.message(7, encodeGraph(m.graph));
  for (const [domain, version] of Object.entries(m.opsets))
    w.message(8, new ProtoWriter().string(1, domain).int(2, version));
  return w.finish();
}

// ---------- decoding ----------

const str = (vs: readonly WireValue[] | undefined): string => {
  const v = vs?.[vs.length - 1];
  return v && v.wire === 2 ? decodeString(v.value) : '';
};
const strs = (vs: readonly WireValue[] | undefined): string[] =>
  (vs ?? []).flatMap((v) => (v.wire === 2 ? [decodeString(v.value)] : []));
const num = (vs: readonly WireValue[] | undefined): number => {
  const v = vs?.[vs.length - 1];
  return v && v.wire === 0 ? Number(BigInt.asIntN(64, v.value)) : 0;
};
const rawMsgs = (vs: readonly WireValue[] | undefined): Uint8Array[] =>
  (vs ?? []).flatMap((v) => (v.wire === 2 ? [v.value] : []));
const msgs = (vs: readonly WireValue[] | undefined): Map<number, WireValue[]>[] =>
  (vs ?? []).flatMap((v) => (v.wire === 2 ? [readMessage(v.value)] : []));

function decodeAttribute(bytes: Uint8Array): [string, Attribute] | undefined {
  const f = readMessage(bytes);
  const name = str(f.get(1));
  switch (num(f.get(20))) {
    case 1: {
      const v = f.get(2)?.[0];
      return [
        name,
        {
          kind: 'float',
          value: v && v.wire === 5 ? new DataView(v.value.buffer, v.value.byteOffset, 4).getFloat32(0, true) : 0,
        },
      ];
    }
    case 2:
      return [name, { kind: 'int', value: num(f.get(3)) }];
    case 3:
      return [name, { kind: 'string', value: str(f.get(4)) }];
    case 5: {
      const g = msgs(f.get(6))[0];
      return g ? [name, { kind: 'graph', value: decodeGraph(g) }] : undefined;
    }
    case 7:
      return [name, { kind: 'ints', value: readInts(f.get(8)).map(Number) }];
    default:
      return [name, { kind: 'raw', bytes }];
  }
}

function decodeValueInfo(f: Map<number, WireValue[]>): ValueInfo {
  const tensorType = msgs(msgs(f.get(2))[0]?.get(1))[0];
  const shape = msgs(msgs(tensorType?.get(2))[0]?.get(1)).map(
    (d): Dim => (d.has(1) ? num(d.get(1)) : str(d.get(2)) || '?'),
  );
  return { name: str(f.get(1)), elemType: num(tensorType?.get(1)), shape };
}

function decodeTensor(bytes: Uint8Array): TensorProto {
  const f = readMessage(bytes);
  const base = { name: str(f.get(8)), dataType: num(f.get(2)), dims: readInts(f.get(1)).map(Number) };
  if (num(f.get(14)) !== 1) {
    const raw = f.get(9)?.[0];
    if (raw && raw.wire === 2) return { ...base, data: raw.value };
    return { ...base, data: new Uint8Array(0), encoded: bytes };
  }
  const entries = new Map(msgs(f.get(13)).map((e) => [str(e.get(1)), str(e.get(2))]));
  return {
    ...base,
    data: {
      location: entries.get('location') ?? '',
      offset: Number(entries.get('offset') ?? 0),
      length: Number(entries.get('length') ?? -1),
    },
  };
}

function decodeGraph(f: Map<number, WireValue[]>): GraphProto {
  return {
    name: str(f.get(2)),
    nodes: msgs(f.get(1)).map((n) => ({
      inputs: strs(n.get(1)),
      outputs: strs(n.get(2)),
      name: str(n.get(3)),
      opType: str(n.get(4)),
      domain: str(n.get(7)),
      attributes: Object.fromEntries(
        rawMsgs(n.get(5))
          .map(decodeAttribute)
          .filter((a) => a !== undefined),
      ),
    })),
    initializers: rawMsgs(f.get(5)).map(decodeTensor),
    inputs: msgs(f.get(11)).map(decodeValueInfo),
    outputs: msgs(f.get(12)).map(decodeValueInfo),
  };
}

/** Throws RangeError on bytes that are not a protobuf message; callers turn that into a problem value. */
export function decodeModel(bytes: Uint8Array): ModelProto {
  const f = readMessage(bytes);
  const graph = msgs(f.get(7))[0];
  if (!graph) throw new RangeError('no graph in the ONNX model');
  return {
    irVersion: num(f.get(1)),
    producerName: str(f.get(2)),
    opsets: Object.fromEntries(msgs(f.get(8)).map((o) => [str(o.get(1)), num(o.get(2))])),
    graph: decodeGraph(graph),
  };
}
