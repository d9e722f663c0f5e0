// Wraps a decoder graph into a "decode loop" model that generates many tokens in one session.run(): an ONNX Loop
// whose body is the decoder, run first on input_ids (a prompt, or the last token of the previous chunk) and then on
// the token it chose (greedy, or seeded top-k/top-p with host-drawn uniforms), with the KV cache as loop-carried
// state, stopping at max_new_tokens or an end-of-sequence id. Weights stay outer-scope initializers, so the loop
// model shares the decoder's external data file on disk.
//
// Why: onnxruntime-node cannot keep tensors in CUDA memory between run() calls, so a step-per-run loop copies
// the whole KV cache host↔device for every token. Inside one run the loop-carried KV stays on the device; the
// host sees it once per chunk. See ../../README.md, "CUDA design".
import { attr } from '../onnx/graph-builder.ts';
import { ProtoWriter } from '../onnx/protobuf.ts';
import { DataType, type GraphProto, type ModelProto, type NodeProto, type ValueInfo } from '../onnx/onnx-proto.ts';
import type { DecoderIo } from '../model-folder.ts';

export const LOOP_IO = {
  inputIds: 'input_ids',
  maxNewTokens: 'max_new_tokens',
  eosTokenIds: 'eos_token_ids',
  /** float [2]: temperature (≤ 0 = greedy), top-p. */
  sampling: 'sampling',
  /** int64 scalar ≥ 1: candidates kept before top-p (the vocabulary size for no limit). */
  topK: 'top_k',
  /** float [max_new_tokens]: one uniform draw per token from the request's seeded generator. */
  uniforms: 'uniforms',
  tokens: 'tokens',
  pastKey: (l: number) => `past_key_values.${l}.key`,
  pastValue: (l: number) => `past_key_values.${l}.value`,
  presentKey: (l: number) => `present.${l}.key`,
  presentValue: (l: number) => `present.${l}.value`,
} as const;

export const LOOP_MODEL_SUFFIX = '.loop.onnx';

class Names {
  private n = 0;
  constructor(private readonly prefix: string) {}
  next(hint: string): string {
    return `${this.prefix}${hint}_${this.n++}`;
  }
}

/** Copies the decoder's nodes with every value name mapped: decoder inputs to `inputs`, the rest prefixed. */
function instantiate(
  decoder: GraphProto,
  prefix: string,
  inputs: ReadonlyMap<string, string>,
  outer: ReadonlySet<string>,
): { nodes: NodeProto[]; name: (v: string) => string } {
  const name = (v: string): string => (v === '' ? '' : (inputs.get(v) ?? (outer.has(v) ? v : `${prefix}${v}`)));
  const nodes = decoder.nodes.map((n) => ({
    ...n,
    name: `${prefix}${n.name}`,
    inputs: n.inputs.map(name),
    outputs: n.outputs.map(name),
  }));
  return { nodes, name };
}

interface Ops {
  nodes: NodeProto[];
  names: Names;
  op(type: string, inputs: readonly string[], attrs?: NodeProto['attributes'], out?: string): string;
  constI64(values: readonly number[], dims: readonly number[]): string;
  constF32(value: number): string;
}

function ops(prefix: string): Ops {
  const nodes: NodeProto[] = [];
  const names = new Names(prefix);
  const op: Ops['op'] = (type, inputs, attrs = {}, out) => {
    const o = out ?? names.next(type);
    nodes.push({ opType: type, domain: '', name: names.next(`n_${type}`), inputs, outputs: [o], attributes: attrs });
    return o;
  };
  /** A Constant node whose output `o` holds tensor `t`. */
  const constant = (o: string, t: Parameters<typeof encodeTensorAttribute>[0]): string => {
    nodes.push({
      opType: 'Constant',
      domain: '',
      name: names.next('n_Constant'),
      inputs: [],
      outputs: [o],
      attributes: { value: { kind: 'raw', bytes: encodeTensorAttribute(t) } },
    });
    return o;
  };
  const constI64: Ops['constI64'] = (values, dims) => {
    const o = names.next('const');
    const t = {
      name: o,
      dataType: DataType.INT64,
      dims,
      data: new Uint8Array(BigInt64Array.from(values, BigInt).buffer),
    };
    return constant(o, t);
  };
  const constF32: Ops['constF32'] = (value) => {
    const o = names.next('const');
    const t = { name: o, dataType: DataType.FLOAT, dims: [], data: new Uint8Array(Float32Array.from([value]).buffer) };
    return constant(o, t);
  };
  return { nodes, names, op, constI64, constF32 };
}

/** A tensor-valued attribute (Constant's and ConstantOfShape's `value`): the only tensor attributes we emit. */
function encodeTensorAttribute(t: {
  name: string;
  dataType: number;
  dims: readonly number[];
  data: Uint8Array;
}): Uint8Array {
  const tensor = new ProtoWriter().packedInts(1, t.dims).int(2, t.dataType).string(8, t.name).bytes(9, t.data);
  return new ProtoWriter().string(1, 'value').message(5, tensor).int(20, 4).finish();
}

/**
 * Next token [1, 1] from logits [1, S, V], and whether it is an end-of-sequence id (bool scalar). Greedy when the
 * temperature is ≤ 0; otherwise the same algorithm as TokenSampler: top-k, softmax at the temperature, the smallest
 * prefix reaching top-p, then inverse CDF at `uniform` (a [1] slice of the uniforms input).
 */
function chooseNext(o: Ops, logits: string, uniform: string): { token: string; isEos: string } {
  const last = o.op('Gather', [logits, o.constI64([-1], [])], { axis: attr.i(1) }); // [1, V]
  const greedy = o.op('ArgMax', [last], { axis: attr.i(-1), keepdims: attr.i(1) }); // [1, 1]
  const temperature = o.op('Gather', [LOOP_IO.sampling, o.constI64([0], [])], { axis: attr.i(0) });
  const topP = o.op('Gather', [LOOP_IO.sampling, o.constI64([1], [])], { axis: attr.i(0) });
  const [values, indices] = [o.names.next('topk_values'), o.names.next('topk_indices')];
  o.nodes.push({
    opType: 'TopK',
    domain: '',
    name: o.names.next('n_TopK'),
    inputs: [last, o.op('Reshape', [LOOP_IO.topK, o.constI64([1], [1])])],
    outputs: [values, indices],
    attributes: { axis: attr.i(-1), largest: attr.i(1), sorted: attr.i(1) },
  });
  const best = o.op('Gather', [values, o.constI64([0], [1])], { axis: attr.i(1) }); // [1, 1]
  const safeT = o.op('Max', [temperature, o.constF32(1e-6)]);
  const weights = o.op('Exp', [o.op('Div', [o.op('Sub', [values, best]), safeT])]); // [1, k]
  const one = o.constI64([1], []);
  const total = o.op('ReduceSum', [weights, o.constI64([1], [1])], { keepdims: attr.i(1) });
  const before = o.op('Sub', [o.op('CumSum', [weights, one]), weights]);
  const keep = o.op('Cast', [o.op('Less', [o.op('Div', [before, total]), topP])], { to: attr.i(DataType.FLOAT) });
  const kept = o.op('Mul', [weights, keep]);
  const target = o.op('Mul', [o.op('ReduceSum', [kept, o.constI64([1], [1])], { keepdims: attr.i(1) }), uniform]);
  const below = o.op(
    'ReduceSum',
    [
      o.op('Cast', [o.op('Less', [o.op('CumSum', [kept, one]), target])], { to: attr.i(DataType.INT64) }),
      o.constI64([1], [1]),
    ],
    { keepdims: attr.i(1) },
  );
  const lastKept = o.op('Sub', [
    o.op('ReduceSum', [o.op('Cast', [keep], { to: attr.i(DataType.INT64) }), o.constI64([1], [1])], {
      keepdims: attr.i(1),
    }),
    one,
  ]);
  const sampled = o.op('GatherElements', [indices, o.op('Min', [below, lastKept])], { axis: attr.i(1) }); // [1, 1]
  const token = o.op('Where', [o.op('Greater', [temperature, o.constF32(0)]), sampled, greedy]);
  const hits = o.op('Cast', [o.op('Equal', [token, LOOP_IO.eosTokenIds])], { to: attr.i(DataType.INT32) }); // [1, E]
  const any = o.op('ReduceMax', [hits], { keepdims: attr.i(0) });
  return { token, isEos: o.op('Cast', [any], { to: attr.i(DataType.BOOL) }) };
}

/** Decoder inputs for one step: all-ones mask of total length, positions from the past length. */
function stepInputs(o: Ops, io: DecoderIo, ids: string, pastLen: string, idsLen: string): Map<string, string> {
  const total = o.op('Add', [pastLen, idsLen]);
  const mask = o.op(
    'ConstantOfShape',
    [o.op('Concat', [o.constI64([1], [1]), o.op('Reshape', [total, o.constI64([1], [1])])], { axis: attr.i(0) })],
    {
      value: {
        kind: 'raw',
        bytes: encodeTensorAttribute({
          name: 'one',
          dataType: DataType.INT64,
          dims: [1],
          data: new Uint8Array(BigInt64Array.from([1n]).buffer),
        }),
      },
    },
  );
  const m = new Map<string, string>([
    [io.inputIds, ids],
    [io.attentionMask, mask],
  ]);
  if (io.positionIds) {
    const range = o.op('Range', [pastLen, total, o.constI64([1], [])]);
    m.set(io.positionIds, o.op('Unsqueeze', [range, o.constI64([0], [1])]));
  }
  return m;
}

/**
 * `decoder` must be a single-sequence decoder with the inputs and outputs named by `io` (from a ModelFolder).
 * The result has inputs input_ids [1, S], max_new_tokens (int64 scalar ≥ 1), eos_token_ids [E], the sampling
 * inputs (LOOP_IO.sampling, topK, uniforms) and the past KV;
 * outputs tokens [n] (n ≤ max_new_tokens, the last may be an eos id) and the present KV, which holds everything
 * except the last token: the next chunk starts with input_ids = [last token].
 */
export function buildDecodeLoop(decoder: ModelProto, io: DecoderIo): ModelProto {
  if (io.useCacheBranch) throw new Error('merged decoders with use_cache_branch are not supported by the decode loop');
  const g = decoder.graph;
  const outer = new Set(g.initializers.map((t) => t.name));
  const kvInputs = [...io.pastKeys, ...io.pastValues];
  const kvOutputs = [...io.presentKeys, ...io.presentValues];
  const kvInfo = new Map(g.inputs.map((v) => [v.name, v]));
  const L = io.pastKeys.length;

  // ---- the loop body: one run of the decoder on the carried ids (the prompt first, then one token) ----
  // A single copy of the decoder's nodes: on CPU, onnxruntime prepacks weights per node, so a second copy for the
  // prefill would hold every weight twice.
  const body = ops('body/op/');
  const bodyIn = { iter: 'body/iter', cond: 'body/cond_in', ids: 'body/ids_in' };
  const bodyPast = kvInputs.map((n) => `body/in/${n}`);
  const dim = (t: string, axis: number): string =>
    body.op('Squeeze', [
      body.op('Shape', [t], { start: attr.i(axis), end: attr.i(axis + 1) }),
      body.constI64([0], [1]),
    ]);
  const stepMap = stepInputs(body, io, bodyIn.ids, dim(bodyPast[0] ?? '', 2), dim(bodyIn.ids, 1));
  kvInputs.forEach((n, i) => stepMap.set(n, bodyPast[i] ?? ''));
  const step = instantiate(g, 'body/dec/', stepMap, outer);
  body.nodes.push(...step.nodes);
  const uniform = body.op('Gather', [LOOP_IO.uniforms, body.op('Reshape', [bodyIn.iter, body.constI64([1], [1])])], {
    axis: attr.i(0),
  });
  const next = chooseNext(body, step.name(io.logits), uniform);
  body.op('Not', [next.isEos], {}, 'body/cond_out');
  body.op('Identity', [next.token], {}, 'body/ids_out');
  body.op('Identity', [next.token], {}, 'body/scan_token');
  const bodyKvOut = kvOutputs.map((n) => `body/out/${n}`);
  kvOutputs.forEach((n, i) => body.op('Identity', [step.name(n)], {}, bodyKvOut[i]));
  const scalar = (name: string, elemType: number): ValueInfo => ({ name, elemType, shape: [] });
  const kvType = (n: string, length: string): ValueInfo => ({
    name: n,
    elemType: kvInfo.get(n)?.elemType ?? DataType.FLOAT,
    shape: ['batch_size', kvInfo.get(n)?.shape[1] ?? 'kv_heads', length, kvInfo.get(n)?.shape[3] ?? 'head_dim'],
  });
  const bodyGraph: GraphProto = {
    name: 'decode_step',
    nodes: body.nodes,
    initializers: [],
    inputs: [
      scalar(bodyIn.iter, DataType.INT64),
      scalar(bodyIn.cond, DataType.BOOL),
      // the carried ids change shape: [1, prompt length] in the first iteration, [1, 1] after
      { name: bodyIn.ids, elemType: DataType.INT64, shape: [1, 'ids_length'] },
      ...kvInputs.map((n, i) => ({ ...kvType(n, 'past_sequence_length'), name: bodyPast[i] ?? '' })),
    ],
    outputs: [
      scalar('body/cond_out', DataType.BOOL),
      { name: 'body/ids_out', elemType: DataType.INT64, shape: [1, 1] },
      ...kvOutputs.map((_, i) => ({ ...kvType(kvInputs[i] ?? '', 'total_sequence_length'), name: bodyKvOut[i] ?? '' })),
      { name: 'body/scan_token', elemType: DataType.INT64, shape: [1, 1] },
    ],
  };

  // ---- main graph: the loop and its outputs ----
  const main = ops('main/op/');
  const loopOut = kvOutputs.map((n) => `main/loop/${n}`);
  const scan = 'main/loop/scan_tokens';
  const pastIn = (i: number): string => (i < L ? LOOP_IO.pastKey(i) : LOOP_IO.pastValue(i - L));
  const presentOut = (i: number): string => (i < L ? LOOP_IO.presentKey(i) : LOOP_IO.presentValue(i - L));
  main.nodes.push({
    opType: 'Loop',
    domain: '',
    name: 'main/decode_loop',
    inputs: [
      LOOP_IO.maxNewTokens,
      main.op('Cast', [main.constI64([1], [])], { to: attr.i(DataType.BOOL) }),
      LOOP_IO.inputIds,
      ...kvInputs.map((_, i) => pastIn(i)),
    ],
    outputs: ['main/loop/last_ids', ...loopOut, scan],
    attributes: { body: attr.g(bodyGraph) },
  });
  main.op('Reshape', [scan, main.constI64([-1], [1])], {}, LOOP_IO.tokens);
  kvOutputs.forEach((_, i) => main.op('Identity', [loopOut[i] ?? ''], {}, presentOut(i)));
  const kvIn = (i: number): ValueInfo => ({ ...kvType(kvInputs[i] ?? '', 'past_sequence_length'), name: pastIn(i) });
  const kvOut = (i: number): ValueInfo => ({
    ...kvType(kvInputs[i] ?? '', 'total_sequence_length'),
    name: presentOut(i),
  });
  return {
    irVersion: Math.max(decoder.irVersion, 8),
    producerName: 'cancerllm-decode-loop',
    opsets: decoder.opsets,
    graph: {
      name: 'decode_loop',
      nodes: main.nodes,
      initializers: g.initializers,
      inputs: [
        { name: LOOP_IO.inputIds, elemType: DataType.INT64, shape: [1, 'sequence_length'] },
        scalar(LOOP_IO.maxNewTokens, DataType.INT64),
        { name: LOOP_IO.eosTokenIds, elemType: DataType.INT64, shape: ['eos_count'] },
        { name: LOOP_IO.sampling, elemType: DataType.FLOAT, shape: [2] },
        scalar(LOOP_IO.topK, DataType.INT64),
        { name: LOOP_IO.uniforms, elemType: DataType.FLOAT, shape: ['max_new_tokens'] },
        ...kvInputs.map((_, i) => kvIn(i)),
      ],
      outputs: [
        { name: LOOP_IO.tokens, elemType: DataType.INT64, shape: ['new_tokens'] },
        ...kvInputs.map((_, i) => kvOut(i)),
      ],
    },
  };
}
