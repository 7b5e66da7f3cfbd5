// ONNX graphs built in code: the part of onnx.proto a model file needs (field numbers as in
// onnx/onnx.proto, IR version 8), encoded with protobufjs. The bench uses it to give
// onnxruntime-web the same graphs and weights as the tfjs contenders.
import protobuf from 'protobufjs';

const SCHEMA = `
syntax = "proto3";
package onnx;
message AttributeProto {
  enum AttributeType { UNDEFINED = 0; FLOAT = 1; INT = 2; STRING = 3; TENSOR = 4; GRAPH = 5;
    FLOATS = 6; INTS = 7; STRINGS = 8; }
  string name = 1;
  AttributeType type = 20;
  float f = 2;
  int64 i = 3;
  bytes s = 4;
  TensorProto t = 5;
  repeated float floats = 7;
  repeated int64 ints = 8;
  repeated bytes strings = 9;
}
message ValueInfoProto { string name = 1; TypeProto type = 2; }
message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  string name = 3;
  string op_type = 4;
  repeated AttributeProto attribute = 5;
  string domain = 7;
}
message ModelProto {
  int64 ir_version = 1;
  string producer_name = 2;
  GraphProto graph = 7;
  repeated OperatorSetIdProto opset_import = 8;
}
message GraphProto {
  repeated NodeProto node = 1;
  string name = 2;
  repeated TensorProto initializer = 5;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
}
message TensorProto {
  repeated int64 dims = 1;
  int32 data_type = 2;
  string name = 8;
  bytes raw_data = 9;
}
message TensorShapeProto {
  message Dimension { int64 dim_value = 1; string dim_param = 2; }
  repeated Dimension dim = 1;
}
message TypeProto {
  message Tensor { int32 elem_type = 1; TensorShapeProto shape = 2; }
  Tensor tensor_type = 1;
}
message OperatorSetIdProto { string domain = 1; int64 version = 2; }
`;

const root = protobuf.parse(SCHEMA, { keepCase: true }).root;
const ModelProto = root.lookupType('onnx.ModelProto');
const AttributeType = root.lookupEnum('onnx.AttributeProto.AttributeType').values;

/** ONNX element types the bench uses. */
export const DataType = { FLOAT: 1, INT32: 6, INT64: 7 };

const typeOf = (data) =>
  data instanceof Float32Array
    ? DataType.FLOAT
    : data instanceof Int32Array
      ? DataType.INT32
      : data instanceof BigInt64Array
        ? DataType.INT64
        : undefined;

/** An initializer (constant tensor) named `name`, little-endian raw data. */
export function tensor(name, dims, data) {
  const dataType = typeOf(data);
  if (dataType === undefined)
    throw new Error(`onnx.tensor ${name}: data must be a Float32Array, Int32Array or BigInt64Array`);
  const count = dims.reduce((a, b) => a * b, 1);
  if (count !== data.length)
    throw new Error(`onnx.tensor ${name}: dims [${dims}] hold ${count} values, got ${data.length}`);
  return {
    name,
    dims,
    data_type: dataType,
    raw_data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  };
}

function attribute(name, v) {
  if (typeof v === 'number' && Number.isInteger(v)) return { name, type: AttributeType.INT, i: v };
  if (typeof v === 'number') return { name, type: AttributeType.FLOAT, f: v };
  if (typeof v === 'string') return { name, type: AttributeType.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v) && v.every(Number.isInteger)) return { name, type: AttributeType.INTS, ints: v };
  if (Array.isArray(v)) return { name, type: AttributeType.FLOATS, floats: v };
  throw new Error(`onnx attribute ${name}: unsupported value ${v}`);
}

/** A node: `attrs` values are ints, floats, strings or arrays of ints/floats. */
export function node(opType, inputs, outputs, attrs = {}) {
  return {
    op_type: opType,
    input: inputs,
    output: outputs,
    attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
  };
}

const valueInfo = ({ name, dims, type = DataType.FLOAT }) => ({
  name,
  type: { tensor_type: { elem_type: type, shape: { dim: dims.map((d) => ({ dim_value: d })) } } },
});

/**
 * A model's bytes: `inputs` / `outputs` are `{ name, dims, type? }` (type defaults to float),
 * `nodes` from {@link node}, `initializers` from {@link tensor}. Opset 17 (LSTM, GRU, Gemm, …).
 */
export function model({ inputs, outputs, nodes, initializers = [], name = 'bench' }) {
  const msg = {
    ir_version: 8,
    producer_name: 'lanes-bench',
    opset_import: [{ domain: '', version: 17 }],
    graph: {
      name,
      node: nodes,
      initializer: initializers,
      input: inputs.map(valueInfo),
      output: outputs.map(valueInfo),
    },
  };
  const err = ModelProto.verify(msg);
  if (err) throw new Error(`onnx.model: ${err}`);
  return ModelProto.encode(ModelProto.create(msg)).finish();
}
