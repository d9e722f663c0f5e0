// Parses and checks a model folder before any session is created: which layout, which files, whether the graph's
// inputs and outputs agree with the config, whether external data is complete, and the tokenizer. Never throws:
// a broken folder is a ModelFolderProblem whose message names the file and what is wrong with it.
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { decodeModel, DataType, type ModelProto, type ValueInfo } from './onnx/onnx-proto.ts';
import { ChatTokenizer } from './tokenizer.ts';
import { genaiDecoder, optimumDecoder, type DecoderConfig } from './decoder-config.ts';

export type ModelLayout = 'genai' | 'optimum';
export type ProblemKind =
  | 'missing-file'
  | 'invalid-config'
  | 'invalid-graph'
  | 'wrong-shape'
  | 'truncated-data'
  | 'unknown-layout'
  | 'invalid-tokenizer';

export interface ModelFolderProblem {
  kind: ProblemKind;
  message: string;
}

/** Names of the decoder's inputs and outputs, per layer where needed; they come from the folder, never from code. */
export interface DecoderIo {
  inputIds: string;
  attentionMask: string;
  /** Optimum exports take positions; genai models derive them from the attention mask. */
  positionIds?: string;
  /** Merged Optimum decoders switch branches on this boolean input. */
  useCacheBranch?: string;
  logits: string;
  pastKeys: readonly string[];
  pastValues: readonly string[];
  presentKeys: readonly string[];
  presentValues: readonly string[];
}

export type TensorType = 'float32' | 'float16';

export interface ModelFolder {
  path: string;
  layout: ModelLayout;
  modelPath: string;
  io: DecoderIo;
  numLayers: number;
  numKvHeads: number;
  headDim: number;
  vocabSize: number;
  contextLength: number;
  bosTokenId: number;
  eosTokenIds: readonly number[];
  kvType: TensorType;
  logitsType: TensorType;
  /** The graph attends with GroupQueryAttention, which places each row's new tokens by its mask's sum. */
  groupQueryAttention: boolean;
  weights: 'fp32' | 'fp16' | 'int4';
  /** Bytes of weights (inline and external), for memory estimates and the bandwidth floor. */
  weightBytes: number;
  tokenizer: ChatTokenizer;
}

export type ModelFolderResult = { ok: true; folder: ModelFolder } | { ok: false; problem: ModelFolderProblem };

const fail = (kind: ProblemKind, message: string): { ok: false; problem: ModelFolderProblem } => ({
  ok: false,
  problem: { kind, message },
});

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

type Json = Record<string, unknown>;
type JsonResult = { ok: true; value: Json } | { ok: false; problem: ModelFolderProblem };

async function readJson(path: string, kind: ProblemKind): Promise<JsonResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return fail('missing-file', `${basename(path)} missing in ${dirname(path)}`);
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return fail(kind, `${path} is not a JSON object`);
    return { ok: true, value: value as Json };
  } catch (error) {
    return fail(kind, `${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const OPTIMUM_CANDIDATES = [
  'model.onnx',
  'decoder_model_merged.onnx',
  join('onnx', 'model.onnx'),
  join('onnx', 'decoder_model_merged.onnx'),
];

const at = (pattern: string, l: number): string => pattern.replace('%d', String(l));
const showShape = (v: ValueInfo): string => `[${v.shape.join(', ')}]`;
const floatType = (code: number): TensorType | undefined =>
  code === DataType.FLOAT ? 'float32' : code === DataType.FLOAT16 ? 'float16' : undefined;

function checkGraph(
  file: string,
  model: ModelProto,
  d: DecoderConfig,
  configFile: string,
):
  | { ok: true; io: DecoderIo; kvType: TensorType; logitsType: TensorType }
  | { ok: false; problem: ModelFolderProblem } {
  const inputs = new Map(model.graph.inputs.map((v) => [v.name, v]));
  const outputs = new Map(model.graph.outputs.map((v) => [v.name, v]));
  const L = d.numLayers;
  const io: DecoderIo = {
    inputIds: d.names.inputIds,
    attentionMask: d.names.attentionMask,
    logits: d.names.logits,
    pastKeys: Array.from({ length: L }, (_, l) => at(d.names.pastKey, l)),
    pastValues: Array.from({ length: L }, (_, l) => at(d.names.pastValue, l)),
    presentKeys: Array.from({ length: L }, (_, l) => at(d.names.presentKey, l)),
    presentValues: Array.from({ length: L }, (_, l) => at(d.names.presentValue, l)),
  };
  if (inputs.has('position_ids')) io.positionIds = 'position_ids';
  if (inputs.has('use_cache_branch')) io.useCacheBranch = 'use_cache_branch';
  for (const name of [io.inputIds, io.attentionMask, ...io.pastKeys, ...io.pastValues]) {
    if (!inputs.has(name))
      return fail('wrong-shape', `${file} has no input "${name}" (${configFile} says ${L} layers)`);
  }
  for (const name of [io.logits, ...io.presentKeys, ...io.presentValues]) {
    if (!outputs.has(name))
      return fail('wrong-shape', `${file} has no output "${name}" (${configFile} says ${L} layers)`);
  }
  const extraPast = model.graph.inputs.filter(
    (v) => v.name.startsWith('past_key_values.') && !io.pastKeys.includes(v.name) && !io.pastValues.includes(v.name),
  );
  if (extraPast.length > 0)
    return fail(
      'wrong-shape',
      `${file} has ${(L * 2 + extraPast.length) / 2} layers of past key/values but ${configFile} says ${L}`,
    );
  const past = inputs.get(io.pastKeys[0] ?? '');
  const kvType = past ? floatType(past.elemType) : undefined;
  if (!past || !kvType) return fail('invalid-graph', `${file}: past key/value inputs must be float32 or float16`);
  const [, kvHeads, , hd] = past.shape;
  if ((typeof kvHeads === 'number' && kvHeads !== d.numKvHeads) || (typeof hd === 'number' && hd !== d.headDim)) {
    return fail(
      'wrong-shape',
      `${file}: ${past.name} is ${showShape(past)} but ${configFile} says ${d.numKvHeads} key/value heads of size ${d.headDim}`,
    );
  }
  const logits = outputs.get(io.logits);
  const logitsType = logits ? floatType(logits.elemType) : undefined;
  if (!logits || !logitsType) return fail('invalid-graph', `${file}: logits must be float32 or float16`);
  const vocab = logits.shape[logits.shape.length - 1];
  if (typeof vocab === 'number' && vocab !== d.vocabSize)
    return fail(
      'wrong-shape',
      `${file}: logits are ${showShape(logits)} but ${configFile} says vocab_size ${d.vocabSize}`,
    );
  return { ok: true, io, kvType, logitsType };
}

/** Every external data file must exist and hold every byte the graph points into. */
async function checkExternalData(
  dir: string,
  file: string,
  model: ModelProto,
): Promise<{ ok: true; bytes: number } | { ok: false; problem: ModelFolderProblem }> {
  const needed = new Map<string, number>();
  let bytes = 0;
  for (const t of model.graph.initializers) {
    if (t.data instanceof Uint8Array) {
      bytes += t.data.byteLength;
      continue;
    }
    if (!t.data.location || t.data.location.includes('..'))
      return fail(
        'invalid-graph',
        `${file}: tensor ${t.name} has an invalid external data location "${t.data.location}"`,
      );
    bytes += Math.max(0, t.data.length);
    needed.set(t.data.location, Math.max(needed.get(t.data.location) ?? 0, t.data.offset + Math.max(0, t.data.length)));
  }
  for (const [location, end] of needed) {
    const path = join(dir, location);
    const size = await stat(path).then(
      (s) => s.size,
      () => -1,
    );
    if (size < 0) return fail('missing-file', `${location} missing in ${dir} (external data of ${basename(file)})`);
    if (size < end)
      return fail('truncated-data', `${path} is truncated: ${size} bytes, but ${basename(file)} needs ${end}`);
  }
  return { ok: true, bytes };
}

export async function parseModelFolder(dir: string): Promise<ModelFolderResult> {
  const dirOk = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!dirOk) return fail('missing-file', `model folder ${dir} does not exist or is not a folder`);
  let layout: ModelLayout;
  let decoder: DecoderConfig;
  let modelPath: string;
  let configFile: string;
  if (await isFile(join(dir, 'genai_config.json'))) {
    configFile = 'genai_config.json';
    const cfg = await readJson(join(dir, configFile), 'invalid-config');
    if (!cfg.ok) return cfg;
    const d = genaiDecoder(configFile, cfg.value);
    if (!d.ok) return d;
    layout = 'genai';
    decoder = d.value;
    modelPath = join(dir, d.value.filename);
    if (!(await isFile(modelPath)))
      return fail('missing-file', `${d.value.filename} missing in ${dir} (named by genai_config.json)`);
  } else {
    const found: string[] = [];
    for (const c of OPTIMUM_CANDIDATES) if (await isFile(join(dir, c))) found.push(c);
    if (found.length === 0)
      return fail(
        'unknown-layout',
        `${dir} is not a model folder: no genai_config.json (onnxruntime-genai) and no onnx/model.onnx or model.onnx (Hugging Face Optimum)`,
      );
    configFile = 'config.json';
    const cfg = await readJson(join(dir, configFile), 'invalid-config');
    if (!cfg.ok) return cfg;
    const d = optimumDecoder(configFile, cfg.value);
    if (!d.ok) return d;
    layout = 'optimum';
    decoder = d.value;
    modelPath = join(dir, found[0] ?? '');
  }
  let model: ModelProto;
  try {
    model = decodeModel(await readFile(modelPath));
  } catch (error) {
    return fail(
      'invalid-graph',
      `${modelPath} is not a valid ONNX model (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const graph = checkGraph(basename(modelPath), model, decoder, configFile);
  if (!graph.ok) return graph;
  const data = await checkExternalData(dirname(modelPath), modelPath, model);
  if (!data.ok) return data;
  const tokJson = await readJson(join(dir, 'tokenizer.json'), 'invalid-tokenizer');
  if (!tokJson.ok) return tokJson;
  let tokConfig: Json = {};
  if (await isFile(join(dir, 'tokenizer_config.json'))) {
    const c = await readJson(join(dir, 'tokenizer_config.json'), 'invalid-tokenizer');
    if (!c.ok) return c;
    tokConfig = c.value;
  }
  const tok = ChatTokenizer.create(tokJson.value, tokConfig);
  if (!tok.ok) return fail('invalid-tokenizer', `${join(dir, 'tokenizer.json')}: ${tok.message}`);
  if (tok.tokenizer.vocabSize > decoder.vocabSize) {
    return fail(
      'wrong-shape',
      `tokenizer.json has token ids up to ${tok.tokenizer.vocabSize - 1} but the model's vocab_size is ${decoder.vocabSize}`,
    );
  }
  const nodes = model.graph.nodes;
  const int4 = nodes.some((n) => n.opType === 'MatMulNBits');
  return {
    ok: true,
    folder: {
      path: dir,
      layout,
      modelPath,
      io: graph.io,
      numLayers: decoder.numLayers,
      numKvHeads: decoder.numKvHeads,
      headDim: decoder.headDim,
      vocabSize: decoder.vocabSize,
      contextLength: decoder.contextLength,
      bosTokenId: decoder.bosTokenId,
      eosTokenIds: decoder.eosTokenIds,
      kvType: graph.kvType,
      logitsType: graph.logitsType,
      groupQueryAttention: nodes.some((n) => n.opType === 'GroupQueryAttention'),
      weights: int4 ? 'int4' : graph.kvType === 'float16' ? 'fp16' : 'fp32',
      weightBytes: data.bytes,
      tokenizer: tok.tokenizer,
    },
  };
}
