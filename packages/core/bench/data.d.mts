// Types of data.mjs (the agreement test imports it from TypeScript).

/** `shape`'s count of seeded uniform floats in [lo, hi). */
export declare function uniform(shape: number[], lo: number, hi: number, seed: number): Float32Array;
/** Seeded uniform weights scaled like He initialisation. */
export declare function he(shape: number[], fanIn: number, seed: number): Float32Array;
/** Seeded integers in [0, n). */
export declare function integers(count: number, n: number, seed: number): Int32Array;
/** Transposes a row-major array of `shape` by `perm`. */
export declare function transpose<T extends Float32Array | Int32Array>(data: T, shape: number[], perm: number[]): T;
/** Largest |a - b| relative to the largest |b|. */
export declare function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number;
