// Plain TypeScript convolutions (direct loops over every index) that the wasm kernels are held to.
// Layouts: x NHWC, filter HWIO (depthwise: H W C M), output NHWC. Geometry (output size, padding)
// comes from tfjs's computeConv2DInfo, so these test the arithmetic, not the shape rules.
import { backend_util } from '@tensorflow/tfjs-core';

export type Pad = 'valid' | 'same' | number | backend_util.ExplicitPadding;

/** Direct 7-loop convolution; depthwise when `depthwise` (filter [FH,FW,C,M], output C*M channels). */
export function refConv(
  x: Float32Array,
  xShape: number[],
  w: Float32Array,
  wShape: number[],
  info: backend_util.Conv2DInfo,
  depthwise = false,
): Float32Array {
  const [n, h, wd, c] = xShape;
  const [fh, fw, , m] = wShape;
  const { outHeight: oh, outWidth: ow, outChannels: oc, strideHeight: sh, strideWidth: sw } = info;
  const { dilationHeight: dh, dilationWidth: dw } = info;
  const { top, left } = info.padInfo;
  const y = new Float32Array(n * oh * ow * oc);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let o = 0; o < oc; o++) {
          let s = 0;
          for (let kh = 0; kh < fh; kh++)
            for (let kw = 0; kw < fw; kw++) {
              const ih = i * sh - top + kh * dh,
                iw = j * sw - left + kw * dw;
              if (ih < 0 || ih >= h || iw < 0 || iw >= wd) continue;
              if (depthwise) {
                const ci = Math.floor(o / m),
                  q = o % m;
                s += x[((b * h + ih) * wd + iw) * c + ci] * w[((kh * fw + kw) * c + ci) * m + q];
              } else {
                for (let ci = 0; ci < c; ci++)
                  s += x[((b * h + ih) * wd + iw) * c + ci] * w[((kh * fw + kw) * c + ci) * oc + o];
              }
            }
          y[((b * oh + i) * ow + j) * oc + o] = s;
        }
  return y;
}

/** One convolution of the gradient tests: x [n,h,w,ic], filter [fh,fw,ic,oc], strides, padding. */
export interface ConvCase {
  n: number;
  h: number;
  w: number;
  ic: number;
  oc: number;
  fh: number;
  fw: number;
  s: [number, number];
  pad: Pad;
}

/** An NHWC padding as the NCHW attribute says it (explicit pads reordered). */
export function nchwPad(pad: Pad): Pad {
  return Array.isArray(pad) ? ([pad[0], pad[3], pad[1], pad[2]] as backend_util.ExplicitPadding) : pad;
}

/** NHWC -> NCHW of a flat array. */
export function toNCHW(a: Float32Array, [n, h, w, c]: number[]): Float32Array {
  const out = new Float32Array(a.length);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < h; i++)
      for (let j = 0; j < w; j++)
        for (let k = 0; k < c; k++) out[((b * c + k) * h + i) * w + j] = a[((b * h + i) * w + j) * c + k];
  return out;
}

/** tfjs's fused activations, in plain TypeScript. */
export function refActivation(v: number, activation: string, alpha: number, slope: number): number {
  switch (activation) {
    case 'relu':
      return Math.max(v, 0);
    case 'relu6':
      return Math.min(Math.max(v, 0), 6);
    case 'leakyrelu':
      return v < 0 ? alpha * v : v;
    case 'prelu':
      return v < 0 ? slope * v : v;
    case 'elu':
      return v >= 0 ? v : Math.exp(v) - 1;
    case 'sigmoid':
      return 1 / (1 + Math.exp(-v));
    default:
      return v;
  }
}

/** dx of refConv for output gradient dy (scatter form, straight from the forward definition). */
export function refConvBackpropInput(
  dy: Float32Array,
  w: Float32Array,
  wShape: number[],
  info: backend_util.Conv2DInfo,
  depthwise = false,
): Float32Array {
  const { batchSize: n, inHeight: h, inWidth: wd, inChannels: c, outHeight: oh, outWidth: ow, outChannels: oc } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const [fh, fw, , m] = wShape;
  const { top, left } = info.padInfo;
  const dx = new Float32Array(n * h * wd * c);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let o = 0; o < oc; o++) {
          const g = dy[((b * oh + i) * ow + j) * oc + o];
          for (let kh = 0; kh < fh; kh++)
            for (let kw = 0; kw < fw; kw++) {
              const ih = i * sh - top + kh * dh,
                iw = j * sw - left + kw * dw;
              if (ih < 0 || ih >= h || iw < 0 || iw >= wd) continue;
              if (depthwise) {
                const ci = Math.floor(o / m),
                  q = o % m;
                dx[((b * h + ih) * wd + iw) * c + ci] += g * w[((kh * fw + kw) * c + ci) * m + q];
              } else {
                for (let ci = 0; ci < c; ci++)
                  dx[((b * h + ih) * wd + iw) * c + ci] += g * w[((kh * fw + kw) * c + ci) * oc + o];
              }
            }
        }
  return dx;
}

/** dW of refConv for input x and output gradient dy. */
export function refConvBackpropFilter(
  x: Float32Array,
  dy: Float32Array,
  wShape: number[],
  info: backend_util.Conv2DInfo,
  depthwise = false,
): Float32Array {
  const { batchSize: n, inHeight: h, inWidth: wd, inChannels: c, outHeight: oh, outWidth: ow, outChannels: oc } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const [fh, fw, , m] = wShape;
  const { top, left } = info.padInfo;
  const dW = new Float32Array(fh * fw * c * (depthwise ? m : oc));
  for (let b = 0; b < n; b++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let o = 0; o < oc; o++) {
          const g = dy[((b * oh + i) * ow + j) * oc + o];
          for (let kh = 0; kh < fh; kh++)
            for (let kw = 0; kw < fw; kw++) {
              const ih = i * sh - top + kh * dh,
                iw = j * sw - left + kw * dw;
              if (ih < 0 || ih >= h || iw < 0 || iw >= wd) continue;
              if (depthwise) {
                const ci = Math.floor(o / m),
                  q = o % m;
                dW[((kh * fw + kw) * c + ci) * m + q] += g * x[((b * h + ih) * wd + iw) * c + ci];
              } else {
                for (let ci = 0; ci < c; ci++)
                  dW[((kh * fw + kw) * c + ci) * oc + o] += g * x[((b * h + ih) * wd + iw) * c + ci];
              }
            }
        }
  return dW;
}
