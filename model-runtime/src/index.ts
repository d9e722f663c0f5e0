// Public surface of @cancerllm/model-runtime. Layers, bottom up: model folder → decoder (session + KV cache) →
// generator (sampling, stopping; or the decode loop, many steps per run for CUDA) → LlmWorker (off the caller's
// thread). The builder writes model folders (`cancerllm build-model`). See ../README.md.
export { parseModelFolder } from './model-folder.ts';
export type {
  ModelFolder,
  ModelFolderProblem,
  ModelFolderResult,
  ModelLayout,
  ProblemKind,
  DecoderIo,
  TensorType,
} from './model-folder.ts';
export { ChatTokenizer } from './tokenizer.ts';
export type { ChatMessage, TokenizerResult } from './tokenizer.ts';
export { parseModelShape, checkModelShape, toHfConfig } from './model-shape.ts';
export type { ModelShape, ShapeResult } from './model-shape.ts';

export {
  openSession,
  diagnoseCuda,
  currentCudaEnvironment,
  onnxruntimeBinaryDir,
  CUDA_LIBRARIES,
} from './execution-provider.ts';
export type {
  ExecutionProviderSetting,
  SessionSettings,
  OpenedSession,
  CudaEnvironment,
} from './execution-provider.ts';
export { KvCache } from './kv-cache.ts';
export { Decoder, ContextLengthError } from './decoder.ts';
export type { LoadResult } from './decoder.ts';

export { Generator, generate } from './generator.ts';
export type { GenerationParams, GenerationChunk, DoneReason } from './generator.ts';
export { generateBatch } from './batch-generator.ts';
export type { BatchResult } from './batch-generator.ts';
export { TokenSampler, argmax } from './sampling.ts';
export type { SamplingParams } from './sampling.ts';
export { JsonConstraint, createTokenConstraint } from './constrain/json-constraint.ts';
export type { TokenConstraint } from './constrain/json-constraint.ts';
export { TokenVocabulary } from './constrain/token-vocabulary.ts';
export type { ConstraintSpec, JsonSchema } from './constrain/json-schema.ts';

export { LlmWorker, GenerationError } from './llm-worker.ts';
export type {
  WorkerOptions,
  OpenResult,
  GenerationResult,
  ModelInfo,
  Prompt,
  Priority,
  RequestOptions,
} from './llm-worker.ts';
export type { StrategySetting } from './worker/generation-strategy.ts';
export { classifyRuntimeError, faultKindOfName, FAULT_ERROR_NAMES } from './runtime-errors.ts';
export type { RuntimeFault, RuntimeFaultKind, FaultContext } from './runtime-errors.ts';

export { buildModel } from './builder/build-model.ts';
export type { BuildModelRequest, BuildModelResult } from './builder/build-model.ts';

export { DecodeLoop, writeDecodeLoopModel } from './loop/loop-generator.ts';
export type { LoopGenerationParams } from './loop/loop-generator.ts';
export { buildDecodeLoop, LOOP_IO, LOOP_MODEL_SUFFIX } from './loop/decode-loop-graph.ts';
