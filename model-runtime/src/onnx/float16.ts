// IEEE half and bfloat16 conversions (Node 20 has no Float16Array); round to nearest even.
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export function toHalf(value: number): number {
  f32[0] = value;
  const x = u32[0] ?? 0;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rest > mid || (rest === mid && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  // a carry out of the mantissa correctly rounds up into the next binade (or to infinity)
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++;
  return sign | half;
}

export function fromHalf(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** The same rounding as toHalf, on the bits of the whole array at once (a 7B conversion is billions of values). */
export function floatsToHalf(a: Float32Array): Uint16Array {
  const bits = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const out = new Uint16Array(a.length);
  for (let i = 0; i < bits.length; i++) {
    const x = bits[i] ?? 0;
    const exp = (x >>> 23) & 0xff;
    // normal halves (exponent 113..142): round the mantissa to nearest even, a carry moves into the exponent
    if (exp > 112 && exp < 143) {
      const half = (((x >>> 16) & 0x8000) | ((exp - 112) << 10) | ((x >>> 13) & 0x3ff)) >>> 0;
      const rest = x & 0x1fff;
      out[i] = rest > 0x1000 || (rest === 0x1000 && half & 1) ? half + 1 : half;
    } else out[i] = toHalf(a[i] ?? 0);
  }
  return out;
}

export function halfToFloats(a: Uint16Array): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = fromHalf(a[i] ?? 0);
  return out;
}

export function bfloat16ToFloats(a: Uint16Array): Float32Array {
  const out = new Uint32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] ?? 0) << 16;
  return new Float32Array(out.buffer);
}
