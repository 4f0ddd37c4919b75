import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { FP_MODULUS, fpInv } from '../curve/fp';
import { G1_GENERATOR } from '../curve/g1';
import { Jac, jacAdd, jacAddAffine, jacDouble, jacFromG1 } from '../curve/g1-fast';
import { Bn254Kernels, ensureBytes, loadKernels, readFp, writeFp } from './kernels';

const P = FP_MODULUS;
const k: Bn254Kernels = loadKernels();

// Scratch slots (32 bytes each) just above the static data.
const base = (k.heapBase + 15) & ~15;
const slot = (i: number): number => base + 32 * i;
ensureBytes(k, slot(16));
const b64 = (): BigUint64Array => new BigUint64Array(k.memory.buffer);

function put(i: number, x: bigint): void {
  writeFp(b64(), slot(i) / 8, x);
  k.fpToMontBatch(slot(i), 1);
}
function get(i: number): bigint {
  // Copy out, so the slot itself stays in Montgomery form.
  const tmp = slot(15);
  new Uint32Array(k.memory.buffer, tmp, 8).set(new Uint32Array(k.memory.buffer, slot(i), 8));
  k.fpFromMontBatch(tmp, 1);
  return readFp(b64(), tmp / 8);
}

const edge = [0n, 1n, 2n, P - 1n, P - 2n, (P - 1n) / 2n, (1n << 253n) % P, (1n << 32n) - 1n];
const fpArb = fc.oneof(fc.bigInt({ min: 0n, max: P - 1n }), fc.constantFrom(...edge));

describe('WebAssembly BN254 Fp kernels agree with bigint arithmetic', () => {
  it('Montgomery round trip, on edge values', () => {
    for (const a of edge) {
      put(0, a);
      expect(get(0)).toBe(a);
    }
  });

  it('multiply, add, subtract: edge values pairwise', () => {
    for (const a of edge) {
      for (const b of edge) {
        put(0, a);
        put(1, b);
        k.fpMul(slot(2), slot(0), slot(1));
        k.fpAdd(slot(3), slot(0), slot(1));
        k.fpSub(slot(4), slot(0), slot(1));
        expect(get(2)).toBe((a * b) % P);
        expect(get(3)).toBe((a + b) % P);
        expect(get(4)).toBe((((a - b) % P) + P) % P);
      }
    }
  });

  it('multiply, add, subtract: random values (property)', () => {
    fc.assert(
      fc.property(fpArb, fpArb, (a, b) => {
        put(0, a);
        put(1, b);
        k.fpMul(slot(2), slot(0), slot(1));
        k.fpAdd(slot(3), slot(0), slot(1));
        k.fpSub(slot(4), slot(0), slot(1));
        // In place (r aliases a): the limb code reads all inputs before writing.
        k.fpMul(slot(0), slot(0), slot(1));
        return (
          get(2) === (a * b) % P &&
          get(3) === (a + b) % P &&
          get(4) === (((a - b) % P) + P) % P &&
          get(0) === (a * b) % P
        );
      }),
      { numRuns: 500 },
    );
  });

  it('inverse (Fermat): a·a⁻¹ = 1, and 0 ↦ 0', () => {
    fc.assert(
      fc.property(fpArb, (a) => {
        put(0, a);
        k.fpInv(slot(1), slot(0));
        return get(1) === (a === 0n ? 0n : fpInv(a));
      }),
      { numRuns: 100 },
    );
  });
});

describe('WebAssembly G1 Jacobian formulas agree with g1-fast', () => {
  const putJac = (i: number, p: Jac): void => {
    put(i, p.x);
    put(i + 1, p.y);
    put(i + 2, p.z);
  };
  const getJac = (i: number): Jac => ({ x: get(i), y: get(i + 1), z: get(i + 2) });
  const same = (a: Jac, b: Jac): boolean => {
    if (a.z === 0n || b.z === 0n) return a.z === b.z;
    const a2 = (a.z * a.z) % P;
    const b2 = (b.z * b.z) % P;
    return (a.x * b2) % P === (b.x * a2) % P && (a.y * b2 * b.z) % P === (b.y * a2 * a.z) % P;
  };
  const g = jacFromG1(G1_GENERATOR.multiply(123456789n));
  const h = jacFromG1(G1_GENERATOR.multiply(987654321n));
  const g2 = jacDouble(g); // a point with Z ≠ 1
  const zero: Jac = { x: 1n, y: 1n, z: 0n };

  it('double, add, mixed add, including P + P, P + (−P) and infinity', () => {
    putJac(0, g2);
    k.jacDouble(slot(0));
    expect(same(getJac(0), jacDouble(g2))).toBe(true);
    for (const [p, q] of [
      [g2, h],
      [g2, g2],
      [g2, { ...g2, y: P - g2.y }],
      [zero, h],
      [g2, zero],
    ] as [Jac, Jac][]) {
      putJac(0, p);
      putJac(3, q);
      k.jacAdd(slot(0), slot(3));
      expect(same(getJac(0), jacAdd(p, q))).toBe(true);
    }
    const aff = { x: (g2.x * fpInv((g2.z * g2.z) % P)) % P, y: 0n };
    aff.y = (g2.y * fpInv((g2.z * g2.z * g2.z) % P)) % P;
    for (const p of [h, g2, zero]) {
      for (const ay of [aff.y, P - aff.y]) {
        putJac(0, p);
        put(3, aff.x);
        put(4, ay);
        k.jacAddAffine(slot(0), slot(3), slot(4));
        expect(same(getJac(0), jacAddAffine(p, aff.x, ay))).toBe(true);
      }
    }
  });
});

describe('bn254-kernels.generated.ts and fr-kernels.generated.ts', () => {
  it('is what the pinned assemblyscript compiler builds from ./assembly (run `npm run wasm`)', () => {
    // Throws (non-zero exit, with the reason on stderr) when the committed module is stale.
    const out = execFileSync(process.execPath, [join(__dirname, 'build.mjs'), '--check'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(out).toContain('up to date');
  });
});
