/**
 * Example uniform circuits used by the tests and bench/zk-bench.ts. They are
 * small stand-ins for the VM's per-cycle template: each exercises every matrix
 * family (current step, next step, constant, boundary with public inputs).
 */
import { Fr, FR_MODULUS } from '../field/fr';
import { ONE, UniformBuilder, UniformShape, pub, w, wNext } from './uniform';

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
