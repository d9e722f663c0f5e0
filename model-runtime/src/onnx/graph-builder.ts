// Builds an ONNX graph node by node; initializer bytes go to a TensorStore (kept inline, or streamed to an
// external data file) so that converting a 7B checkpoint never holds every weight in memory at once.
import { closeSync, openSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import {
  DataType,
  type Attribute,
  type Dim,
  type GraphProto,
  type NodeProto,
  type TensorProto,
  type ValueInfo,
} from './onnx-proto.ts';

export interface TensorStore {
  put(name: string, dataType: number, dims: readonly number[], bytes: Uint8Array): TensorProto;
}

export class InlineTensorStore implements TensorStore {
  put(name: string, dataType: number, dims: readonly number[], bytes: Uint8Array): TensorProto {
    return { name, dataType, dims, data: bytes };
  }
}

/**
 * Appends tensors of at least `minBytes` to one data file (64-byte aligned, as onnxruntime-genai writes them)
 * and keeps small ones inline. `close()` must run in a finally.
 */
export class ExternalTensorStore implements TensorStore {
  private fd: number;
  private offset = 0;
  private readonly location: string;

  constructor(
    path: string,
    private readonly minBytes = 1024,
  ) {
    this.fd = openSync(path, 'w');
    this.location = basename(path);
  }

  put(name: string, dataType: number, dims: readonly number[], bytes: Uint8Array): TensorProto {
    if (bytes.byteLength < this.minBytes) return { name, dataType, dims, data: bytes };
    const pad = (64 - (this.offset % 64)) % 64;
    if (pad) writeSync(this.fd, new Uint8Array(pad));
    this.offset += pad;
    let written = 0;
    while (written < bytes.byteLength) written += writeSync(this.fd, bytes, written, bytes.byteLength - written);
    const data = { location: this.location, offset: this.offset, length: bytes.byteLength };
    this.offset += bytes.byteLength;
    return { name, dataType, dims, data };
  }

  get bytesWritten(): number {
    return this.offset;
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

export const attr = {
  i: (value: number): Attribute => ({ kind: 'int', value }),
  f: (value: number): Attribute => ({ kind: 'float', value }),
  ints: (value: readonly number[]): Attribute => ({ kind: 'ints', value }),
  s: (value: string): Attribute => ({ kind: 'string', value }),
  g: (value: GraphProto): Attribute => ({ kind: 'graph', value }),
};

export function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  readonly inputs: ValueInfo[] = [];
  readonly outputs: ValueInfo[] = [];
  private counter = 0;
  private readonly constants = new Map<string, string>();

  constructor(
    private readonly store: TensorStore = new InlineTensorStore(),
    private readonly prefix = '',
  ) {}

  fresh(hint: string): string {
    return `${this.prefix}${hint}_${this.counter++}`;
  }

  /** Adds a node with one output and returns its name. */
  op(opType: string, inputs: readonly string[], attributes: Record<string, Attribute> = {}, domain = ''): string {
    const out = this.fresh(opType);
    this.opTo(opType, inputs, [out], attributes, domain);
    return out;
  }

  /** Adds a node whose outputs have the given names (graph outputs, multi-output ops). */
  opTo(
    opType: string,
    inputs: readonly string[],
    outputs: readonly string[],
    attributes: Record<string, Attribute> = {},
    domain = '',
  ): void {
    this.nodes.push({ opType, domain, name: this.fresh(`node_${opType}`), inputs, outputs, attributes });
  }

  weight(name: string, dataType: number, dims: readonly number[], bytes: Uint8Array): string {
    this.initializers.push(this.store.put(name, dataType, dims, bytes));
    return name;
  }

  private constant(key: string, make: () => string): string {
    const known = this.constants.get(key);
    if (known) return known;
    const name = make();
    this.constants.set(key, name);
    return name;
  }

  i64(values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.constant(`i64${JSON.stringify(dims)}${values.join(',')}`, () =>
      this.weight(this.fresh('const_i64'), DataType.INT64, dims, bytesOf(BigInt64Array.from(values, BigInt))),
    );
  }

  f32(values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.constant(`f32${JSON.stringify(dims)}${values.join(',')}`, () =>
      this.weight(this.fresh('const_f32'), DataType.FLOAT, dims, bytesOf(Float32Array.from(values))),
    );
  }

  input(name: string, elemType: number, shape: readonly Dim[]): string {
    this.inputs.push({ name, elemType, shape });
    return name;
  }

  output(name: string, elemType: number, shape: readonly Dim[]): string {
    this.outputs.push({ name, elemType, shape });
    return name;
  }

  toGraph(name = 'main'): GraphProto {
    return { name, nodes: this.nodes, initializers: this.initializers, inputs: this.inputs, outputs: this.outputs };
  }
}
