// Writes a complete model folder: graph + external data + config.json (+ genai_config.json for the genai layout)
// + generation_config.json + tokenizer files. The result is what parseModelFolder accepts.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { encodeModel } from '../onnx/onnx-proto.ts';
import { ExternalTensorStore } from '../onnx/graph-builder.ts';
import { toHfConfig, type ModelShape } from '../model-shape.ts';
import { IO_NAMES, buildMistralGraph, type MistralGraphOptions } from './mistral-graph.ts';
import type { TokenizerFiles } from './tiny-tokenizer.ts';
import type { WeightSource } from './weights.ts';

export const GENAI_MODEL_FILE = 'model.onnx';
export const OPTIMUM_MODEL_FILE = join('onnx', 'model.onnx');

export interface WriteModelOptions extends MistralGraphOptions {
  tokenizer: TokenizerFiles;
}

export interface WrittenModel {
  modelPath: string;
  dataPath: string;
  graphBytes: number;
  dataBytes: number;
}

export function genaiConfig(s: ModelShape): Record<string, unknown> {
  return {
    model: {
      type: 'mistral',
      bos_token_id: s.bosTokenId,
      eos_token_id: s.eosTokenIds.length === 1 ? s.eosTokenIds[0] : s.eosTokenIds,
      pad_token_id: s.eosTokenIds[0] ?? 0,
      vocab_size: s.vocabSize,
      context_length: s.maxPositions,
      decoder: {
        session_options: { log_id: 'onnxruntime-genai', provider_options: [] },
        filename: GENAI_MODEL_FILE,
        head_size: s.headDim,
        hidden_size: s.hiddenSize,
        num_attention_heads: s.numHeads,
        num_hidden_layers: s.numLayers,
        num_key_value_heads: s.numKvHeads,
        inputs: {
          input_ids: IO_NAMES.inputIds,
          attention_mask: IO_NAMES.attentionMask,
          past_key_names: IO_NAMES.pastKey,
          past_value_names: IO_NAMES.pastValue,
        },
        outputs: {
          logits: IO_NAMES.logits,
          present_key_names: IO_NAMES.presentKey,
          present_value_names: IO_NAMES.presentValue,
        },
      },
    },
    search: {
      do_sample: false,
      max_length: s.maxPositions,
      min_length: 0,
      num_beams: 1,
      num_return_sequences: 1,
      past_present_share_buffer: false,
      repetition_penalty: 1,
      temperature: 1,
      top_k: 1,
      top_p: 1,
    },
  };
}

const json = (path: string, value: unknown): void => writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);

/** Writes into `dir` (created if needed); removes a half-written data file if the graph cannot be built. */
export function writeModelFolder(
  dir: string,
  shape: ModelShape,
  weights: WeightSource,
  options: WriteModelOptions,
): WrittenModel {
  const modelPath = join(dir, options.layout === 'genai' ? GENAI_MODEL_FILE : OPTIMUM_MODEL_FILE);
  const dataPath = options.layout === 'genai' ? `${modelPath}.data` : `${modelPath}_data`;
  mkdirSync(dirname(modelPath), { recursive: true });
  const store = new ExternalTensorStore(dataPath);
  let graphBytes = 0;
  try {
    const model = encodeModel(buildMistralGraph(shape, weights, options, store));
    writeFileSync(modelPath, model);
    graphBytes = model.byteLength;
  } catch (error) {
    store.close();
    rmSync(dataPath, { force: true });
    throw error;
  } finally {
    store.close();
  }
  const torchDtype = options.weights === 'fp16' ? 'float16' : 'float32';
  const hf = toHfConfig(shape, torchDtype);
  // transformers.js reads external data only when told to
  if (options.layout === 'optimum')
    hf['transformers.js_config'] = {
      use_external_data_format: true,
      dtype: torchDtype === 'float16' ? 'fp16' : 'fp32',
    };
  json(join(dir, 'config.json'), hf);
  if (options.layout === 'genai') json(join(dir, 'genai_config.json'), genaiConfig(shape));
  json(join(dir, 'generation_config.json'), { bos_token_id: shape.bosTokenId, eos_token_id: shape.eosTokenIds[0] });
  json(join(dir, 'tokenizer.json'), options.tokenizer.tokenizerJson);
  json(join(dir, 'tokenizer_config.json'), options.tokenizer.tokenizerConfig);
  return { modelPath, dataPath, graphBytes, dataBytes: store.bytesWritten };
}
