// ONNX Runtime's errors from session creation and run(), sorted into what a user can act on: memory ran out (CPU
// or GPU), a GPU call failed (the session stays usable), the GPU failed for good (a sticky CUDA error: no CUDA call
// of this process works again), or anything else. The formats matched are ONNX Runtime's own (see each pattern);
// its messages name nodes, sizes and CUDA calls, never tensor values, so no note text can reach the message built here.

export type RuntimeFaultKind = 'out-of-memory' | 'device-error' | 'fatal-device-error' | 'other';

/**
 * What the owner of a model must do before its next request. 'reopen': dispose it and open it again (its worker
 * thread died). 'restart-process': a sticky CUDA error corrupted the CUDA context, which belongs to the process (a
 * worker thread shares it), so opening the model again in the same process fails or silently lands on the CPU; only
 * a new process can use the GPU again.
 */
export type FaultRecovery = 'none' | 'reopen' | 'restart-process';

export interface RuntimeFault {
  kind: RuntimeFaultKind;
  /** What happened and what to do, in words for the user; for 'other', the original message unchanged. */
  message: string;
  /** ONNX Runtime's own words, shortened (no source paths, host name or call expression). */
  detail: string;
  /** 'restart-process' for a fatal device error, else 'none' (out of memory and other GPU failures leave the session usable). */
  recovery: FaultRecovery;
}

/** `Error.name` for each fault kind as it crosses the worker boundary (GenerationError keeps it). */
export const FAULT_ERROR_NAMES = {
  'out-of-memory': 'OutOfMemoryError',
  'device-error': 'DeviceError',
  'fatal-device-error': 'FatalDeviceError',
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
/**
 * CUDA's sticky errors, by code and by the name cudaGetErrorName prints: the CUDA documentation says of each that
 * the process is left in an inconsistent state, any further CUDA work returns the same error, and "to continue using
 * CUDA, the process must be terminated and relaunched". Every other failure (cuBLAS/cuDNN statuses such as
 * NOT_SUPPORTED or EXECUTION_FAILED, cudaErrorInvalidValue, cudaErrorNoKernelImageForDevice, …) leaves the context
 * usable; when one was caused by a sticky error, the next CUDA call reports the sticky error itself.
 */
const STICKY_CUDA_ERRORS = new Map<number, string>([
  [214, 'cudaErrorECCUncorrectable'],
  [700, 'cudaErrorIllegalAddress'],
  [702, 'cudaErrorLaunchTimeout'],
  [710, 'cudaErrorAssert'],
  [714, 'cudaErrorHardwareStackError'],
  [715, 'cudaErrorIllegalInstruction'],
  [716, 'cudaErrorMisalignedAddress'],
  [717, 'cudaErrorInvalidAddressSpace'],
  [718, 'cudaErrorInvalidPc'],
  [719, 'cudaErrorLaunchFailure'],
]);
const STICKY_CUDA_NAMES = new Set(STICKY_CUDA_ERRORS.values());
/** Library statuses that mean an allocation failed (cudaErrorMemoryAllocation is code 2, "out of memory"). */
const ALLOCATION_STATUS =
  /\b(?:out of memory|cudaErrorMemoryAllocation|CUBLAS_STATUS_ALLOC_FAILED|CUDNN_STATUS_ALLOC_FAILED|CUDNN_STATUS_INTERNAL_ERROR_(?:HOST|DEVICE)_ALLOCATION_FAILED|CUFFT_ALLOC_FAILED|CURAND_STATUS_ALLOCATION_FAILED|CUSPARSE_STATUS_ALLOC_FAILED)\b/;

export function classifyRuntimeError(error: unknown, context: FaultContext): RuntimeFault {
  const original = error instanceof Error ? error.message : String(error);
  const oom = outOfMemory(original);
  if (oom !== undefined) {
    return { kind: 'out-of-memory', message: outOfMemoryMessage(oom, context), detail: oom, recovery: 'none' };
  }
  const device = deviceError(original);
  if (device?.sticky) {
    const message = fatalDeviceErrorMessage(device.detail, context);
    return { kind: 'fatal-device-error', message, detail: device.detail, recovery: 'restart-process' };
  }
  if (device) {
    const message = deviceErrorMessage(device.detail, context);
    return { kind: 'device-error', message, detail: device.detail, recovery: 'none' };
  }
  return { kind: 'other', message: original, detail: shorten(original), recovery: 'none' };
}

/** The fault kind an error's name says it is (after crossing the worker boundary), or undefined. */
export function faultKindOfName(name: string): Exclude<RuntimeFaultKind, 'other'> | undefined {
  for (const [kind, faultName] of Object.entries(FAULT_ERROR_NAMES))
    if (faultName === name) return kind as Exclude<RuntimeFaultKind, 'other'>;
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

function deviceError(message: string): { detail: string; sticky: boolean } | undefined {
  const library = LIBRARY_FAILURE.exec(message);
  if (library) {
    const sticky = library[1] === 'CUDA' && STICKY_CUDA_ERRORS.has(Number(library[2]));
    return { detail: libraryDetail(library), sticky };
  }
  const kernel = KERNEL_ERROR.exec(message);
  if (kernel) return { detail: kernelDetail(kernel), sticky: STICKY_CUDA_NAMES.has(kernel[1] ?? '') };
  // older releases name the call but not the error, so it cannot be told sticky; a sticky one shows at the next call
  const executing = EXECUTING_ERROR.exec(message);
  if (executing) return { detail: `${executing[1]} error executing ${executing[2]}`, sticky: false };
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
  const advice = 'check the GPU and its driver (nvidia-smi) or run the model on the CPU (executionProvider "cpu")';
  if (during === 'loading')
    return `The GPU reported an error while loading the model (${detail}). If the error repeats, ${advice}.`;
  return (
    `The GPU reported an error while generating (${detail}). The model stays loaded for the next request; ` +
    `if the error repeats, ${advice}.`
  );
}

/** The runtime cannot restart its host process; the program that owns it says how (the language server does). */
function fatalDeviceErrorMessage(detail: string, { during }: FaultContext): string {
  const what = during === 'loading' ? 'loading the model' : 'generating';
  return (
    `The GPU reported a fatal error while ${what} (${detail}). No CUDA work can run in this process any more: ` +
    'start the program again to use the model; if the error repeats, check the GPU and its driver (nvidia-smi).'
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
