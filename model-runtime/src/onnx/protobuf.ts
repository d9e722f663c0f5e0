// Protocol Buffers wire format: a writer and a lazy reader, just enough for ONNX's ModelProto.
// No schema compiler and no dependency; field numbers live in onnx-proto.ts beside the messages that use them.

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

/** Builds one message; nested messages are written into their own writer and embedded as bytes. */
export class ProtoWriter {
  private chunks: Uint8Array[] = [];
  private scratch: number[] = [];

  private flushScratch(): void {
    if (this.scratch.length === 0) return;
    this.push(Uint8Array.from(this.scratch), false);
    this.scratch = [];
  }

  private push(bytes: Uint8Array, flush = true): void {
    if (flush) this.flushScratch();
    this.chunks.push(bytes);
  }

  private varint(value: bigint | number): void {
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.scratch.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.scratch.push(Number(v));
  }

  private tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  int(field: number, value: number | bigint): this {
    this.tag(field, 0);
    this.varint(value);
    return this;
  }

  float(field: number, value: number): this {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.scratch.push(...b);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, 2);
    this.varint(value.byteLength);
    this.push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, textEncoder.encode(value));
  }

  message(field: number, inner: ProtoWriter): this {
    return this.bytes(field, inner.finish());
  }

  /** Packed repeated varints (int64 dims, ints attributes). */
  packedInts(field: number, values: readonly (number | bigint)[]): this {
    const inner = new ProtoWriter();
    for (const v of values) inner.varint(v);
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    this.flushScratch();
    if (this.chunks.length === 1 && this.chunks[0]) return this.chunks[0];
    const out = new Uint8Array(this.chunks.reduce((n, c) => n + c.byteLength, 0));
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.byteLength;
    }
    this.chunks = [out];
    return out;
  }
}

export type WireValue =
  | { wire: 0; value: bigint }
  | { wire: 1; value: Uint8Array }
  | { wire: 2; value: Uint8Array }
  | { wire: 5; value: Uint8Array };

/** Reads one message into a field-number → values map; bytes are views into the input, never copies. */
export function readMessage(buf: Uint8Array): Map<number, WireValue[]> {
  const fields = new Map<number, WireValue[]>();
  let at = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (at >= buf.byteLength) throw new RangeError('protobuf: truncated varint');
      const byte = buf[at++] ?? 0;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  const take = (n: number): Uint8Array => {
    if (at + n > buf.byteLength) throw new RangeError('protobuf: truncated field');
    const view = buf.subarray(at, at + n);
    at += n;
    return view;
  };
  while (at < buf.byteLength) {
    const key = Number(varint());
    const field = key >>> 3;
    const wire = key & 7;
    let entry: WireValue;
    if (wire === 0) entry = { wire, value: varint() };
    else if (wire === 1) entry = { wire, value: take(8) };
    else if (wire === 2) entry = { wire, value: take(Number(varint())) };
    else if (wire === 5) entry = { wire, value: take(4) };
    else throw new RangeError(`protobuf: unsupported wire type ${wire}`);
    const list = fields.get(field);
    if (list) list.push(entry);
    else fields.set(field, [entry]);
  }
  return fields;
}

export function decodeString(bytes: Uint8Array): string {
  return textDecoder.decode(bytes);
}

/** Repeated int64 that may be packed (wire 2) or not (wire 0). */
export function readInts(values: readonly WireValue[] | undefined): bigint[] {
  const out: bigint[] = [];
  for (const v of values ?? []) {
    if (v.wire === 0) out.push(v.value);
    else if (v.wire === 2) {
      let at = 0;
      const b = v.value;
      while (at < b.byteLength) {
        let result = 0n;
        let shift = 0n;
        for (;;) {
          const byte = b[at++] ?? 0;
          result |= BigInt(byte & 0x7f) << shift;
          if ((byte & 0x80) === 0 || at >= b.byteLength) break;
          shift += 7n;
        }
        out.push(BigInt.asIntN(64, result));
      }
    }
  }
  return out;
}
