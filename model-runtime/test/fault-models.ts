// Model folders that make ONNX Runtime itself fail in the middle of generation, for the fault tests. No GPU is
// needed: the extra nodes ask ONNX Runtime's CPU allocator for more memory than any machine has, so the failure
// and its message are ONNX Runtime's own, not a stand-in.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { attr, GraphBuilder } from '../src/onnx/graph-builder.ts';
import { DataType, decodeModel, encodeModel } from '../src/onnx/onnx-proto.ts';

/** Floats requested once the sequence is long enough: 2^48 × 4 bytes = 1 PiB. */
export const FAULT_ELEMENTS = 2 ** 48;
/** How ONNX Runtime's arena reports that request: bfc_arena.cc, "requested buffer of size" in bytes. */
export const FAULT_BYTES = FAULT_ELEMENTS * 4;

/**
 * Rewrites the graph of a model folder (either layout) so that every run whose total sequence (past + new tokens,
 * the attention mask's length) reaches `atLength` fails: a ConstantOfShape node then requests 1 PiB, and
 * ONNX Runtime's CPU arena answers "Failed to allocate memory for requested buffer of size 1125899906842624".
 * Shorter runs get a one-element tensor and logits equal to the unchanged model's.
 */
export function injectAllocationFault(modelDir: string, atLength: number, graphFile = 'model.onnx'): void {
  const path = join(modelDir, graphFile);
  const model = decodeModel(readFileSync(path));
  const inner = 'logits_before_fault';
  const nodes = model.graph.nodes.map((n) =>
    n.outputs.includes('logits') ? { ...n, outputs: n.outputs.map((o) => (o === 'logits' ? inner : o)) } : n,
  );
  const g = new GraphBuilder(undefined, 'fault_');
  const total = g.op('Gather', [g.op('Shape', ['attention_mask']), g.i64([1], [])], { axis: attr.i(0) });
  const reached = g.op('Cast', [g.op('GreaterOrEqual', [total, g.i64([atLength], [])])], {
    to: attr.i(DataType.INT64),
  });
  // 1 element below the threshold, FAULT_ELEMENTS at or above it
  const count = g.op('Add', [g.i64([1], []), g.op('Mul', [reached, g.i64([FAULT_ELEMENTS - 1], [])])]);
  const zeros = g.op('ConstantOfShape', [g.op('Unsqueeze', [count, g.i64([0])])]);
  // consumed by the logits (adding 0), so no optimizer can drop the allocation
  g.opTo('Add', [inner, g.op('ReduceMax', [zeros], { keepdims: attr.i(0) })], ['logits']);
  writeFileSync(
    path,
    encodeModel({
      ...model,
      graph: {
        ...model.graph,
        nodes: [...nodes, ...g.nodes],
        initializers: [...model.graph.initializers, ...g.initializers],
      },
    }),
  );
}
