/**
 * Deterministic field elements for tests (xorshift64): mostly uniform, with the edge values
 * 0, 1, r − 1 and small integers mixed in, since kernels take short paths on those. With
 * `nonZero`, zeros become ones (for products, where a zero would hide every other factor).
 */
import { FR_MODULUS, Fr } from './fr';

const R = FR_MODULUS;
const MASK64 = (1n << 64n) - 1n;

export function specValues(seed: number, nonZero = false): () => Fr {
  let s = BigInt(seed) * 0x9e3779b97f4a7c15n + 1n;
  const next64 = (): bigint => {
    s ^= (s << 13n) & MASK64;
    s ^= s >> 7n;
    s ^= (s << 17n) & MASK64;
    return s;
  };
  const draw = (): Fr => {
    const kind = Number(next64() % 8n);
    if (kind === 0) return 0n;
    if (kind === 1) return 1n;
    if (kind === 2) return R - 1n;
    if (kind === 3) return next64() % 1000n;
    return (next64() | (next64() << 64n) | (next64() << 128n) | (next64() << 192n)) % R;
  };
  return nonZero
    ? () => {
        const v = draw();
        return v === 0n ? 1n : v;
      }
    : draw;
}
