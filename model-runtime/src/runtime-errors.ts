// ONNX Runtime's errors from session creation and run(), sorted into what a user can act on: memory ran out (CPU
// or GPU), the GPU failed (the session and its CUDA context must not be used again), or anything else. The formats
// matched are ONNX Runtime's own (see each pattern); its messages name nodes, sizes and CUDA calls, never tensor
// values, so no note text can reach the message built here.

export type RuntimeFaultKind = 'out-of-memory' | 'device-error' | 'other';

export interface RuntimeFault {
  kind: RuntimeFaultKind;
  /** What happened and what to do, in words for the user; for 'other', the original message unchanged. */
  message: string;
  /** ONNX Runtime's own words, shortened (no source paths, host name or call expression). */
  detail: string;
  /**
   * The session must be disposed and the model opened again before the next request. True for device errors:
   * after e.g. an illegal address the CUDA context is corrupt and every later call fails the same way.
   */
  reopen: boolean;
}

/** `Error.name` for each fault kind as it crosses the worker boundary (GenerationError keeps it). */
export const FAULT_ERROR_NAMES = {
  'out-of-memory': 'OutOfMemoryError',
  'device-error': 'DeviceError',
} as const;

export interface FaultContext {
  /** Where the model runs; wording of out-of-memory advice depends on it. Undefined when not known (loading). */
  provider?: 'cuda' | 'cpu';
  during: 'loading' | 'generating';
}

// bfc_arena.cc (onnxruntime/core/framework): BFCArena::Extend and AllocateRawInternal. The CPU and the CUDA arena
// both report through these; the CUDA allocator's own cudaMalloc failure is swallowed by the arena and retried.
const ARENA_FAILED = /Failed to allocate memory for requested buffer of size (\d+)/;
const ARENA_LIMIT = /Available memory of \d+ is smaller than requested bytes of (\d+)/;
const ARENA_NO_BLOCK = /Failed to find a free memory block despite calling Extend\. rounded_bytes=(\d+)/;
// allocator.cc: without the arena the CPU allocator throws std::bad_alloc ("bad allocation" on MSVC).
const BAD_ALLOC = /\bstd::bad_alloc\b|\bbad allocation\b/;
// cuda_call.cc: "%s failure %d: %s ; GPU=%d ; hostname=%s ; file=%s ; line=%d ; expr=%s; %s" (older releases
// lack file/line), lib one of CUDA, CUBLAS, CUDNN, CURAND, CUFFT, CUSPARSE, NCCL; cudnn_fe_call.cc writes CUDNN_FE.
const LIBRARY_FAILURE = /\b(CUDA|CUBLAS|CUDNN|CUDNN_FE|CURAND|CUFFT|CUSPARSE|NCCL) failure (-?\d+): ([^;\n]*)/;
// cuda_kernel.h, CudaKernel::Compute: "CUDA error " + cudaGetErrorName + ":" + cudaGetErrorString.
const KERNEL_ERROR = /\bCUDA error (cuda\w+):([^\n]*)/;
// CUDA_RETURN_IF_ERROR / CUDNN_RETURN_IF_ERROR in older releases: "CUDA error executing <expr>".
const EXECUTING_ERROR = /\b(CUDA|CUDNN|CUBLAS) error executing (\w+)/;
/** Library statuses that mean an allocation failed (cudaErrorMemoryAllocation is code 2, "out of memory"). */
const ALLOCATION_STATUS =
  /\b(?:out of memory|cudaErrorMemoryAllocation|CUBLAS_STATUS_ALLOC_FAILED|CUDNN_STATUS_ALLOC_FAILED|CUDNN_STATUS_INTERNAL_ERROR_(?:HOST|DEVICE)_ALLOCATION_FAILED|CUFFT_ALLOC_FAILED|CURAND_STATUS_ALLOCATION_FAILED|CUSPARSE_STATUS_ALLOC_FAILED)\b/;

export function classifyRuntimeError(error: unknown, context: FaultContext): RuntimeFault {
  const original = error instanceof Error ? error.message : String(error);
  const oom = outOfMemory(original);
  if (oom !== undefined) {
    return { kind: 'out-of-memory', message: outOfMemoryMessage(oom, context), detail: oom, reopen: false };
  }
  const device = deviceError(original);
  if (device !== undefined) {
    return { kind: 'device-error', message: deviceErrorMessage(device, context), detail: device, reopen: true };
  }
  return { kind: 'other', message: original, detail: shorten(original), reopen: false };
}

/** The fault kind an error's name says it is (after crossing the worker boundary), or undefined. */
export function faultKindOfName(name: string): Exclude<RuntimeFaultKind, 'other'> | undefined {
  if (name === FAULT_ERROR_NAMES['out-of-memory']) return 'out-of-memory';
  if (name === FAULT_ERROR_NAMES['device-error']) return 'device-error';
  return undefined;
}

/** The detail of an allocation failure, or undefined when `message` is not one. */
function outOfMemory(message: string): string | undefined {
  const bytes = [ARENA_FAILED, ARENA_LIMIT, ARENA_NO_BLOCK].map((p) => p.exec(message)?.[1]).find(Boolean);
  if (bytes) return `ONNX Runtime could not allocate ${formatBytes(Number(bytes))}`;
  if (BAD_ALLOC.test(message)) return 'ONNX Runtime could not allocate memory (std::bad_alloc)';
  const library = LIBRARY_FAILURE.exec(message);
  if (library && ALLOCATION_STATUS.test(library[3] ?? '')) return libraryDetail(library);
  const kernel = KERNEL_ERROR.exec(message);
  if (kernel && ALLOCATION_STATUS.test(kernel[0])) return kernelDetail(kernel);
  return undefined;
}

function deviceError(message: string): string | undefined {
  const library = LIBRARY_FAILURE.exec(message);
  if (library) return libraryDetail(library);
  const kernel = KERNEL_ERROR.exec(message);
  if (kernel) return kernelDetail(kernel);
  const executing = EXECUTING_ERROR.exec(message);
  if (executing) return `${executing[1]} error executing ${executing[2]}`;
  return undefined;
}

const libraryDetail = (m: RegExpExecArray): string => `${m[1]} failure ${m[2]}: ${(m[3] ?? '').trim()}`;
const kernelDetail = (m: RegExpExecArray): string => `CUDA error ${m[1]}: ${(m[2] ?? '').trim()}`;

function outOfMemoryMessage(detail: string, { provider, during }: FaultContext): string {
  const where = provider === 'cuda' ? 'The GPU' : provider === 'cpu' ? 'The computer' : 'The computer or GPU';
  const what = during === 'loading' ? 'loading the model' : 'generating';
  const steps = [
    during === 'loading' ? 'use a smaller or an int4 model' : 'lower the maximum new tokens or shorten the note',
    ...(during === 'loading' ? [] : ['use an int4 model']),
    provider === 'cpu'
      ? 'close other programs to free memory'
      : 'close other programs that use the GPU (nvidia-smi lists them)',
    ...(provider === 'cpu' ? [] : ['run the model on the CPU (executionProvider "cpu")']),
  ];
  const advice = `${steps.slice(0, -1).join(', ')}, or ${steps.at(-1) ?? ''}`;
  return `${where} ran out of memory while ${what} (${detail}). To fix it: ${advice}.`;
}

function deviceErrorMessage(detail: string, { during }: FaultContext): string {
  const what = during === 'loading' ? 'loading the model' : 'generating';
  return (
    `The GPU reported an error while ${what} (${detail}). The model is loaded again for the next request; ` +
    'if the error repeats, restart the language server and check the GPU and its driver (nvidia-smi).'
  );
}

/** The first line, without ONNX Runtime's source locations and C++ signatures, at most 200 characters. */
function shorten(message: string): string {
  const line = message.split('\n').find((l) => l.trim() !== '') ?? '';
  const clean = line
    .replace(/\s*;\s*hostname=[^;]*/g, '')
    .replace(/\s*;\s*file=[^;]*;\s*line=\d+/g, '')
    .replace(/\S+\.(?:cc|cu|h|cpp):\d+\s+(?:[^()]*\([^)]*\)\s*)?/g, '')
    .trim();
  return clean.length > 200 ? `${clean.slice(0, 199)}…` : clean;
}

/** Bytes in binary units with three significant digits ("1.00 PiB", "512 MiB"). */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${bytes} bytes`;
  return `${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)} ${units[unit]}`;
}
