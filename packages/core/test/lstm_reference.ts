// Plain float64 LSTM and GRU forward passes (Keras semantics), for checking the ops' outputs and,
// by central differences, their gradients.

export type Act = 'tanh' | 'sigmoid' | 'hardSigmoid' | 'relu' | 'linear';

function act(name: Act, x: number): number {
  switch (name) {
    case 'tanh':
      return Math.tanh(x);
    case 'sigmoid':
      return 1 / (1 + Math.exp(-x));
    case 'hardSigmoid':
      return Math.min(1, Math.max(0, 0.2 * x + 0.5));
    case 'relu':
      return Math.max(0, x);
    case 'linear':
      return x;
  }
}

export interface RefOptions {
  activation: Act;
  recurrentActivation: Act;
  goBackwards: boolean;
}

export interface RefArrays {
  x: Float64Array;
  kernel: Float64Array;
  recurrentKernel: Float64Array;
  bias: Float64Array | null;
  h0: Float64Array;
  c0?: Float64Array;
}

/** Outputs in processing order: hs [B,T,U], gates [B,T,G,U], cells [B,T,U] (LSTM), final h and c. */
export interface RefResult {
  hs: Float64Array;
  gates: Float64Array;
  cells: Float64Array;
  h: Float64Array;
  c: Float64Array;
}

export function refLSTM(a: RefArrays, B: number, T: number, F: number, U: number, o: RefOptions): RefResult {
  const N = 4 * U;
  const hs = new Float64Array(B * T * U),
    cells = new Float64Array(B * T * U),
    gates = new Float64Array(B * T * N);
  const h = Float64Array.from(a.h0),
    c = Float64Array.from(a.c0!);
  const z = new Float64Array(N);
  for (let b = 0; b < B; b++) {
    for (let s = 0; s < T; s++) {
      const t = o.goBackwards ? T - 1 - s : s;
      for (let n = 0; n < N; n++) {
        let v = a.bias ? a.bias[n] : 0;
        for (let f = 0; f < F; f++) v += a.x[(b * T + t) * F + f] * a.kernel[f * N + n];
        for (let k = 0; k < U; k++) v += h[b * U + k] * a.recurrentKernel[k * N + n];
        z[n] = v;
      }
      for (let u = 0; u < U; u++) {
        const i = act(o.recurrentActivation, z[u]),
          f = act(o.recurrentActivation, z[U + u]);
        const g = act(o.activation, z[2 * U + u]),
          q = act(o.recurrentActivation, z[3 * U + u]);
        const cv = f * c[b * U + u] + i * g;
        c[b * U + u] = cv;
        cells[(b * T + s) * U + u] = cv;
        const gi = (b * T + s) * N;
        gates[gi + u] = i;
        gates[gi + U + u] = f;
        gates[gi + 2 * U + u] = g;
        gates[gi + 3 * U + u] = q;
      }
      for (let u = 0; u < U; u++) {
        const q = gates[(b * T + s) * N + 3 * U + u];
        h[b * U + u] = q * act(o.activation, c[b * U + u]);
        hs[(b * T + s) * U + u] = h[b * U + u];
      }
    }
  }
  return { hs, gates, cells, h, c };
}

export function refGRU(
  a: RefArrays,
  B: number,
  T: number,
  F: number,
  U: number,
  o: RefOptions & { resetAfter: boolean },
): RefResult {
  const N = 3 * U;
  const hs = new Float64Array(B * T * U),
    gates = new Float64Array(B * T * N);
  const h = Float64Array.from(a.h0);
  const xp = new Float64Array(N),
    m = new Float64Array(N),
    rh = new Float64Array(U);
  for (let b = 0; b < B; b++) {
    for (let s = 0; s < T; s++) {
      const t = o.goBackwards ? T - 1 - s : s;
      for (let n = 0; n < N; n++) {
        let v = a.bias ? a.bias[n] : 0;
        for (let f = 0; f < F; f++) v += a.x[(b * T + t) * F + f] * a.kernel[f * N + n];
        xp[n] = v;
        let w = o.resetAfter && a.bias ? a.bias[N + n] : 0;
        for (let k = 0; k < U; k++) w += h[b * U + k] * a.recurrentKernel[k * N + n];
        m[n] = w;
      }
      const gi = (b * T + s) * N;
      for (let u = 0; u < U; u++) {
        gates[gi + u] = act(o.recurrentActivation, xp[u] + m[u]);
        gates[gi + U + u] = act(o.recurrentActivation, xp[U + u] + m[U + u]);
        rh[u] = gates[gi + U + u] * h[b * U + u];
      }
      for (let u = 0; u < U; u++) {
        let pre: number;
        if (o.resetAfter) {
          pre = xp[2 * U + u] + gates[gi + U + u] * m[2 * U + u];
        } else {
          pre = xp[2 * U + u];
          for (let k = 0; k < U; k++) pre += rh[k] * a.recurrentKernel[k * N + 2 * U + u];
        }
        gates[gi + 2 * U + u] = act(o.activation, pre);
      }
      for (let u = 0; u < U; u++) {
        const z = gates[gi + u];
        h[b * U + u] = z * h[b * U + u] + (1 - z) * gates[gi + 2 * U + u];
        hs[(b * T + s) * U + u] = h[b * U + u];
      }
    }
  }
  return { hs, gates, cells: new Float64Array(0), h, c: new Float64Array(0) };
}

/**
 * Central-difference gradient of `loss(arrays)` with respect to every element of `arrays[key]`.
 */
export function numericGrad(
  arrays: RefArrays,
  key: keyof RefArrays,
  loss: (a: RefArrays) => number,
  eps = 1e-5,
): Float64Array {
  const v = arrays[key] as Float64Array;
  const g = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const keep = v[i];
    v[i] = keep + eps;
    const up = loss(arrays);
    v[i] = keep - eps;
    const down = loss(arrays);
    v[i] = keep;
    g[i] = (up - down) / (2 * eps);
  }
  return g;
}

/** Σ w·v. */
export function dot(w: ArrayLike<number>, v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += w[i] * v[i];
  return s;
}
