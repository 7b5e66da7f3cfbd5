// Where tfjs-backend-cpu disagrees with float64 and 'lanes' does not: each defect, what cpu gives
// and what float64 (and Lanes) give. The property tests attribute every cpu disagreement to one of
// these (prop_harness.ts); cpu_defects.test.ts asserts each with its smallest example.

/** The listed defects of tfjs-backend-cpu 4.22, each with its evidence. */
export const CPU_DEFECTS = {
  emptyReduction:
    'max / min / mean / logSumExp / all over an axis of size 0: cpu reads past the run (NaN) for max, min and ' +
    'logSumExp, gives 0 for mean and false for all; float64 (TensorFlow) gives -Inf, +Inf, NaN (0 / 0), -Inf and true',
  cumulativeNegativeAxis:
    'cumsum / cumprod with a negative axis: cpu returns a malformed tensor (x [2,3], axis -1 gives shape ' +
    '[undefined, 2] and no values; a rank-1 x gives shape []); float64 keeps the shape of x',
  matMulBroadcastBatch:
    'matMul with broadcast batch dims of rank 2+: cpu takes the flat batch index modulo each side, pairing the ' +
    'wrong batches (a [2,1,1,1] = [1,2] times b [2,2,1,1] = [10,20,30,40] gives [10,40,30,80]; float64 [10,20,60,80])',
  depthwiseNCHW: "depthwiseConv2d with dataFormat 'NCHW': cpu reads the input as NHWC",
  castInt32ToFloat32:
    'cast int32 -> float32 does not round: cpu keeps the Int32Array, so 16777217 stays 16777217 in a float32 ' +
    'tensor; float32 holds 16777216',
  stridedSliceEmpty: 'stridedSlice whose range is empty (x [2], begin 1, end 0): cpu throws; float64 gives shape [0]',
  stridedSliceShrink:
    'stridedSlice with shrinkAxisMask and a stride > 1 on the shrunk axis: cpu applies the stride to the next ' +
    'axis (x = range(14) as [7,2], begin [2], end [0], strides [2], shrink 1 gives [2,4]; float64 x[2] = [4,5])',
  gatherBatchDimsEmpty: 'gather with batchDims over an empty x (x [7,0,1], axis 2, batchDims 2): cpu throws',
  negativeOutputShape:
    'conv2d whose geometry (tfjs-core sizes a numeric pad with the filter height for both dims) gives a negative ' +
    'output dim on an empty batch: cpu returns a tensor of shape [0,1,-1,1]; such a shape does not exist, and ' +
    'Lanes throws (as cpu does when the batch is not empty)',
  padNegativeZero: 'pad with constant -0: cpu pads +0 (it fills only when the constant !== 0)',
  bilinearGradShape:
    'ResizeBilinearGrad: cpu declares the shape [batch, width, height, depth], so it throws when height ≠ width',
  bilinearGradHalfPixel:
    'ResizeBilinearGrad with halfPixelCenters: cpu differentiates the corner-aligned sampling (3×3 -> 2×2, ' +
    'gradient of the sum [1,.5,.5,.5,.25,.25,.5,.25,.25]; float64 [.5625,.375,.5625,.375,.25,.375,.5625,.375,.5625])',
  nearestGradBatch:
    'ResizeNearestNeighborGrad with batch > 1 mixes up batch items (x [2,1,1,1], dy [[1,2]],[[10,20]] gives ' +
    '[3,12]; float64 [3,30])',
  nearestGradHalfPixel: 'ResizeNearestNeighborGrad ignores halfPixelCenters (sends dy to the corner-aligned sources)',
  nearestGradHangs: 'ResizeNearestNeighborGrad with alignCorners and an input side of 1 never returns',
} as const;

/** A listed defect's name. */
export type CpuDefectName = keyof typeof CPU_DEFECTS;
