// The key/value cache of one sequence: the only owner of the past tensors. Each run's present.* outputs become
// the next run's past.* inputs; dispose() drops them all.
import ort from 'onnxruntime-node';
import type { ModelFolder } from './model-folder.ts';

type KvLayout = Pick<ModelFolder, 'io' | 'numLayers' | 'numKvHeads' | 'headDim' | 'kvType'>;

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
    const data = kvType === 'float16' ? new Uint16Array(0) : new Float32Array(0);
    return new ort.Tensor(kvType, data, [this.batch, numKvHeads, 0, headDim]);
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
    const keys = this.layout.io.presentKeys.map(take);
    const values = this.layout.io.presentValues.map(take);
    this.release();
    this.keys = keys;
    this.values = values;
    this.length += added;
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
