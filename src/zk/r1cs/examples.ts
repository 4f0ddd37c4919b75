/**
 * Example uniform circuits used by the tests and bench/zk-bench.ts. They are
 * small stand-ins for the VM's per-cycle template: each exercises every matrix
 * family (current step, next step, constant, boundary with public inputs).
 */
import { Fr, FR_MODULUS } from '../field/fr';
import { ONE, UniformBuilder, UniformShape, generateWitness, pub, w, wNext } from './uniform';

export interface ExampleInstance {
  W: Fr[];
  x: Fr[];
}

export interface ExampleCircuit {
  shape: UniformShape;
  /** Largest bit width of a witness value (for commitSmall). */
  witnessBits: number;
  witness(k: number, seed: number): ExampleInstance;
}

/**
 * Fibonacci with a product column: a' = b, b' = a + b, c = a·b; public inputs
 * (a_0, b_0, b_{T−1}, c_{T−1}). Values are full field elements.
 */
export function fibonacciCircuit(): ExampleCircuit {
  const b = new UniformBuilder();
  const A = b.witness();
  const B = b.witness();
  const Cc = b.witness();
  const [a0, b0, bLast, cLast] = [
    b.publicInput(),
    b.publicInput(),
    b.publicInput(),
    b.publicInput(),
  ];
  b.constrain([[w(A), 1]], [[w(B), 1]], [[w(Cc), 1]]);
  b.constrain([[wNext(A), 1]], [[ONE, 1]], [[w(B), 1]]);
  b.constrain(
    [
      [wNext(B), 1],
      [w(A), -1],
    ],
    [[ONE, 1]],
    [[w(B), 1]],
  );
  b.constrainAt('first', [[w(A), 1]], [[ONE, 1]], [[pub(a0), 1]]);
  b.constrainAt('first', [[w(B), 1]], [[ONE, 1]], [[pub(b0), 1]]);
  b.constrainAt(
    'last',
    [
      [w(B), 1],
      [pub(bLast), -1],
    ],
    [[ONE, 1]],
    [],
  );
  b.constrainAt('last', [[w(Cc), 1]], [[ONE, 1]], [[pub(cLast), 1]]);
  const shape = b.build();
  return {
    shape,
    witnessBits: 254,
    witness(k: number, seed: number): ExampleInstance {
      const T = 2 ** k;
      const W = new Array<Fr>(T * shape.m).fill(0n);
      let a = BigInt(seed + 1);
      let bb = BigInt(2 * seed + 3);
      const x0 = a;
      const x1 = bb;
      for (let t = 0; t < T; t++) {
        W[t * shape.m + A] = a;
        W[t * shape.m + B] = bb;
        W[t * shape.m + Cc] = (a * bb) % FR_MODULUS;
        [a, bb] = [bb, (a + bb) % FR_MODULUS];
      }
      const last = (T - 1) * shape.m;
      return { W, x: [x0, x1, W[last + B], W[last + Cc]] };
    },
  };
}

/**
 * A byte-and-counter step with small values only (what VM segments look like):
 * pc' = pc + 4, eight boolean bits, byte = Σ 2^i b_i, sq = byte², acc' = acc +
 * byte; public inputs (pc_0, acc_0, pc_{T−1}, acc_{T−1} + byte_{T−1}).
 * 12 uniform + 4 boundary rows = 16 rows, 12 columns padded to 16.
 */
export function byteCounterCircuit(): ExampleCircuit {
  const b = new UniformBuilder();
  const pc = b.witness();
  const bits = Array.from({ length: 8 }, () => b.witness());
  const byte = b.witness();
  const acc = b.witness();
  const sq = b.witness();
  const [pc0, acc0, pcEnd, accEnd] = [
    b.publicInput(),
    b.publicInput(),
    b.publicInput(),
    b.publicInput(),
  ];
  b.constrain(
    [
      [wNext(pc), 1],
      [w(pc), -1],
      [ONE, -4],
    ],
    [[ONE, 1]],
    [],
  );
  for (const bit of bits) b.constrain([[w(bit), 1]], [[w(bit), 1]], [[w(bit), 1]]);
  b.constrain(
    bits.map((bit, i) => [w(bit), 1 << i] as const),
    [[ONE, 1]],
    [[w(byte), 1]],
  );
  b.constrain([[w(byte), 1]], [[w(byte), 1]], [[w(sq), 1]]);
  b.constrain(
    [[wNext(acc), 1]],
    [[ONE, 1]],
    [
      [w(acc), 1],
      [w(byte), 1],
    ],
  );
  b.constrainAt('first', [[w(pc), 1]], [[ONE, 1]], [[pub(pc0), 1]]);
  b.constrainAt('first', [[w(acc), 1]], [[ONE, 1]], [[pub(acc0), 1]]);
  b.constrainAt('last', [[w(pc), 1]], [[ONE, 1]], [[pub(pcEnd), 1]]);
  b.constrainAt(
    'last',
    [
      [w(acc), 1],
      [w(byte), 1],
    ],
    [[ONE, 1]],
    [[pub(accEnd), 1]],
  );
  const shape = b.build();
  return {
    shape,
    witnessBits: 32,
    witness(k: number, seed: number): ExampleInstance {
      const T = 2 ** k;
      const m = shape.m;
      const W = new Array<Fr>(T * m).fill(0n);
      let p = 0x1000 + 4 * seed;
      let a = seed * 7;
      let s = (seed * 2654435761) >>> 0;
      const start = [BigInt(p), BigInt(a)];
      let lastByte = 0;
      for (let t = 0; t < T; t++) {
        s = (Math.imul(s, 1103515245) + 12345) >>> 0;
        const v = (s >>> 16) & 0xff;
        const row = t * m;
        W[row + pc] = BigInt(p);
        bits.forEach((bit, i) => (W[row + bit] = BigInt((v >> i) & 1)));
        W[row + byte] = BigInt(v);
        W[row + acc] = BigInt(a);
        W[row + sq] = BigInt(v * v);
        lastByte = v;
        if (t + 1 < T) {
          p += 4;
          a += v;
        }
      }
      return { W, x: [start[0], start[1], BigInt(p), BigInt(a + lastByte)] };
    },
  };
}

/** A two-phase example circuit (docs/protocol.md §10) with its prover callbacks. */
export interface PermutationCircuit {
  shape: UniformShape;
  /** a and b are bytes, so phase 1 commits 8-bit values. */
  witnessBits: number;
  cols: { a: number; b: number; za: number; zb: number };
  inputs: { a0: number; gamma: number; pa: number; pb: number };
  /** The phase-1 segment for step values a_t, b_t (phase-2 positions 0). */
  phase1(k: number, a: readonly number[], b: readonly number[]): ExampleInstance;
  /** Completes a segment from the challenges (the running products and their ends). */
  phase2(
    k: number,
    challenges: readonly Fr[],
    seg: { readonly W: readonly Fr[]; readonly x: readonly Fr[] },
  ): ExampleInstance;
  /** The verifier's cross-segment check: Π_i pa_i = Π_i pb_i, or the reason it fails. */
  checkProducts(publicInputs: readonly (readonly Fr[])[]): string | null;
}

/**
 * A permutation check between two phase-1 columns, the shape of the zkVM's
 * memory argument in miniature: with γ a global challenge, the phase-2 columns
 * are running products za_t = Π_{s≤t} (γ − a_s) and zb_t = Π_{s≤t} (γ − b_s);
 * each segment exposes its products pa = za_{T−1}, pb = zb_{T−1} as phase-2
 * public inputs, and the verifier checks Π_i pa_i = Π_i pb_i across all
 * segments, so a value may move between segments. Public inputs: a0 = a_0
 * (phase 1), γ (challenge), pa, pb (phase 2). 4 columns, 2 uniform + 5
 * boundary rows padded to 8.
 */
export function permutationCircuit(): PermutationCircuit {
  const bld = new UniformBuilder();
  const a = bld.witness();
  const b = bld.witness();
  const za = bld.witness({ phase: 2 });
  const zb = bld.witness({ phase: 2 });
  const a0 = bld.publicInput();
  const gamma = bld.challenge();
  const pa = bld.publicInput({ phase: 2 });
  const pb = bld.publicInput({ phase: 2 });
  for (const [col, z] of [
    [a, za],
    [b, zb],
  ] as const) {
    // z_{t+1} = z_t·(γ − col_{t+1}): the challenge is used at every step.
    bld.constrain(
      [[w(z), 1]],
      [
        [gamma, 1],
        [wNext(col), -1],
      ],
      [[wNext(z), 1]],
    );
    bld.constrainAt(
      'first',
      [[w(z), 1]],
      [[ONE, 1]],
      [
        [gamma, 1],
        [w(col), -1],
      ],
    );
  }
  bld.constrainAt('last', [[w(za), 1]], [[ONE, 1]], [[pub(pa), 1]]);
  bld.constrainAt('last', [[w(zb), 1]], [[ONE, 1]], [[pub(pb), 1]]);
  bld.constrainAt('first', [[w(a), 1]], [[ONE, 1]], [[pub(a0), 1]]);
  const shape = bld.build();
  const gammaSlot = (gamma as { index: number }).index;
  const R = FR_MODULUS;
  return {
    shape,
    witnessBits: 8,
    cols: { a, b, za, zb },
    inputs: { a0, gamma: gammaSlot, pa, pb },
    phase1(k, av, bv) {
      const T = 2 ** k;
      if (av.length !== T || bv.length !== T) throw new RangeError(`need ${T} values per column`);
      const W = generateWitness(shape, k, (s) => {
        s.set(a, av[s.step]);
        s.set(b, bv[s.step]);
      });
      const x = new Array<Fr>(shape.nPublic).fill(0n);
      x[a0] = BigInt(av[0]);
      return { W, x };
    },
    phase2(k, challenges, seg) {
      const g = challenges[0];
      const W = generateWitness(
        shape,
        k,
        (s) => {
          const fa = (g - s.get(a) + R) % R;
          const fb = (g - s.get(b) + R) % R;
          s.set(za, s.step === 0 ? fa : (s.prev(za) * fa) % R);
          s.set(zb, s.step === 0 ? fb : (s.prev(zb) * fb) % R);
        },
        seg.W,
      );
      const last = (2 ** k - 1) * shape.m;
      const x = [...seg.x];
      x[gammaSlot] = g;
      x[pa] = W[last + za];
      x[pb] = W[last + zb];
      return { W, x };
    },
    checkProducts(publicInputs) {
      let left = 1n;
      let right = 1n;
      for (const x of publicInputs) {
        left = (left * x[pa]) % R;
        right = (right * x[pb]) % R;
      }
      return left === right ? null : 'grand products of a and b differ: not a permutation';
    },
  };
}
