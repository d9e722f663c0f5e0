// Reads Hugging Face checkpoints in the safetensors format (8-byte little-endian header length, a JSON header of
// {name: {dtype, shape, data_offsets}}, then raw little-endian tensors) from one or more shards, one tensor at a
// time, so converting a 7B model never loads every weight at once. Problems are returned as messages.
import { closeSync, fstatSync, openSync, readSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { bfloat16ToFloats, halfToFloats } from '../onnx/float16.ts';
import type { ModelShape } from '../model-shape.ts';
import { expectedTensors, type WeightSource } from './weights.ts';

const DTYPE_BYTES: Readonly<Record<string, number>> = { F32: 4, F16: 2, BF16: 2 };

interface Entry {
  fd: number;
  file: string;
  dtype: string;
  shape: number[];
  start: number;
  end: number;
}

export type CheckpointResult = { ok: true; checkpoint: SafetensorsCheckpoint } | { ok: false; message: string };

function readHeader(fd: number, file: string, entries: Map<string, Entry>): string | undefined {
  const size = fstatSync(fd).size;
  if (size < 8) return `${file} is too short to be a safetensors file`;
  const lenBuf = Buffer.alloc(8);
  readSync(fd, lenBuf, 0, 8, 0);
  const headerLength = Number(lenBuf.readBigUInt64LE(0));
  if (headerLength <= 0 || 8 + headerLength > size || headerLength > 100_000_000)
    return `${file} has an invalid safetensors header length (${headerLength})`;
  const header = Buffer.alloc(headerLength);
  readSync(fd, header, 0, headerLength, 8);
  let json: unknown;
  try {
    json = JSON.parse(header.toString('utf8'));
  } catch {
    return `${file} has a safetensors header that is not valid JSON`;
  }
  if (typeof json !== 'object' || json === null) return `${file} has a safetensors header that is not a JSON object`;
  const base = 8 + headerLength;
  for (const [name, raw] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') continue;
    const t = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const dtype = typeof t.dtype === 'string' ? t.dtype : '?';
    const bytes = DTYPE_BYTES[dtype];
    if (bytes === undefined) return `${file}: tensor ${name} has dtype ${dtype}; only F32, F16 and BF16 are supported`;
    const shape = Array.isArray(t.shape) ? t.shape.map(Number) : [];
    const offsets = Array.isArray(t.data_offsets) ? t.data_offsets.map(Number) : [];
    const [start = NaN, end = NaN] = offsets;
    if (!(end >= start) || end - start !== shape.reduce((a, b) => a * b, 1) * bytes)
      return `${file}: tensor ${name} has data_offsets that do not match its shape [${shape.join(', ')}]`;
    if (base + end > size)
      return `${file} is truncated: tensor ${name} ends at byte ${base + end} but the file has ${size}`;
    entries.set(name, { fd, file, dtype, shape, start: base + start, end: base + end });
  }
  return undefined;
}

export class SafetensorsCheckpoint implements WeightSource {
  private constructor(
    private readonly entries: Map<string, Entry>,
    private readonly fds: number[],
  ) {}

  /** Opens every *.safetensors file in `dir`. */
  static open(dir: string): CheckpointResult {
    let files: string[];
    try {
      files = readdirSync(dir)
        .filter((f) => f.endsWith('.safetensors'))
        .sort();
    } catch {
      return { ok: false, message: `checkpoint folder ${dir} does not exist or cannot be read` };
    }
    if (files.length === 0) return { ok: false, message: `no *.safetensors files in ${dir}` };
    const entries = new Map<string, Entry>();
    const fds: number[] = [];
    for (const f of files) {
      const fd = openSync(join(dir, f), 'r');
      fds.push(fd);
      const problem = readHeader(fd, f, entries);
      if (problem) {
        fds.forEach((x) => closeSync(x));
        return { ok: false, message: problem };
      }
    }
    return { ok: true, checkpoint: new SafetensorsCheckpoint(entries, fds) };
  }

  /** Names the first tensor the shape needs that is absent or has another shape. */
  check(shape: ModelShape): string | undefined {
    for (const [name, dims] of expectedTensors(shape)) {
      const e = this.entries.get(name);
      if (!e) {
        if (name === 'lm_head.weight' && this.entries.has('model.embed_tokens.weight')) continue; // tied in practice
        return `tensor ${name} missing from the checkpoint`;
      }
      if (e.shape.join() !== dims.join())
        return `tensor ${name} is [${e.shape.join(', ')}] in ${e.file} but config.json implies [${dims.join(', ')}]`;
    }
    return undefined;
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  dtypes(): Set<string> {
    return new Set([...this.entries.values()].map((e) => e.dtype));
  }

  get(name: string): Float32Array {
    const e = this.entries.get(name);
    if (!e) throw new Error(`tensor ${name} missing from the checkpoint`);
    const buf = Buffer.alloc(e.end - e.start);
    let read = 0;
    while (read < buf.byteLength) read += readSync(e.fd, buf, read, buf.byteLength - read, e.start + read);
    const aligned = new Uint8Array(buf).buffer; // a fresh, aligned copy
    if (e.dtype === 'F32') return new Float32Array(aligned);
    if (e.dtype === 'F16') return halfToFloats(new Uint16Array(aligned));
    return bfloat16ToFloats(new Uint16Array(aligned));
  }

  close(): void {
    for (const fd of this.fds.splice(0)) closeSync(fd);
  }
}
