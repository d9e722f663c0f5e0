// ONNX messages survive an encode/decode round trip, and half-precision conversion rounds to nearest even.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataType, decodeModel, encodeModel, type ModelProto } from '../src/onnx/onnx-proto.ts';
import { GraphBuilder, attr, bytesOf } from '../src/onnx/graph-builder.ts';
import { floatsToHalf, fromHalf, toHalf } from '../src/onnx/float16.ts';
import { ProtoWriter } from '../src/onnx/protobuf.ts';

test('a model with attributes, a subgraph, inline and external tensors round-trips', () => {
  const body = new GraphBuilder();
  body.input('x', DataType.FLOAT, [2]);
  body.output('y', DataType.FLOAT, [2]);
  body.opTo('Neg', ['x'], ['y']);
  const g = new GraphBuilder();
  g.input('a', DataType.INT64, ['batch', 3]);
  g.output('b', DataType.FLOAT, ['batch', 'sequence', 7]);
  g.weight('w', DataType.FLOAT, [2, 2], bytesOf(Float32Array.from([1, -2, 3.5, 4])));
  g.initializers.push({
    name: 'big',
    dataType: DataType.FLOAT16,
    dims: [1024],
    data: { location: 'model.onnx.data', offset: 64, length: 2048 },
  });
  g.opTo(
    'Custom',
    ['a', 'w'],
    ['b'],
    {
      i: attr.i(-1),
      f: attr.f(0.25),
      ints: attr.ints([0, -2, 3]),
      s: attr.s('héllo'),
      g: attr.g(body.toGraph('body')),
    },
    'com.microsoft',
  );
  const model: ModelProto = {
    irVersion: 8,
    producerName: 'test',
    opsets: { '': 17, 'com.microsoft': 1 },
    graph: g.toGraph('main'),
  };
  assert.deepEqual(decodeModel(encodeModel(model)), model);
});

test('attributes and tensors the runtime does not model are written back byte for byte', () => {
  // a FLOATS attribute (type 6) and an initializer in int64_data (field 7) instead of raw_data
  const floats = new ProtoWriter().string(1, 'scales').float(7, 0.5).float(7, 2).int(20, 6).finish();
  const tensor = new ProtoWriter()
    .packedInts(1, [2])
    .int(2, DataType.INT64)
    .packedInts(7, [3, -4])
    .string(8, 'k')
    .finish();
  const node = new ProtoWriter().string(1, 'x').string(2, 'y').string(4, 'Resize').bytes(5, floats);
  const graph = new ProtoWriter().message(1, node).string(2, 'g').bytes(5, tensor);
  const bytes = new ProtoWriter()
    .int(1, 8)
    .message(7, graph)
    .message(8, new ProtoWriter().string(1, '').int(2, 17))
    .finish();
  const model = decodeModel(bytes);
  assert.deepEqual(model.graph.nodes[0]?.attributes.scales, { kind: 'raw', bytes: floats });
  assert.deepEqual(model.graph.initializers[0]?.encoded, tensor);
  assert.deepEqual(decodeModel(encodeModel(model)), model);
});

test('bytes that are not protobuf are a RangeError', () => {
  assert.throws(() => decodeModel(new TextEncoder().encode('not a model at all')), RangeError);
});

test('half precision: exact values, rounding to nearest even, overflow and subnormals', () => {
  assert.deepEqual([1, -2, 0.5, 65504, 0].map(toHalf), [0x3c00, 0xc000, 0x3800, 0x7bff, 0]);
  assert.equal(toHalf(1 + 2 ** -11), 0x3c00, 'a tie rounds to even');
  assert.equal(toHalf(1 + 3 * 2 ** -11), 0x3c02, 'a tie rounds to even (up)');
  assert.equal(toHalf(70000), 0x7c00, 'overflow is infinity');
  assert.equal(fromHalf(toHalf(2 ** -20)), 2 ** -20, 'subnormal');
  assert.equal(fromHalf(0xfbff), -65504);
});

test('the array conversion rounds exactly like the scalar one, at every edge', () => {
  const edges = [
    0,
    -0,
    1,
    1 + 2 ** -11,
    1 + 3 * 2 ** -11,
    65504,
    65519,
    65520,
    70000,
    2 ** -14,
    2 ** -15,
    2 ** -24,
    2 ** -26,
    6.1e-5,
    NaN,
    Infinity,
    -Infinity,
    -2.5,
  ];
  const values = Float32Array.from([
    ...edges,
    ...Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 10 ** ((i % 12) - 6)),
  ]);
  assert.deepEqual(
    Array.from(floatsToHalf(values)),
    Array.from(values, (v) => toHalf(v)),
  );
});
