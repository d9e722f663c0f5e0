// Blockwise symmetric int4 for com.microsoft MatMulNBits: B is [N, ceil(K/block), block/2] uint8 with the first
// element of a pair in the low nibble, one scale per (row, block), implicit zero point 8.

export const INT4_BLOCK = 32;

export interface Int4Weight {
  packed: Uint8Array;
  scales: Float32Array;
  blocksPerRow: number;
}

/** `w` is [N, K] row-major (Hugging Face nn.Linear layout: out × in). */
export function quantizeInt4(w: Float32Array, N: number, K: number, block = INT4_BLOCK): Int4Weight {
  const nb = Math.ceil(K / block);
  const packed = new Uint8Array(N * nb * (block / 2));
  const scales = new Float32Array(N * nb);
  for (let n = 0; n < N; n++) {
    for (let b = 0; b < nb; b++) {
      const start = n * K + b * block;
      const end = n * K + Math.min(K, (b + 1) * block);
      let amax = 0;
      for (let i = start; i < end; i++) amax = Math.max(amax, Math.abs(w[i] ?? 0));
      const scale = amax / 7 || 1;
      scales[n * nb + b] = scale;
      const base = (n * nb + b) * (block / 2);
      for (let j = 0; j < block; j++) {
        const i = start + j;
        const q = i < end ? Math.max(0, Math.min(15, Math.round((w[i] ?? 0) / scale) + 8)) : 8;
        packed[base + (j >> 1)]! |= j & 1 ? q << 4 : q;
      }
    }
  }
  return { packed, scales, blocksPerRow: nb };
}

/** The weights MatMulNBits actually multiplies by, [N, K]; tests use it for a reference forward pass. */
export function dequantizeInt4(q: Int4Weight, N: number, K: number, block = INT4_BLOCK): Float32Array {
  const out = new Float32Array(N * K);
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < K; k++) {
      const b = Math.floor(k / block);
      const j = k % block;
      const byte = q.packed[(n * q.blocksPerRow + b) * (block / 2) + (j >> 1)] ?? 0;
      const nib = j & 1 ? byte >> 4 : byte & 15;
      out[n * K + k] = (nib - 8) * (q.scales[n * q.blocksPerRow + b] ?? 0);
    }
  }
  return out;
}
