// ONNX Runtime's failures, as it words them, sorted into out-of-memory, device error (the session stays usable),
// fatal device error (a sticky CUDA error: only a new process can use the GPU) and other, each with a message that
// says what to do. Every input below is a real ONNX Runtime message: the first was produced on this machine by
// onnxruntime-node 1.29.0 (the fault model in fault-models.ts); the others are quoted from public bug reports
// (source in each case's `from`), or assembled from the format string in ONNX Runtime's source where no report
// quotes that case (`from` names the file).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classifyRuntimeError, faultKindOfName, formatBytes, type RuntimeFaultKind } from '../src/runtime-errors.ts';

interface Case {
  from: string;
  message: string;
  kind: RuntimeFaultKind;
  detail: string;
}

const CASES: Case[] = [
  {
    from: 'onnxruntime-node 1.29.0 on this machine, CPU arena (bfc_arena.cc)',
    message:
      "Non-zero status code returned while running ConstantOfShape node. Name:'fault_node_ConstantOfShape_19' Status Message: /onnxruntime_src/onnxruntime/core/framework/bfc_arena.cc:359 void* onnxruntime::BFCArena::AllocateRawInternal(size_t, bool, onnxruntime::Stream*) Failed to allocate memory for requested buffer of size 1125899906842624\n",
    kind: 'out-of-memory',
    detail: 'ONNX Runtime could not allocate 1.00 PiB',
  },
  {
    from: 'microsoft/onnxruntime#9939, CUDA arena on a 16 GB V100',
    message:
      "[ONNXRuntimeError] : 6 : RUNTIME_EXCEPTION : Non-zero status code returned while running FusedMatMul node. Name:'MatMul_92_FusedMatMulAndScale' Status Message: /onnxruntime_src/onnxruntime/core/framework/bfc_arena.cc:331 void* onnxruntime::BFCArena::AllocateRawInternal(size_t, bool) Failed to allocate memory for requested buffer of size 8388608000",
    kind: 'out-of-memory',
    detail: 'ONNX Runtime could not allocate 7.81 GiB',
  },
  {
    from: 'bfc_arena.cc BFCArena::Extend, gpu_mem_limit reached',
    message:
      "Non-zero status code returned while running MatMul node. Name:'/model/layers.31/mlp/down_proj/MatMul' Status Message: Available memory of 2147483648 is smaller than requested bytes of 4294967296",
    kind: 'out-of-memory',
    detail: 'ONNX Runtime could not allocate 4.00 GiB',
  },
  {
    from: 'hacksider/Deep-Live-Cam#584, cuda_call.cc with file and line',
    message:
      'D:\\a\\_work\\1\\s\\onnxruntime\\core\\providers\\cuda\\cuda_call.cc:121 onnxruntime::CudaCall D:\\a\\_work\\1\\s\\onnxruntime\\core\\providers\\cuda\\cuda_call.cc:114 onnxruntime::CudaCall CUDA failure 2: out of memory ; GPU=0 ; hostname=DESKTOP-QUBEI ; file=D:\\a\\_work\\1\\s\\onnxruntime\\core\\providers\\cuda\\cuda_stream_handle.cc ; line=175 ; expr=cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking); ',
    kind: 'out-of-memory',
    detail: 'CUDA failure 2: out of memory',
  },
  {
    from: 'hacksider/Deep-Live-Cam#645, cuBLAS handle creation',
    message:
      "[ONNXRuntimeError] : 6 : RUNTIME_EXCEPTION : Non-zero status code returned while running Gemm node. Name:'fc1' Status Message: D:\\a\\_work\\1\\s\\onnxruntime\\core\\providers\\cuda\\cuda_call.cc:121 onnxruntime::CudaCall D:\\a\\_work\\1\\s\\onnxruntime\\core\\providers\\cuda\\cuda_call.cc:114 onnxruntime::CudaCall CUBLAS failure 3: CUBLAS_STATUS_ALLOC_FAILED ; GPU=0 ; hostname=TOBI ; file=D:\\a\\_work\\1\\s\\onnxruntime\\core\\providers\\cuda\\cuda_execution_provider.cc ; line=168 ; expr=cublasCreate(&cublas_handle_);",
    kind: 'out-of-memory',
    detail: 'CUBLAS failure 3: CUBLAS_STATUS_ALLOC_FAILED',
  },
  {
    from: 'cuda_kernel.h CudaKernel::Compute: "CUDA error " + cudaGetErrorName + ":" + cudaGetErrorString',
    message:
      "Non-zero status code returned while running GroupQueryAttention node. Name:'/model/layers.0/attn/GroupQueryAttention' Status Message: CUDA error cudaErrorMemoryAllocation:out of memory",
    kind: 'out-of-memory',
    detail: 'CUDA error cudaErrorMemoryAllocation: out of memory',
  },
  {
    from: 'pykeio/ort#321, a sticky error on a host-to-device copy',
    message:
      'CUDA failure 700: an illegal memory access was encountered ; GPU=0 ; hostname=10cb601a4a05 ; file=/home/runner/work/ort-artifacts-staging/ort-artifacts-staging/onnxruntime/onnxruntime/core/providers/cuda/gpu_data_transfer.cc ; line=63 ; expr=cudaMemcpyAsync(dst_data, src_data, bytes, cudaMemcpyHostToDevice, static_cast<cudaStream_t>(stream.GetHandle())); ',
    kind: 'fatal-device-error',
    detail: 'CUDA failure 700: an illegal memory access was encountered',
  },
  {
    from: 'C0untFloyd/roop-unleashed#32, driver reset during a run',
    message:
      '[ONNXRuntimeError] : 1 : FAIL : CUDA failure 719: unspecified launch failure ; GPU=0 ; hostname=BALYN-OMAVEL ; file=D:\\a\\_work\\1\\s\\onnxruntime\\core\\providers\\cuda\\gpu_data_transfer.cc ; line=73 ; expr=cudaMemcpyAsync(dst_data, src_data, bytes, cudaMemcpyDeviceToHost, static_cast<cudaStream_t>(stream.GetHandle()));',
    kind: 'fatal-device-error',
    detail: 'CUDA failure 719: unspecified launch failure',
  },
  {
    from: 'cuda_kernel.h CudaKernel::Compute after a kernel fault',
    message:
      "Non-zero status code returned while running MatMulNBits node. Name:'/model/layers.3/attn/qkv_proj/MatMul_Q4' Status Message: CUDA error cudaErrorIllegalAddress:an illegal memory access was encountered",
    kind: 'fatal-device-error',
    detail: 'CUDA error cudaErrorIllegalAddress: an illegal memory access was encountered',
  },
  {
    from: 'microsoft/onnxruntime#23497, cuDNN 9 execution failure',
    message:
      "Non-zero status code returned while running Conv node. Name:'/feature_aggregator/backbone/conv1/Conv'Status Message: \nCUDNN failure 5000: CUDNN_STATUS_EXECUTION_FAILED ; \nGPU=0 ; \nhostname=DESK-SFWff ; file=D:\\a\\_work\\1\\s\\onnxruntime\\core\\providers\\cuda\\nn\\conv.cc ; \nline=493 ; \nexpr=cudnnAddTensor(cudnn_handle, &alpha, s_.b_tensor, s_.b_data, &alpha, s_.y_tensor, s_.y_data);",
    kind: 'device-error',
    detail: 'CUDNN failure 5000: CUDNN_STATUS_EXECUTION_FAILED',
  },
  {
    from: 'microsoft/onnxruntime#4008, CUDA_RETURN_IF_ERROR of older releases',
    message:
      '[ONNXRuntimeError] : 1 : FAIL : CUDA error executing cudaMemcpy(dst_data, src_data, bytes, cudaMemcpyDeviceToHost)',
    kind: 'device-error',
    detail: 'CUDA error executing cudaMemcpy',
  },
  {
    from: 'microsoft/onnxruntime#6986, cuda_call.cc of releases without file and line',
    message:
      '2021-03-11 22:40:16.3466051 [E:onnxruntime:Evaluation, cuda_call.cc:119 onnxruntime::CudaCall] CUDA failure 719: unspecified launch failure ; GPU=0 ; hostname=XXXX ; expr=cudaMemcpyAsync(dst_data, src_data, bytes, cudaMemcpyDeviceToHost, GetStream(kCudaStreamDefault));',
    kind: 'fatal-device-error',
    detail: 'CUDA failure 719: unspecified launch failure',
  },
  {
    from: 'C0untFloyd/roop-unleashed#995, a cuBLAS execution failure (a sticky cause would show at the next CUDA call)',
    message:
      "Non-zero status code returned while running Gemm node. Name:'Gemm_568' Status Message: CUBLAS failure 13: CUBLAS_STATUS_EXECUTION_FAILED ; GPU=0 ; hostname=LED-PC ; file=D:\\a\\_work\\1\\s\\onnxruntime\\core\\providers\\cuda\\math\\gemm.cc ; line=121 ; expr=cublasGemmHelper( GetCublasHandle(ctx), CUBLAS_OP_N, CUBLAS_OP_N, N, M, 1, &one, b_data, N, GetConstOnes<CudaT>(M, Stream(ctx)), 1, &zero, out_data, N, device_prop);",
    kind: 'device-error',
    detail: 'CUBLAS failure 13: CUBLAS_STATUS_EXECUTION_FAILED',
  },
  {
    from: 'microsoft/onnxruntime#2386, cuBLAS not initialized while creating the session',
    message:
      'Exception during initialization: /onnxruntime_src/onnxruntime/core/providers/cuda/cuda_call.cc:97 bool onnxruntime::CudaCall(ERRTYPE, const char*, const char*, ERRTYPE, const char*) [with ERRTYPE = cublasStatus_t; bool THRW = true] /onnxruntime_src/onnxruntime/core/providers/cuda/cuda_call.cc:91 bool onnxruntime::CudaCall(ERRTYPE, const char*, const char*, ERRTYPE, const char*) [with ERRTYPE = cublasStatus_t; bool THRW = true] CUBLAS failure 1: CUBLAS_STATUS_NOT_INITIALIZED ; GPU=0 ; hostname=atlas-FIAI ; expr=cublasCreate(&cublas_handle_);',
    kind: 'device-error',
    detail: 'CUBLAS failure 1: CUBLAS_STATUS_NOT_INITIALIZED',
  },
  {
    from: 'KlingAIResearch/LivePortrait#294, a GPU the provider build has no kernels for',
    message:
      "[ONNXRuntimeError] : 1 : FAIL : Non-zero status code returned while running Add node. Name:'Add_15' Status Message: CUDA error cudaErrorNoKernelImageForDevice:no kernel image is available for execution on the device",
    kind: 'device-error',
    detail: 'CUDA error cudaErrorNoKernelImageForDevice: no kernel image is available for execution on the device',
  },
  {
    from: 'cuda_call.cc format with cuBLAS status 15 (cublas_api.h), e.g. a GEMM type the GPU lacks',
    message:
      "Non-zero status code returned while running MatMul node. Name:'/model/layers.0/mlp/up_proj/MatMul' Status Message: CUBLAS failure 15: CUBLAS_STATUS_NOT_SUPPORTED ; GPU=0 ; hostname=gpu01 ; file=/onnxruntime_src/onnxruntime/core/providers/cuda/math/matmul.cc ; line=317 ; expr=cublasGemmStridedBatchedHelper(...); ",
    kind: 'device-error',
    detail: 'CUBLAS failure 15: CUBLAS_STATUS_NOT_SUPPORTED',
  },
  {
    from: 'cuda_call.cc format with cudaErrorInvalidValue (1), "invalid argument"',
    message:
      'CUDA failure 1: invalid argument ; GPU=0 ; hostname=gpu01 ; file=/onnxruntime_src/onnxruntime/core/providers/cuda/gpu_data_transfer.cc ; line=63 ; expr=cudaMemcpyAsync(dst_data, src_data, bytes, cudaMemcpyHostToDevice, static_cast<cudaStream_t>(stream.GetHandle())); ',
    kind: 'device-error',
    detail: 'CUDA failure 1: invalid argument',
  },
  {
    from: 'onnxruntime input validation (inference_session.cc), not a device fault',
    message:
      'Got invalid dimensions for input: past_key_values.0.key for the following indices\n index: 1 Got: 4 Expected: 2\n Please fix either the inputs/outputs or the model.',
    kind: 'other',
    detail: 'Got invalid dimensions for input: past_key_values.0.key for the following indices',
  },
];

describe('classifyRuntimeError', () => {
  for (const c of CASES) {
    test(`${c.kind}: ${c.from}`, () => {
      const fault = classifyRuntimeError(new Error(c.message), { provider: 'cuda', during: 'generating' });
      assert.equal(fault.kind, c.kind);
      assert.equal(fault.detail, c.detail);
      assert.equal(fault.recovery, c.kind === 'fatal-device-error' ? 'restart-process' : 'none');
      if (c.kind === 'other') assert.equal(fault.message, c.message);
      else {
        assert.ok(fault.message.includes(`(${c.detail})`), fault.message);
        // ONNX Runtime's source paths, the host name and the failing call stay out of what the user reads
        assert.doesNotMatch(fault.message, /hostname|onnxruntime_src|\\_work|expr=|\.cc\b/);
      }
    });
  }

  test('GPU out of memory while generating: what to change, including running on the CPU', () => {
    const fault = classifyRuntimeError(new Error(CASES[1]?.message), { provider: 'cuda', during: 'generating' });
    assert.equal(
      fault.message,
      'The GPU ran out of memory while generating (ONNX Runtime could not allocate 7.81 GiB). To fix it: lower the ' +
        'maximum new tokens or shorten the note, use an int4 model, close other programs that use the GPU ' +
        '(nvidia-smi lists them), or run the model on the CPU (executionProvider "cpu").',
    );
  });

  test('CPU out of memory while generating: no GPU advice', () => {
    const fault = classifyRuntimeError(new Error(CASES[0]?.message), { provider: 'cpu', during: 'generating' });
    assert.equal(
      fault.message,
      'The computer ran out of memory while generating (ONNX Runtime could not allocate 1.00 PiB). To fix it: ' +
        'lower the maximum new tokens or shorten the note, use an int4 model, or close other programs to free memory.',
    );
  });

  test('out of memory while loading: a smaller model, not fewer tokens', () => {
    const fault = classifyRuntimeError(new Error('std::bad_alloc'), { during: 'loading' });
    assert.equal(fault.kind, 'out-of-memory');
    assert.match(fault.message, /^The computer or GPU ran out of memory while loading the model \(.*bad_alloc\)/);
    assert.match(fault.message, /use a smaller or an int4 model/);
    assert.doesNotMatch(fault.message, /maximum new tokens/);
  });

  test('a fatal device error while generating: no CUDA work in this process any more, start it again', () => {
    const fault = classifyRuntimeError(new Error(CASES[6]?.message), { provider: 'cuda', during: 'generating' });
    assert.equal(
      fault.message,
      'The GPU reported a fatal error while generating (CUDA failure 700: an illegal memory access was encountered). ' +
        'No CUDA work can run in this process any more: start the program again to use the model; if the error ' +
        'repeats, check the GPU and its driver (nvidia-smi).',
    );
  });

  test('a fatal device error while loading says loading, and asks for a new process all the same', () => {
    const fault = classifyRuntimeError(new Error(CASES[7]?.message), { during: 'loading' });
    assert.equal(fault.recovery, 'restart-process');
    assert.match(
      fault.message,
      /^The GPU reported a fatal error while loading the model \(CUDA failure 719: unspecified launch failure\)\. No CUDA work/,
    );
  });

  test('a device error that leaves the session usable says it stays loaded, never that it is loaded again', () => {
    const message = CASES.find((c) => c.detail.startsWith('CUBLAS failure 15'))?.message;
    const fault = classifyRuntimeError(new Error(message), { provider: 'cuda', during: 'generating' });
    assert.equal(
      fault.message,
      'The GPU reported an error while generating (CUBLAS failure 15: CUBLAS_STATUS_NOT_SUPPORTED). The model stays ' +
        'loaded for the next request; if the error repeats, check the GPU and its driver (nvidia-smi) or run the ' +
        'model on the CPU (executionProvider "cpu").',
    );
  });

  test('a device error while loading speaks of loading, not of a loaded model', () => {
    const message = CASES.find((c) => c.detail.startsWith('CUBLAS failure 1:'))?.message;
    const fault = classifyRuntimeError(new Error(message), { during: 'loading' });
    assert.equal(
      fault.message,
      'The GPU reported an error while loading the model (CUBLAS failure 1: CUBLAS_STATUS_NOT_INITIALIZED). If the ' +
        'error repeats, check the GPU and its driver (nvidia-smi) or run the model on the CPU (executionProvider "cpu").',
    );
    assert.doesNotMatch(fault.message, /loaded again|stays loaded/);
  });

  test('a value that is not an Error is classified by its text', () => {
    assert.equal(classifyRuntimeError('std::bad_alloc', { during: 'generating' }).kind, 'out-of-memory');
    assert.equal(classifyRuntimeError(42, { during: 'generating' }).kind, 'other');
  });
});

/**
 * CUDA's sticky errors as cudaGetErrorString and cudaGetErrorName give them (CUDA Runtime API, enum cudaError), each
 * written in ONNX Runtime's two formats: cuda_call.cc ("CUDA failure <code>: <string> ; GPU=…") and cuda_kernel.h
 * ("CUDA error <name>:<string>").
 */
const STICKY: Array<[number, string, string]> = [
  [214, 'cudaErrorECCUncorrectable', 'uncorrectable ECC error encountered'],
  [700, 'cudaErrorIllegalAddress', 'an illegal memory access was encountered'],
  [702, 'cudaErrorLaunchTimeout', 'the launch timed out and was terminated'],
  [710, 'cudaErrorAssert', 'device-side assert triggered'],
  [714, 'cudaErrorHardwareStackError', 'hardware stack error'],
  [715, 'cudaErrorIllegalInstruction', 'an illegal instruction was encountered'],
  [716, 'cudaErrorMisalignedAddress', 'misaligned address'],
  [717, 'cudaErrorInvalidAddressSpace', 'operation not supported on global/shared address space'],
  [718, 'cudaErrorInvalidPc', 'invalid program counter'],
  [719, 'cudaErrorLaunchFailure', 'unspecified launch failure'],
];
/** Neighbours and common failures that leave the CUDA context usable. */
const NOT_STICKY: Array<[number, string, string]> = [
  [1, 'cudaErrorInvalidValue', 'invalid argument'],
  [209, 'cudaErrorNoKernelImageForDevice', 'no kernel image is available for execution on the device'],
  [701, 'cudaErrorLaunchOutOfResources', 'too many resources requested for launch'],
  [801, 'cudaErrorNotSupported', 'operation not supported'],
];
const callFailure = (code: number, text: string) =>
  `CUDA failure ${code}: ${text} ; GPU=0 ; hostname=gpu01 ; file=/onnxruntime_src/onnxruntime/core/providers/cuda/gpu_data_transfer.cc ; line=63 ; expr=cudaMemcpyAsync(dst_data, src_data, bytes, cudaMemcpyDeviceToHost, static_cast<cudaStream_t>(stream.GetHandle())); `;
const kernelError = (name: string, text: string) =>
  `Non-zero status code returned while running MatMul node. Name:'/model/layers.1/attn/o_proj/MatMul' Status Message: CUDA error ${name}:${text}`;

describe('which CUDA errors need a new process', () => {
  for (const [code, name, text] of STICKY) {
    test(`${code} ${name}: fatal, by code and by name`, () => {
      for (const message of [callFailure(code, text), kernelError(name, text)]) {
        const fault = classifyRuntimeError(new Error(message), { provider: 'cuda', during: 'generating' });
        assert.deepEqual([fault.kind, fault.recovery], ['fatal-device-error', 'restart-process'], message);
      }
    });
  }
  for (const [code, name, text] of NOT_STICKY) {
    test(`${code} ${name}: a device error the session survives`, () => {
      for (const message of [callFailure(code, text), kernelError(name, text)]) {
        const fault = classifyRuntimeError(new Error(message), { provider: 'cuda', during: 'generating' });
        assert.deepEqual([fault.kind, fault.recovery], ['device-error', 'none'], message);
      }
    });
  }
});

test('fault names cross the worker boundary both ways', () => {
  assert.equal(faultKindOfName('OutOfMemoryError'), 'out-of-memory');
  assert.equal(faultKindOfName('DeviceError'), 'device-error');
  assert.equal(faultKindOfName('FatalDeviceError'), 'fatal-device-error');
  assert.equal(faultKindOfName('ContextLengthError'), undefined);
});

test('formatBytes uses binary units with three significant digits', () => {
  assert.deepEqual([512, 1536, 8388608000, 2 ** 50].map(formatBytes), [
    '512 bytes',
    '1.50 KiB',
    '7.81 GiB',
    '1.00 PiB',
  ]);
});
