// The CPU side: matmul.wasm (compiled from matmul.wat), one thread, 128-bit SIMD.

const PAGE = 65536;

/** Instantiate the module from its bytes; return a matmul(a, b, n) -> Float32Array. */
export async function loadMatmul(bytes) {
  const { instance } = await WebAssembly.instantiate(bytes, {});
  const { memory, matmul } = instance.exports;
  let prepared = 0;
  let view = null;
  return {
    /** Copy a and b in once for size n (untimed), so `run` times only the product. */
    prepare(a, b, n) {
      const floats = n * n;
      const needed = 3 * floats * 4;
      if (memory.buffer.byteLength < needed) {
        memory.grow(Math.ceil((needed - memory.buffer.byteLength) / PAGE));
      }
      view = new Float32Array(memory.buffer);
      view.set(a, 0);
      view.set(b, floats);
      prepared = n;
    },
    run() {
      const floats = prepared * prepared;
      matmul(0, floats * 4, 2 * floats * 4, prepared);
    },
    result() {
      const floats = prepared * prepared;
      return new Float32Array(memory.buffer, 2 * floats * 4, floats).slice();
    },
  };
}

/** Whether this engine validates a module with SIMD instructions (a two-instruction probe). */
export function hasSimd() {
  // (module (func (result v128) (v128.const i32x4 0 0 0 0)))
  const probe = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0,
    10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11]);
  return WebAssembly.validate(probe);
}

/** The same product in plain JavaScript, the reference a test checks the module against. */
export function matmulReference(a, b, n) {
  const c = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      for (let j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
    }
  }
  return c;
}

/** Largest |x - y| over the largest |y|: how far two results of the same product differ. */
export function relativeError(x, y) {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < y.length; i++) {
    diff = Math.max(diff, Math.abs(x[i] - y[i]));
    scale = Math.max(scale, Math.abs(y[i]));
  }
  return scale ? diff / scale : diff;
}

/** The same random inputs for both sides, from a seeded generator (values in [-1, 1)). */
export function randomMatrix(n, seed) {
  let state = seed >>> 0 || 1;
  const out = new Float32Array(n * n);
  for (let i = 0; i < out.length; i++) {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    out[i] = state / 2147483648 - 1;
  }
  return out;
}
