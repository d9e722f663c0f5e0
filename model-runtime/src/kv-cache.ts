// The key/value cache of one sequence: the only owner of the past tensors. Each run's present.* outputs become
// the next run's past.* inputs; dispose() drops them all.
import ort from 'onnxruntime-node';
import type { ModelFolder } from './model-folder.ts';

type KvLayout = Pick<ModelFolder, 'io' | 'numLayers' | 'numKvHeads' | 'headDim' | 'kvType'>;
/** A KV tensor's elements: float16 as raw 16-bit words (onnxruntime-node's representation), or float32. */
type KvData = Uint16Array | Float32Array;

function kvData(kvType: ModelFolder['kvType'], length: number): KvData {
  return kvType === 'float16' ? new Uint16Array(length) : new Float32Array(length);
}

export class KvCache {
  private keys: ort.Tensor[] = [];
  private values: ort.Tensor[] = [];
  private disposed = false;
  /** Positions held (prompt plus generated tokens already run through the model). */
  length = 0;

  constructor(
    private readonly layout: KvLayout,
    /** Sequences held side by side (batched generation); 1 for a single sequence. */
    readonly batch = 1,
  ) {
    this.reset();
  }

  private empty(): ort.Tensor {
    const { kvType, numKvHeads, headDim } = this.layout;
    return new ort.Tensor(kvType, kvData(kvType, 0), [this.batch, numKvHeads, 0, headDim]);
  }

  reset(): void {
    this.release();
    this.keys = Array.from({ length: this.layout.numLayers }, () => this.empty());
    this.values = Array.from({ length: this.layout.numLayers }, () => this.empty());
    this.length = 0;
  }

  /** The past inputs of the next run. */
  feeds(): Record<string, ort.Tensor> {
    if (this.disposed) throw new Error('KvCache used after dispose()');
    const feeds: Record<string, ort.Tensor> = {};
    this.layout.io.pastKeys.forEach((name, l) => (feeds[name] = this.keys[l] as ort.Tensor));
    this.layout.io.pastValues.forEach((name, l) => (feeds[name] = this.values[l] as ort.Tensor));
    return feeds;
  }

  /** Takes the present outputs of a run over `added` new positions. */
  update(outputs: Record<string, ort.Tensor>, added: number): void {
    const take = (name: string): ort.Tensor => {
      const t = outputs[name];
      if (!t) throw new Error(`the model returned no "${name}"`);
      return t;
    };
    this.hold(this.layout.io.presentKeys.map(take), this.layout.io.presentValues.map(take), this.length + added);
  }

  /** Takes `keys` and `values` (one tensor per layer) as the cache, `length` positions, dropping what it held. */
  private hold(keys: ort.Tensor[], values: ort.Tensor[], length: number): void {
    this.release();
    this.keys = keys;
    this.values = values;
    this.length = length;
  }

  /**
   * A cache of `rows` sequences, each a copy of this cache's one sequence: a prompt prefix run once and shared by
   * the rows of a batch. This cache stays as it is.
   */
  repeated(rows: number): KvCache {
    if (this.disposed) throw new Error('KvCache used after dispose()');
    if (this.batch !== 1) throw new Error(`only a cache of one sequence can be repeated (this one holds ${this.batch})`);
    const tile = (t: ort.Tensor): ort.Tensor => {
      const data = t.data as KvData;
      const out = kvData(this.layout.kvType, data.length * rows);
      for (let r = 0; r < rows; r++) out.set(data, r * data.length);
      return new ort.Tensor(t.type, out, [rows, ...t.dims.slice(1)]);
    };
    const copy = new KvCache(this.layout, rows);
    copy.hold(this.keys.map(tile), this.values.map(tile), this.length);
    return copy;
  }

  /**
   * One cache of rows taken from several: row r is row `picks[r].row` of `picks[r].cache`. Rows of unequal length
   * start at position 0 and are zero-padded at the end to the longest, as right-padded prompts leave them, so the
   * caller's attention mask must mark each row's real positions. The sources stay as they are.
   */
  static gathered(picks: readonly { cache: KvCache; row: number }[]): KvCache {
    const first = picks[0]?.cache;
    if (!first) throw new Error('a gathered cache needs at least one row');
    const longest = Math.max(...picks.map((p) => p.cache.length));
    const gather = (tensorsOf: (c: KvCache) => ort.Tensor[], layer: number): ort.Tensor => {
      const { numKvHeads: H, headDim: D, kvType } = first.layout;
      const out = kvData(kvType, picks.length * H * longest * D);
      picks.forEach(({ cache, row }, r) => {
        const source = tensorsOf(cache)[layer];
        if (!source) throw new Error('gathered caches must come from one model');
        const data = source.data as KvData;
        const stride = source.dims[2] ?? 0;
        for (let h = 0; h < H; h++) {
          const from = (row * H + h) * stride * D;
          out.set(data.subarray(from, from + cache.length * D), (r * H + h) * longest * D);
        }
      });
      return new ort.Tensor(kvType, out, [picks.length, H, longest, D]);
    };
    const copy = new KvCache(first.layout, picks.length);
    copy.hold(
      first.keys.map((_, l) => gather((c) => c.keys, l)),
      first.values.map((_, l) => gather((c) => c.values, l)),
      longest,
    );
    return copy;
  }

  /** Bytes held now: grows by numLayers × 2 × kvHeads × headDim × element size per position. */
  get bytes(): number {
    return [...this.keys, ...this.values].reduce((n, t) => n + (t.data as ArrayBufferView).byteLength, 0);
  }

  private release(): void {
    for (const t of [...this.keys, ...this.values]) t.dispose();
    this.keys = [];
    this.values = [];
  }

  dispose(): void {
    this.release();
    this.disposed = true;
  }
}
