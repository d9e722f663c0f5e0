// `cancerllm build-model`: writes a Mistral-architecture ONNX model folder from a Hugging Face checkpoint or from
// seeded random weights of a given shape. Exit status 0 when written, 2 on bad input (with a message naming it).
import { buildModel, type BuildModelRequest, type ModelShape } from '@cancerllm/model-runtime';
import { parseCommandOptions } from './options.ts';

export const BUILD_MODEL_USAGE = `usage: cancerllm build-model --out DIR (--checkpoint DIR | --random [shape options]) [--layout genai|optimum] [--dtype fp32|fp16|int4]

  --checkpoint DIR   Hugging Face folder: config.json, *.safetensors (F32/F16/BF16), tokenizer.json, tokenizer_config.json
  --random           random weights (tests, benchmarks) with a generated tokenizer; shape options:
      --layers N (2) --hidden N (64) --heads N (4) --kv-heads N (2) --intermediate N (128) --vocab N (512)
      --context N (2048) --seed N (1234)
  --layout           genai (onnxruntime-genai: GroupQueryAttention, genai_config.json; default) or optimum (plain ONNX ops)
  --dtype            fp32 (default), fp16, or int4 (MatMulNBits, block 32)
  --activations      activation and KV-cache type: fp32, or fp16 for GPUs (default: fp16 for --dtype fp16, else fp32)`;

const LAYOUTS = ['genai', 'optimum'] as const;
const DTYPES = ['fp32', 'fp16', 'int4'] as const;
const SHAPE_OPTIONS = {
  layers: 2,
  hidden: 64,
  heads: 4,
  'kv-heads': 2,
  intermediate: 128,
  vocab: 512,
  context: 2048,
  seed: 1234,
} as const;

function bad(message: string): number {
  process.stderr.write(`cancerllm build-model: ${message}\n${BUILD_MODEL_USAGE}\n`);
  return 2;
}

export async function runBuildModel(argv: readonly string[]): Promise<number> {
  const parsed = parseCommandOptions(argv, {
    out: { type: 'string' },
    checkpoint: { type: 'string' },
    random: { type: 'boolean' },
    layout: { type: 'string' },
    dtype: { type: 'string' },
    activations: { type: 'string' },
    ...Object.fromEntries(Object.keys(SHAPE_OPTIONS).map((k) => [k, { type: 'string' as const }])),
  });
  if (!parsed.ok) return bad(parsed.message);
  const v = parsed.values;
  if (parsed.positionals.length > 0) return bad(`unexpected argument "${parsed.positionals[0]}"`);
  if (typeof v.out !== 'string') return bad('--out DIR is required');
  if ((typeof v.checkpoint === 'string') === (v.random === true))
    return bad('give exactly one of --checkpoint DIR or --random');
  const layout = typeof v.layout === 'string' ? v.layout : 'genai';
  if (!(LAYOUTS as readonly string[]).includes(layout))
    return bad(`unknown --layout "${layout}" (expected ${LAYOUTS.join(' or ')})`);
  const dtype = typeof v.dtype === 'string' ? v.dtype : 'fp32';
  if (!(DTYPES as readonly string[]).includes(dtype))
    return bad(`unknown --dtype "${dtype}" (expected ${DTYPES.join(', ')})`);
  const activations = v.activations;
  if (activations !== undefined && activations !== 'fp32' && activations !== 'fp16')
    return bad(`unknown --activations "${String(activations)}" (expected fp32 or fp16)`);

  let source: BuildModelRequest['source'];
  if (typeof v.checkpoint === 'string') {
    source = { kind: 'checkpoint', dir: v.checkpoint };
  } else {
    const n: Record<string, number> = {};
    for (const [key, fallback] of Object.entries(SHAPE_OPTIONS)) {
      const raw = v[key];
      const value = typeof raw === 'string' ? Number(raw) : fallback;
      if (!Number.isInteger(value) || value <= 0)
        return bad(`--${key} must be a positive integer (got "${String(raw)}")`);
      n[key] = value;
    }
    const hidden = n.hidden ?? 64;
    const heads = n.heads ?? 4;
    if (hidden % heads !== 0) return bad(`--hidden (${hidden}) must be a multiple of --heads (${heads})`);
    const shape: ModelShape = {
      vocabSize: n.vocab ?? 512,
      hiddenSize: hidden,
      intermediateSize: n.intermediate ?? 128,
      numLayers: n.layers ?? 2,
      numHeads: heads,
      numKvHeads: n['kv-heads'] ?? 2,
      headDim: hidden / heads,
      ropeTheta: 10000,
      rmsNormEps: 1e-5,
      maxPositions: n.context ?? 2048,
      tieWordEmbeddings: false,
      bosTokenId: 1,
      eosTokenIds: [2],
    };
    source = { kind: 'random', shape, seed: n.seed ?? 1234 };
  }
  const started = performance.now();
  const result = buildModel({
    outDir: v.out,
    source,
    layout: layout as BuildModelRequest['layout'],
    weights: dtype as BuildModelRequest['weights'],
    ...(activations ? { activations } : {}),
  });
  if (!result.ok) return bad(result.message);
  const s = result.shape;
  const mb = (b: number): string => (b / 1e6).toFixed(1);
  process.stdout.write(
    `wrote ${result.written.modelPath} (${mb(result.written.graphBytes)} MB graph, ${mb(result.written.dataBytes)} MB external data): ` +
      `${s.numLayers} layers × ${s.hiddenSize}, ${s.numHeads}/${s.numKvHeads} heads, vocab ${s.vocabSize}, ${layout}, ${dtype}, ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
  return 0;
}
