import { FR_MODULUS, Fr, add, mul } from '../field/fr';
import { eqTable } from '../poly/multilinear';
import { byteCounterCircuit, fibonacciCircuit, permutationCircuit } from './examples';
import {
  UniformShape,
  assembleZ,
  carriedInputSlots,
  columnPhase2Mask,
  isTwoPhase,
  matrixParts,
  phase1InputSlots,
  witnessPart,
  combinedRowVector,
  dimensions,
  evaluateIO,
  evaluateMatrices,
  ONE,
  UniformBuilder,
  findUnsatisfied,
  firstUnsatisfiedRow,
  generateWitness,
  multiply,
  pub,
  w,
  wNext,
  shapeDigest,
  checkLinkedInputs,
  encodedPhase1Slots,
} from './uniform';
import { evaluateMLE } from '../poly/multilinear';

let seed = 7n;
function rnd(): Fr {
  seed = (seed * 6364136223846793005n + 1442695040888963407n) % (1n << 64n);
  return (seed * seed * 0x9e3779b97f4a7c15n) % FR_MODULUS;
}

/** The dense matrices, materialised only here to check the block-based evaluation. */
function dense(shape: UniformShape, k: number): Fr[][][] {
  const d = dimensions(shape, k);
  const rows = d.T * d.q;
  const cols = 2 * d.T * d.m;
  return [shape.A, shape.B, shape.C].map((M) => {
    const D = Array.from({ length: rows }, () => new Array<Fr>(cols).fill(0n));
    for (let t = 0; t < d.T; t++) {
      const skip = (row: number): boolean => t + 1 === d.T && shape.transitionRows.includes(row);
      for (const e of M.cur)
        if (!skip(e.row))
          D[t * d.q + e.row][t * d.m + e.col] = add(D[t * d.q + e.row][t * d.m + e.col], e.coeff);
      if (t + 1 < d.T)
        for (const e of M.next)
          D[t * d.q + e.row][(t + 1) * d.m + e.col] = add(
            D[t * d.q + e.row][(t + 1) * d.m + e.col],
            e.coeff,
          );
      for (const e of M.one)
        if (!skip(e.row))
          D[t * d.q + e.row][d.T * d.m] = add(D[t * d.q + e.row][d.T * d.m], e.coeff);
      for (const e of M.pubEvery ?? [])
        if (!skip(e.row)) {
          const col = d.T * d.m + 1 + e.col;
          D[t * d.q + e.row][col] = add(D[t * d.q + e.row][col], e.coeff);
        }
    }
    for (const e of M.boundary) {
      const s = e.step === 'first' ? 0 : d.T - 1;
      const col =
        e.kind === 'w' ? s * d.m + e.index : e.kind === 'x' ? d.T * d.m + 1 + e.index : d.T * d.m;
      D[s * d.q + e.row][col] = add(D[s * d.q + e.row][col], e.coeff);
    }
    return D;
  });
}

describe('uniform R1CS', () => {
  for (const [name, circuit] of [
    ['fibonacci', fibonacciCircuit()],
    ['byte counter', byteCounterCircuit()],
  ] as const) {
    // k = 0 only where the public inputs fit the I/O half (1 + ℓ ≤ T·m).
    for (const k of [0, 1, 3].filter((k) => 1 + circuit.shape.nPublic <= 2 ** k * circuit.shape.m))
      describe(`${name}, k = ${k}`, () => {
        const { shape } = circuit;
        const d = dimensions(shape, k);
        const Ds = dense(shape, k);

        it('the honest witness satisfies it and a changed entry does not', () => {
          const { W, x } = circuit.witness(k, 3);
          expect(firstUnsatisfiedRow(shape, k, W, x)).toBe(-1);
          const bad = [...W];
          bad[d.T > 1 ? d.m : 0] = add(bad[d.T > 1 ? d.m : 0], 1n);
          expect(firstUnsatisfiedRow(shape, k, bad, x)).toBeGreaterThanOrEqual(0);
          const badX = [...x];
          badX[x.length - 1] = add(badX[x.length - 1], 1n);
          expect(firstUnsatisfiedRow(shape, k, W, badX)).toBeGreaterThanOrEqual(0);
        });

        it('multiply agrees with the dense matrices', () => {
          const { W, x } = circuit.witness(k, 1);
          const u = rnd();
          const z = assembleZ(W, u, x);
          const p = multiply(shape, k, W, u, x);
          [p.Az, p.Bz, p.Cz].forEach((v, which) => {
            const expected = Ds[which].map((row) =>
              row.reduce((acc, c, j) => add(acc, mul(c, z[j])), 0n),
            );
            expect(v).toEqual(expected);
          });
        });

        it('evaluateMatrices equals the dense MLE at a random point', () => {
          const rx = Array.from({ length: d.rowVars }, rnd);
          const ry = Array.from({ length: d.colVars }, rnd);
          const ex = eqTable(rx);
          const ey = eqTable(ry);
          const expected = Ds.map((D) =>
            D.reduce(
              (acc, row, i) =>
                add(
                  acc,
                  mul(
                    ex[i],
                    row.reduce((a, c, j) => add(a, mul(c, ey[j])), 0n),
                  ),
                ),
              0n,
            ),
          );
          expect(evaluateMatrices(shape, k, rx, ry)).toEqual(expected);
          const g = rnd();
          const vec = combinedRowVector(shape, k, rx, [1n, g, mul(g, g)]);
          const combined = add(expected[0], add(mul(g, expected[1]), mul(mul(g, g), expected[2])));
          expect(evaluateMLE(vec, ry)).toBe(combined);
        });

        it('evaluateIO is the MLE of (u, x, 0, …)', () => {
          const { W, x } = circuit.witness(k, 1);
          const u = rnd();
          const z = assembleZ(W, u, x);
          const r = Array.from({ length: d.witnessVars }, rnd);
          expect(evaluateIO(u, x, r)).toBe(evaluateMLE(z.slice(W.length), r));
        });
      });
  }

  it('builder + generateWitness: a counter with a cross-step constraint and boundary inputs', () => {
    const b = new UniformBuilder();
    const c = b.witness();
    const sq = b.witness();
    const start = b.publicInput();
    const end = b.publicInput();
    b.constrain(
      [
        [wNext(c), 1],
        [w(c), -1],
      ],
      [[ONE, 1]],
      [[ONE, 3]],
    );
    b.constrain([[w(c), 1]], [[w(c), 1]], [[w(sq), 1]]);
    b.constrainAt('first', [[w(c), 1]], [[ONE, 1]], [[pub(start), 1]]);
    b.constrainAt('last', [[w(sq), 1]], [[ONE, 1]], [[pub(end), 1]]);
    const shape = b.build();
    expect(shape.transitionRows).toEqual([0]);
    const k = 3;
    const W = generateWitness(shape, k, (a) => {
      a.set(c, a.step === 0 ? 5 : a.prev(c) + 3n);
      a.set(sq, a.get(c) * a.get(c));
    });
    const last = 5 + 3 * 7;
    expect(findUnsatisfied(shape, k, W, [5n, BigInt(last * last)])).toBeNull();
    expect(findUnsatisfied(shape, k, W, [5n, 1n])).toEqual({ step: 7, row: 3 });
    const bad = [...W];
    bad[4 * shape.m + c] += 1n;
    expect(findUnsatisfied(shape, k, bad, [5n, BigInt(last * last)])).toEqual({ step: 3, row: 0 });
    expect(() => b.constrain([[pub(start), 1]], [], [])).toThrow(/boundary/);
    expect(() => b.constrainAt('first', [[wNext(c), 1]], [], [])).toThrow(/next step/);
  });

  it('random blocks (every family, random coefficients): block-based evaluation equals the dense matrices', () => {
    let s = 0x5eed;
    const rand = (n: number): number => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return (s >>> 8) % n;
    };
    for (let run = 0; run < 25; run++) {
      const b = new UniformBuilder();
      const nW = 1 + rand(5);
      const nX = rand(4);
      for (let i = 0; i < nW; i++) b.witness();
      for (let i = 0; i < nX; i++) b.publicInput();
      const coeff = (): bigint => (rand(3) === 0 ? rnd() : BigInt(rand(7)) - 3n);
      const lc = (kinds: ('w' | 'wNext' | 'one' | 'x')[]) => {
        const terms: [ReturnType<typeof w>, bigint][] = [];
        for (let t = rand(4); t > 0; t--) {
          const kind = kinds[rand(kinds.length)];
          if (kind === 'w') terms.push([w(rand(nW)), coeff()]);
          else if (kind === 'wNext') terms.push([wNext(rand(nW)), coeff()]);
          else if (kind === 'x' && nX > 0) terms.push([pub(rand(nX)), coeff()]);
          else terms.push([ONE, coeff()]);
        }
        return terms;
      };
      for (let c = 1 + rand(5); c > 0; c--) {
        const kinds: ('w' | 'wNext' | 'one')[] = ['w', 'wNext', 'one'];
        b.constrain(lc(kinds), lc(kinds), lc(kinds));
      }
      for (let c = rand(4); c > 0; c--) {
        const kinds: ('w' | 'one' | 'x')[] = ['w', 'one', 'x'];
        b.constrainAt(rand(2) ? 'first' : 'last', lc(kinds), lc(kinds), lc(kinds));
      }
      const shape = b.build();
      const ks = [0, 1, 2, 3].filter((k) => 1 + nX <= 2 ** k * shape.m);
      const k = ks[rand(ks.length)];
      const d = dimensions(shape, k);
      const Ds = dense(shape, k);
      const W = Array.from({ length: d.T * d.m }, () => (rand(2) ? rnd() : BigInt(rand(256))));
      const x = Array.from({ length: nX }, rnd);
      const u = rnd();
      const z = assembleZ(W, u, x);
      const p = multiply(shape, k, W, u, x);
      [p.Az, p.Bz, p.Cz].forEach((v, which) => {
        expect(v).toEqual(
          Ds[which].map((row) => row.reduce((acc, c, j) => add(acc, mul(c, z[j])), 0n)),
        );
      });
      const rx = Array.from({ length: d.rowVars }, rnd);
      const ry = Array.from({ length: d.colVars }, rnd);
      const ex = eqTable(rx);
      const ey = eqTable(ry);
      const expected = Ds.map((D) =>
        D.reduce(
          (acc, row, i) =>
            add(
              acc,
              mul(
                ex[i],
                row.reduce((a, c, j) => add(a, mul(c, ey[j])), 0n),
              ),
            ),
          0n,
        ),
      );
      expect(evaluateMatrices(shape, k, rx, ry)).toEqual(expected);
      const g = rnd();
      const vec = combinedRowVector(shape, k, rx, [1n, g, mul(g, g)]);
      expect(evaluateMLE(vec, ry)).toBe(
        add(expected[0], add(mul(g, expected[1]), mul(mul(g, g), expected[2]))),
      );
    }
  });

  it('the digest separates circuits', () => {
    expect(Buffer.from(shapeDigest(fibonacciCircuit().shape))).not.toEqual(
      Buffer.from(shapeDigest(byteCounterCircuit().shape)),
    );
  });

  describe('two-phase shapes', () => {
    /** The dense MLE of D restricted to the given columns, at (rx, ryLow) of the W or io half. */
    const denseMle = (
      D: Fr[][],
      rx: Fr[],
      ryLow: Fr[],
      cols: (j: number) => boolean,
      io: boolean,
    ) => {
      const ex = eqTable(rx);
      const ey = eqTable(ryLow);
      const half = ey.length;
      return D.reduce(
        (acc, row, i) =>
          add(
            acc,
            mul(
              ex[i],
              ey.reduce((a, e, j) => (cols(j) ? add(a, mul(e, row[(io ? half : 0) + j])) : a), 0n),
            ),
          ),
        0n,
      );
    };

    it('random blocks with challenges at every step and phase-2 columns: products, MLE parts and the row vector equal the dense matrices', () => {
      let s = 0xfeed;
      const rand = (n: number): number => {
        s = (Math.imul(s, 1103515245) + 12345) >>> 0;
        return (s >>> 8) % n;
      };
      for (let run = 0; run < 25; run++) {
        const b = new UniformBuilder();
        const nW = 2 + rand(5);
        const cols = Array.from({ length: nW }, () => b.witness({ phase: rand(2) ? 2 : 1 }));
        const nX = rand(3);
        const xs = Array.from({ length: nX }, () => b.publicInput({ phase: rand(2) ? 2 : 1 }));
        const chs = Array.from({ length: 1 + rand(2) }, () => b.challenge());
        const coeff = (): bigint => (rand(3) === 0 ? rnd() : BigInt(rand(7)) - 3n);
        const lc = (boundary: boolean) => {
          const terms: [ReturnType<typeof w>, bigint][] = [];
          for (let t = rand(4); t > 0; t--) {
            const kind = rand(5);
            if (kind === 0) terms.push([w(cols[rand(nW)]), coeff()]);
            else if (kind === 1)
              terms.push([boundary ? w(cols[rand(nW)]) : wNext(cols[rand(nW)]), coeff()]);
            else if (kind === 2) terms.push([chs[rand(chs.length)], coeff()]);
            else if (kind === 3 && boundary && nX > 0) terms.push([pub(xs[rand(nX)]), coeff()]);
            else terms.push([ONE, coeff()]);
          }
          return terms;
        };
        for (let c = 1 + rand(5); c > 0; c--) b.constrain(lc(false), lc(false), lc(false));
        for (let c = rand(4); c > 0; c--)
          b.constrainAt(rand(2) ? 'first' : 'last', lc(true), lc(true), lc(true));
        const shape = b.build();
        expect(isTwoPhase(shape)).toBe(true);
        const ks = [0, 1, 2, 3].filter((k) => 1 + shape.nPublic <= 2 ** k * shape.m);
        const k = ks[rand(ks.length)];
        const d = dimensions(shape, k);
        const Ds = dense(shape, k);
        const W = Array.from({ length: d.T * d.m }, () => (rand(2) ? rnd() : BigInt(rand(256))));
        const x = Array.from({ length: shape.nPublic }, rnd);
        const u = rnd();
        const z = assembleZ(W, u, x);
        const p = multiply(shape, k, W, u, x);
        [p.Az, p.Bz, p.Cz].forEach((v, which) => {
          expect(v).toEqual(
            Ds[which].map((row) => row.reduce((acc, c, j) => add(acc, mul(c, z[j])), 0n)),
          );
        });
        const rx = Array.from({ length: d.rowVars }, rnd);
        const ryLow = Array.from({ length: d.witnessVars }, rnd);
        const phase2 = columnPhase2Mask(shape);
        const parts = matrixParts(shape, k, rx, ryLow);
        Ds.forEach((D, which) => {
          expect(parts[which]).toEqual({
            w1: denseMle(D, rx, ryLow, (j) => !phase2[j % d.m], false),
            w2: denseMle(D, rx, ryLow, (j) => phase2[j % d.m], false),
            io: denseMle(D, rx, ryLow, () => true, true),
          });
        });
        const ry = [...ryLow, rnd()];
        const ey = eqTable(ry);
        const ex = eqTable(rx);
        const full = Ds.map((D) =>
          D.reduce(
            (acc, row, i) =>
              add(
                acc,
                mul(
                  ex[i],
                  row.reduce((a, c, j) => add(a, mul(c, ey[j])), 0n),
                ),
              ),
            0n,
          ),
        );
        expect(evaluateMatrices(shape, k, rx, ry)).toEqual(full);
        const g = rnd();
        const vec = combinedRowVector(shape, k, rx, [1n, g, mul(g, g)]);
        expect(evaluateMLE(vec, ry)).toBe(
          add(full[0], add(mul(g, full[1]), mul(mul(g, g), full[2]))),
        );
        // The two parts of a witness are disjoint and sum to it.
        const W1 = witnessPart(shape, W, 1);
        const W2 = witnessPart(shape, W, 2);
        W.forEach((v, i) => {
          expect(add(W1[i], W2[i])).toBe(v);
          expect(phase2[i % d.m] ? W1[i] : W2[i]).toBe(0n);
        });
      }
    });

    it('builder: phases, challenge slots, and the rules on public inputs', () => {
      const b = new UniformBuilder();
      const a = b.witness();
      const z = b.witness({ phase: 2 });
      const x0 = b.publicInput();
      const g = b.challenge();
      const out = b.publicInput({ phase: 2 });
      // A challenge may be used at every step; an ordinary public input may not.
      b.constrain(
        [[w(z), 1]],
        [
          [g, 1],
          [wNext(a), -1],
        ],
        [[wNext(z), 1]],
      );
      expect(() => b.constrain([[pub(x0), 1]], [], [])).toThrow(/boundary/);
      expect(() => b.constrain([[pub(out), 1]], [], [])).toThrow(/boundary/);
      b.constrainAt('first', [[w(a), 1]], [[ONE, 1]], [[pub(x0), 1]]);
      b.constrainAt('last', [[w(z), 1]], [[ONE, 1]], [[pub(out), 1]]);
      expect(() => b.witness({ phase: 3 as 1 })).toThrow(/phase/);
      const shape = b.build();
      expect(shape.phase2Columns).toEqual([z]);
      expect(shape.challengeInputs).toEqual([(g as { index: number }).index]);
      expect(shape.phase2Inputs).toEqual([out]);
      expect(phase1InputSlots(shape)).toEqual([x0]);
      expect(carriedInputSlots(shape)).toEqual([x0, out]);
      expect(shape.B.pubEvery).toEqual([{ row: 0, col: 1, coeff: 1n }]);
      // The phase marks are part of the circuit: the same constraints with z in
      // phase 1 are another circuit.
      const flat = { ...shape, phase2Columns: [] };
      expect(Buffer.from(shapeDigest(flat))).not.toEqual(Buffer.from(shapeDigest(shape)));
    });

    it('a shape without phase 2 or challenges keeps its single-phase form', () => {
      const { shape } = fibonacciCircuit();
      expect(isTwoPhase(shape)).toBe(false);
      expect('phase2Columns' in shape || 'pubEvery' in shape.A).toBe(false);
    });

    it('generateWitness over a base witness fills phase 2 and keeps phase 1', () => {
      const b = new UniformBuilder();
      const a = b.witness();
      const z = b.witness({ phase: 2 });
      b.constrain([[w(a), 1]], [[ONE, 1]], [[w(a), 1]]);
      const shape = b.build();
      const base = generateWitness(shape, 2, (s) => s.set(a, s.step + 1));
      const full = generateWitness(shape, 2, (s) => s.set(z, s.get(a) * 10n), base);
      expect(full.filter((_, i) => i % shape.m === a)).toEqual([1n, 2n, 3n, 4n]);
      expect(full.filter((_, i) => i % shape.m === z)).toEqual([10n, 20n, 30n, 40n]);
      expect(base.filter((_, i) => i % shape.m === z)).toEqual([0n, 0n, 0n, 0n]);
      expect(() => generateWitness(shape, 3, () => undefined, base)).toThrow(/base witness/);
    });
  });
});

describe('linked inputs', () => {
  const { shape } = permutationCircuit();
  const [a0] = phase1InputSlots(shape);

  it('are left out of later segments, change the circuit digest, and are checked', () => {
    const linked: UniformShape = { ...shape, linkedInputs: [[a0, a0]] };
    expect(encodedPhase1Slots(linked, 0)).toEqual(phase1InputSlots(shape));
    expect(encodedPhase1Slots(linked, 1)).toEqual([]);
    expect(encodedPhase1Slots(shape, 1)).toEqual(phase1InputSlots(shape));
    expect(Buffer.from(shapeDigest(linked))).not.toEqual(Buffer.from(shapeDigest(shape)));
    expect(Buffer.from(shapeDigest({ ...shape, linkedInputs: [] }))).toEqual(
      Buffer.from(shapeDigest(shape)),
    );
    expect(() => checkLinkedInputs(linked)).not.toThrow();
    const challenge = shape.challengeInputs![0];
    expect(() => checkLinkedInputs({ ...shape, linkedInputs: [[a0, challenge]] })).toThrow(
      /not phase-1/,
    );
    expect(() =>
      checkLinkedInputs({
        ...shape,
        linkedInputs: [
          [a0, a0],
          [a0, a0],
        ],
      }),
    ).toThrow(/twice/);
    // Single-phase shapes link inputs too (the zkVM's block is one since its memory argument
    // moved out of the circuit); a slot beyond the inputs is still refused.
    const single = fibonacciCircuit().shape;
    expect(() => checkLinkedInputs({ ...single, linkedInputs: [[0, 0]] })).not.toThrow();
    expect(() => checkLinkedInputs({ ...single, linkedInputs: [[0, single.nPublic]] })).toThrow(
      /not phase-1/,
    );
  });
});
