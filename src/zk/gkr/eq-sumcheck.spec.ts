/**
 * The eq-product sumcheck (eq-sumcheck.ts) against the definition: the generic sumcheck
 * prover of src/zk/sumcheck.ts run on the tables [eq(z, ·), A_0, B_0, A_1, B_1, …] with
 * g = e·Σ λ_j a_j b_j must produce the very same proof, on both backends, for random tables
 * with edge values and degenerate points; the verifier must reject every single change and
 * never throw.
 */
import fc from 'fast-check';
import { FR_MODULUS, Fr } from '../field/fr';
import { specValues } from '../field/spec-values';
import { FrVec, frVecFromBigints } from '../field/fr-vec';
import { withFieldBackend } from '../folding/fold-kernel';
import { eqTable } from '../poly/multilinear';
import { SumcheckProof, proveSumcheck, verifySumcheck } from '../sumcheck';
import { Transcript } from '../transcript';
import { proveEqSumcheck, verifyEqSumcheck } from './eq-sumcheck';

const R = FR_MODULUS;
const T = (): Transcript => new Transcript('test/eq-sumcheck', 1);
const BACKENDS = ['bigint', 'wasm'] as const;

const rng = (seed: number): (() => Fr) => specValues(seed);

interface Instance {
  z: Fr[];
  lambdas: Fr[];
  A: Fr[][];
  B: Fr[][];
  claim: Fr;
}

/** Σ_y eq(z, y)·Σ_j λ_j A_j(y) B_j(y), from the definition. */
function claimOf(z: Fr[], lambdas: Fr[], A: Fr[][], B: Fr[][]): Fr {
  const eq = eqTable(z);
  let s = 0n;
  for (let y = 0; y < eq.length; y++)
    for (let j = 0; j < lambdas.length; j++) s += eq[y] * lambdas[j] * A[j][y] * B[j][y];
  return s % R;
}

function instance(n: number, m: number, rand: () => Fr, z?: Fr[]): Instance {
  const vec = (): Fr[] => Array.from({ length: 2 ** n }, rand);
  const point = z ?? Array.from({ length: n }, rand);
  const lambdas = Array.from({ length: m }, rand);
  const A = Array.from({ length: m }, vec);
  const B = Array.from({ length: m }, vec);
  return { z: point, lambdas, A, B, claim: claimOf(point, lambdas, A, B) };
}

/** The generic prover on [eq, A_0, B_0, …]: the reference proof and finals. */
function reference(x: Instance): ReturnType<typeof proveSumcheck> {
  const tables = [eqTable(x.z), ...x.A.flatMap((a, j) => [a, x.B[j]])];
  const combine = (v: readonly Fr[]): Fr => {
    let s = 0n;
    for (let j = 0; j < x.lambdas.length; j++) s += x.lambdas[j] * v[1 + 2 * j] * v[2 + 2 * j];
    return ((s % R) * v[0]) % R;
  };
  return proveSumcheck(x.claim, tables, 3, combine, T());
}

function prove(x: Instance, b: 'bigint' | 'wasm') {
  return withFieldBackend(b, () =>
    proveEqSumcheck(
      x.z,
      x.lambdas,
      x.A.map(frVecFromBigints),
      x.B.map(frVecFromBigints),
      x.claim,
      T(),
    ),
  );
}

const verify = (x: Instance, proof: SumcheckProof, fa: Fr[], fb: Fr[], claim = x.claim) =>
  verifyEqSumcheck(x.z, x.lambdas, claim, proof, fa, fb, T());

const bump = (v: Fr): Fr => (v + 1n) % R;

describe('eq-product sumcheck: completeness and agreement with the definition', () => {
  it.each([1, 2])('m = %i, n = 0..8: both backends give the generic prover’s proof', (m) => {
    const rand = rng(m);
    for (let n = 0; n <= 8; n++) {
      const x = instance(n, m, rand);
      const ref = reference(x);
      for (const b of BACKENDS) {
        const out = prove(x, b);
        expect(out.proof).toEqual(ref.proof);
        expect(out.point).toEqual(ref.point);
        expect(out.finalsA).toEqual(x.A.map((_, j) => ref.finals[1 + 2 * j]));
        expect(out.finalsB).toEqual(x.B.map((_, j) => ref.finals[2 + 2 * j]));
        expect(verifySumcheck(x.claim, n, 3, out.proof, T()).ok).toBe(true);
        expect(verify(x, out.proof, out.finalsA, out.finalsB)).toEqual({
          ok: true,
          point: out.point,
        });
      }
    }
  });

  it('degenerate points and tables: z with 0, 1, 1/2, r − 1 coordinates; tables of 0, 1, r − 1', () => {
    const rand = rng(7);
    const half = (R + 1n) / 2n;
    const n = 5;
    const points: Fr[][] = [
      [0n, 0n, 0n, 0n, 0n],
      [1n, 1n, 1n, 1n, 1n],
      [0n, rand(), 1n, half, R - 1n],
      [R - 1n, half, 0n, 0n, rand()],
    ];
    for (const z of points) {
      for (const m of [1, 2]) {
        const x = instance(n, m, rand, z);
        const zeros = { ...x, A: x.A.map((a) => a.map(() => 0n)) };
        const ones = {
          ...x,
          A: x.A.map((a) => a.map(() => 1n)),
          B: x.B.map((a) => a.map(() => 1n)),
        };
        // All r − 1: every limb of every term near its maximum (the kernel's unreduced sums).
        const maxes = {
          ...x,
          A: x.A.map((a) => a.map(() => R - 1n)),
          B: x.B.map((a) => a.map(() => R - 1n)),
        };
        for (const y of [x, zeros, ones, maxes]) {
          const inst = { ...y, claim: claimOf(y.z, y.lambdas, y.A, y.B) };
          const ref = reference(inst);
          for (const b of BACKENDS) {
            const out = prove(inst, b);
            expect(out.proof).toEqual(ref.proof);
            expect(verify(inst, out.proof, out.finalsA, out.finalsB).ok).toBe(true);
          }
        }
      }
    }
  });

  it('does not modify its inputs', () => {
    const x = instance(4, 2, rng(3));
    const A = x.A.map(frVecFromBigints);
    const B = x.B.map(frVecFromBigints);
    const copies = [...A, ...B].map((v) => v.slice());
    const z = x.z.slice();
    const lambdas = x.lambdas.slice();
    for (const b of BACKENDS) {
      withFieldBackend(b, () => proveEqSumcheck(x.z, x.lambdas, A, B, x.claim, T()));
      [...A, ...B].forEach((v, i) => expect(v).toEqual(copies[i]));
      expect(x.z).toEqual(z);
      expect(x.lambdas).toEqual(lambdas);
    }
  });

  it('the prover rejects inconsistent shapes', () => {
    const x = instance(3, 2, rng(4));
    const A = x.A.map(frVecFromBigints);
    const B = x.B.map(frVecFromBigints);
    const short: FrVec = frVecFromBigints([1n, 2n]);
    expect(() => proveEqSumcheck(x.z, x.lambdas, [A[0]], B, x.claim, T())).toThrow(RangeError);
    expect(() => proveEqSumcheck(x.z, [], [], [], x.claim, T())).toThrow(RangeError);
    expect(() => proveEqSumcheck(x.z, x.lambdas, [A[0], short], B, x.claim, T())).toThrow(
      RangeError,
    );
    expect(() => proveEqSumcheck(x.z.slice(1), x.lambdas, A, B, x.claim, T())).toThrow(RangeError);
  });
});

describe('eq-product sumcheck: soundness checks', () => {
  const x = instance(4, 2, rng(11));
  const out = prove(x, 'wasm');

  it('rejects every changed round value', () => {
    for (let r = 0; r < out.proof.rounds.length; r++) {
      for (let i = 0; i < 4; i++) {
        const rounds = out.proof.rounds.map((e) => e.slice());
        rounds[r][i] = bump(rounds[r][i]);
        const v = verify(x, { rounds }, out.finalsA, out.finalsB);
        expect(v.ok).toBe(false);
        if (!v.ok && i < 2) expect(v.error).toMatchObject({ kind: 'sumcheck-round', round: r });
      }
    }
  });

  it('rejects every changed final value and a changed claim', () => {
    for (let j = 0; j < 2; j++) {
      const fa = out.finalsA.slice();
      fa[j] = bump(fa[j]);
      const fb = out.finalsB.slice();
      fb[j] = bump(fb[j]);
      for (const [a, b] of [
        [fa, out.finalsB],
        [out.finalsA, fb],
      ]) {
        const v = verify(x, out.proof, a, b);
        expect(v.ok).toBe(false);
        if (!v.ok) expect(v.error.kind).toBe('eq-sumcheck-final');
      }
    }
    const v = verify(x, out.proof, out.finalsA, out.finalsB, bump(x.claim));
    expect(v).toEqual({
      ok: false,
      error: { kind: 'sumcheck-round', round: 0, expected: bump(x.claim), actual: x.claim },
    });
  });

  it('a prover that starts from a false claim is caught at the final check', () => {
    for (const b of BACKENDS) {
      const lie = prove({ ...x, claim: bump(x.claim) }, b);
      const v = verify(x, lie.proof, lie.finalsA, lie.finalsB, bump(x.claim));
      expect(v.ok).toBe(false);
      if (!v.ok) expect(v.error.kind).toBe('eq-sumcheck-final');
    }
  });

  it('rejects wrong lengths and non-canonical scalars with an error naming the part', () => {
    const { rounds } = out.proof;
    const fa = out.finalsA;
    const fb = out.finalsB;
    const cases: [Parameters<typeof verifyEqSumcheck>, string][] = [
      [[x.z.slice(1), x.lambdas, x.claim, out.proof, fa, fb, T()], 'sumcheck-shape'],
      [[x.z, x.lambdas, x.claim, { rounds: rounds.slice(1) }, fa, fb, T()], 'sumcheck-shape'],
      [
        [
          x.z,
          x.lambdas,
          x.claim,
          { rounds: [rounds[0].slice(1), ...rounds.slice(1)] },
          fa,
          fb,
          T(),
        ],
        'sumcheck-shape',
      ],
      [
        [
          x.z,
          x.lambdas,
          x.claim,
          { rounds: [[...rounds[0], 0n], ...rounds.slice(1)] },
          fa,
          fb,
          T(),
        ],
        'sumcheck-shape',
      ],
      [[x.z, x.lambdas.slice(1), x.claim, out.proof, fa, fb, T()], 'eq-sumcheck-shape'],
      [[x.z, [], x.claim, out.proof, [], [], T()], 'eq-sumcheck-shape'],
      [[x.z, x.lambdas, x.claim, out.proof, fa.slice(1), fb, T()], 'eq-sumcheck-shape'],
      [[x.z, x.lambdas, x.claim, out.proof, fa, [...fb, 0n], T()], 'eq-sumcheck-shape'],
      [[x.z, x.lambdas, x.claim + R, out.proof, fa, fb, T()], 'eq-sumcheck-scalar'],
      [[x.z, x.lambdas, x.claim, out.proof, [fa[0] + R, fa[1]], fb, T()], 'eq-sumcheck-scalar'],
      [
        [
          x.z,
          x.lambdas,
          x.claim,
          { rounds: [[rounds[0][0] + R, rounds[0][1] - R, 0n, 0n], ...rounds.slice(1)] },
          fa,
          fb,
          T(),
        ],
        'eq-sumcheck-scalar',
      ],
      [[[-1n, ...x.z.slice(1)], x.lambdas, x.claim, out.proof, fa, fb, T()], 'eq-sumcheck-scalar'],
    ];
    for (const [args, kind] of cases) {
      const v = verifyEqSumcheck(...args);
      expect(v.ok).toBe(false);
      if (!v.ok) expect(v.error.kind).toBe(kind);
    }
  });

  it('never throws on random proofs, shapes and values (property)', () => {
    const scalar = fc.oneof(
      fc.bigInt({ min: 0n, max: R - 1n }),
      fc.constantFrom(0n, 1n, R - 1n, R, -1n, 1n << 300n),
    );
    const anything = fc.oneof(
      scalar,
      fc.constant(null),
      fc.constant(undefined),
      fc.integer(),
      fc.string(),
      fc.array(scalar, { maxLength: 5 }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.array(scalar, { minLength: 3, maxLength: 5 }), anything), {
          maxLength: 6,
        }),
        fc.array(scalar, { maxLength: 3 }),
        fc.array(scalar, { maxLength: 3 }),
        scalar,
        fc.boolean(),
        (rounds, fa, fb, claim, wrapped) => {
          const proof = (wrapped ? { rounds } : rounds) as unknown as SumcheckProof;
          const v = verifyEqSumcheck(x.z, x.lambdas, claim, proof, fa, fb, T());
          return v.ok === false;
        },
      ),
      { numRuns: 300 },
    );
    // Non-array arguments where arrays belong.
    const junk = [null, undefined, 5, 'x', {}] as unknown as Fr[];
    expect(
      verifyEqSumcheck(junk, x.lambdas, x.claim, out.proof, out.finalsA, out.finalsB, T()).ok,
    ).toBe(false);
    expect(
      verifyEqSumcheck(
        x.z,
        x.lambdas,
        x.claim,
        null as unknown as SumcheckProof,
        out.finalsA,
        out.finalsB,
        T(),
      ).ok,
    ).toBe(false);
  });
});
