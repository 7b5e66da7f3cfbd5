// Types of onnx.mjs (the agreement test imports it from TypeScript).

/** ONNX element types the bench uses. */
export declare const DataType: { FLOAT: 1; INT32: 6; INT64: 7 };

/** An ONNX TensorProto as protobufjs encodes it. */
export interface OnnxTensor {
  name: string;
  dims: number[];
  data_type: number;
  raw_data: Uint8Array;
}

/** An ONNX NodeProto as protobufjs encodes it. */
export interface OnnxNode {
  op_type: string;
  input: string[];
  output: string[];
  attribute: unknown[];
}

/** A graph input or output: name, dims and element type (float by default). */
export interface OnnxValue {
  name: string;
  dims: number[];
  type?: number;
}

/** An initializer (constant tensor) named `name`, little-endian raw data. */
export declare function tensor(
  name: string,
  dims: number[],
  data: Float32Array | Int32Array | BigInt64Array,
): OnnxTensor;

/** A node: `attrs` values are ints, floats, strings or arrays of ints/floats. */
export declare function node(
  opType: string,
  inputs: string[],
  outputs: string[],
  attrs?: Record<string, number | string | number[]>,
): OnnxNode;

/** A model's bytes (opset 17). */
export declare function model(spec: {
  inputs: OnnxValue[];
  outputs: OnnxValue[];
  nodes: OnnxNode[];
  initializers?: OnnxTensor[];
  name?: string;
}): Uint8Array;
