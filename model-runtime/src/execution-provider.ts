// Creates an onnxruntime-node session on the chosen execution provider. `executionProviders: ['cuda', 'cpu']`
// does not fall back by itself (it fails when CUDA cannot load), so CUDA is tried alone and, on failure, the
// session is created again on CPU with a message naming what is missing.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ort from 'onnxruntime-node';
import { classifyRuntimeError } from './runtime-errors.ts';

export type ExecutionProviderSetting = 'auto' | 'cuda' | 'cpu';

export interface SessionSettings {
  executionProvider?: ExecutionProviderSetting;
  /** Intra-op threads on CPU; defaults to onnxruntime's choice (all cores). */
  threads?: number;
}

export interface OpenedSession {
  session: ort.InferenceSession;
  provider: 'cuda' | 'cpu';
  /** Why CUDA is not in use when it was asked for (or, for auto, available to try); undefined otherwise. */
  fallbackMessage?: string;
}

/** Libraries the CUDA 13 provider build of ONNX Runtime 1.29 needs at load time (from `ldd`). */
export const CUDA_LIBRARIES = [
  'libcudart.so.13',
  'libcublas.so.13',
  'libcublasLt.so.13',
  'libcurand.so.10',
  'libcufft.so.12',
] as const;
const PROVIDER_FILES = ['libonnxruntime_providers_shared.so', 'libonnxruntime_providers_cuda.so'] as const;
const SYSTEM_LIBRARY_DIRS = [
  '/usr/lib/x86_64-linux-gnu',
  '/usr/lib64',
  '/usr/local/cuda/lib64',
  '/usr/local/cuda-13.0/targets/x86_64-linux/lib',
];

/**
 * This module's file, for resolving packages from it: import.meta.url in an ES module; in a CommonJS bundle
 * (esbuild empties import.meta there, so its url is undefined) __filename, the bundle's path. Not __filename first:
 * code evaluated in a worker (tsx in the tests) has one, "[worker eval]", that is no path.
 */
const thisModule = (import.meta.url as string | undefined) ?? __filename;

export function onnxruntimeBinaryDir(): string {
  const entry = createRequire(thisModule).resolve('onnxruntime-node');
  return join(dirname(entry), '..', 'bin', 'napi-v6', process.platform, process.arch);
}

export interface CudaEnvironment {
  binaryDir: string;
  libraryDirs: readonly string[];
  exists: (path: string) => boolean;
}

export function currentCudaEnvironment(): CudaEnvironment {
  const fromEnv = (process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean);
  return { binaryDir: onnxruntimeBinaryDir(), libraryDirs: [...fromEnv, ...SYSTEM_LIBRARY_DIRS], exists: existsSync };
}

/** Names what stops the CUDA provider from loading, or undefined when every file it needs is found. */
export function diagnoseCuda(env: CudaEnvironment): string | undefined {
  const missingProviders = PROVIDER_FILES.filter((f) => !env.exists(join(env.binaryDir, f)));
  if (missingProviders.length > 0) {
    return (
      `the CUDA execution provider is not installed: ${missingProviders.join(', ')} missing in ${env.binaryDir}. ` +
      'Copy them there from com.github.asus4.onnxruntime.linux-x64-gpu@0.4.9 (ONNX Runtime 1.29.0 for CUDA 13), see model-runtime/README.md'
    );
  }
  const missingLibs = CUDA_LIBRARIES.filter((lib) => !env.libraryDirs.some((d) => env.exists(join(d, lib))));
  if (missingLibs.length > 0) {
    return `CUDA 13 libraries not found: ${missingLibs.join(', ')}; install the CUDA 13 toolkit or add its lib folder to LD_LIBRARY_PATH`;
  }
  return undefined;
}

function cpuOptions(settings: SessionSettings): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    ...(settings.threads ? { intraOpNumThreads: settings.threads } : {}),
  };
}

export async function openSession(
  modelPath: string,
  settings: SessionSettings = {},
  env: CudaEnvironment = currentCudaEnvironment(),
): Promise<OpenedSession> {
  const wanted = settings.executionProvider ?? 'auto';
  if (wanted === 'cpu')
    return { session: await ort.InferenceSession.create(modelPath, cpuOptions(settings)), provider: 'cpu' };
  const diagnosis = diagnoseCuda(env);
  if (wanted === 'auto' && diagnosis) {
    return {
      session: await ort.InferenceSession.create(modelPath, cpuOptions(settings)),
      provider: 'cpu',
      fallbackMessage: `using CPU: ${diagnosis}`,
    };
  }
  try {
    const session = await ort.InferenceSession.create(modelPath, {
      executionProviders: [{ name: 'cuda', deviceId: 0 }],
      graphOptimizationLevel: 'all',
      // the failure is reported once, as fallbackMessage, not as onnxruntime's log lines on stderr
      logSeverityLevel: 4,
    });
    return { session, provider: 'cuda' };
  } catch (error) {
    const reason = diagnosis ?? cudaStartFailure(error);
    const session = await ort.InferenceSession.create(modelPath, cpuOptions(settings));
    return { session, provider: 'cpu', fallbackMessage: `CUDA unavailable, running on CPU: ${reason}` };
  }
}

/** Why a CUDA session could not be created, when every file it needs is present. */
function cudaStartFailure(error: unknown): string {
  const fault = classifyRuntimeError(error, { provider: 'cuda', during: 'loading' });
  if (fault.kind === 'out-of-memory')
    return `the GPU has too little free memory for this model (${fault.detail}); close other programs that use the GPU (nvidia-smi lists them) or use an int4 model`;
  const detail = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
  return `the CUDA provider failed to start (${detail}); check that an NVIDIA GPU and driver 580+ are present (nvidia-smi) and that the provider files are from ONNX Runtime ${ort.env.versions.node ?? '1.29.0'}, the version of onnxruntime-node`;
}
