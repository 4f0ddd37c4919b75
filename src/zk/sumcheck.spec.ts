import fc from 'fast-check';
import { FR_MODULUS, Fr, add, mul, sub } from './field/fr';
import { proveSumcheck, verifySumcheck } from './sumcheck';
import { evaluateMLE } from './poly/multilinear';
import { Transcript } from './transcript';

let seed = 99n;
function rnd(): Fr {
  seed = (seed * 6364136223846793005n + 1442695040888963407n) % (1n << 64n);
  return (seed * seed * 0x9e3779b97f4a7c15n) % FR_MODULUS;
}
const rndVec = (n: number): Fr[] => Array.from({ length: n }, rnd);

function setup(n: number) {
  const tables = [rndVec(1 << n), rndVec(1 << n), rndVec(1 << n)];
  const combine = (v: readonly Fr[]): Fr => sub(mul(v[0], v[1]), mul(v[2], mul(v[2], v[0])));
  let claim = 0n;
  for (let i = 0; i < 1 << n; i++)
    claim = add(claim, combine([tables[0][i], tables[1][i], tables[2][i]]));
  return { tables, combine, claim };
}

describe('sumcheck (generic degree)', () => {
  it('is complete for a degree-3 product and the final claim equals g(point)', () => {
    const n = 5;
    const { tables, combine, claim } = setup(n);
    const out = proveSumcheck(claim, tables, 3, combine, new Transcript('test/sc', 1));
    const v = verifySumcheck(claim, n, 3, out.proof, new Transcript('test/sc', 1));
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.point).toEqual(out.point);
    const finals = tables.map((t) => evaluateMLE(t, v.point));
    expect(finals).toEqual(out.finals);
    expect(v.claim).toBe(combine(finals));
  });

  it('is complete for degree 1 and for zero variables', () => {
    const t = rndVec(8);
    const claim = t.reduce(add, 0n);
    const out = proveSumcheck(claim, [t], 1, (v) => v[0], new Transcript('d', 1));
    expect(verifySumcheck(claim, 3, 1, out.proof, new Transcript('d', 1)).ok).toBe(true);
    const z = proveSumcheck(5n, [[5n]], 2, (v) => v[0], new Transcript('d', 1));
    const vz = verifySumcheck(5n, 0, 2, z.proof, new Transcript('d', 1));
    expect(vz.ok && vz.claim === 5n).toBe(true);
  });

  it('rejects a wrong claim with the round that failed (malicious prover)', () => {
    const n = 4;
    const { tables, combine, claim } = setup(n);
    const bad = add(claim, 1n);
    // The honest algorithm run on a false claim: round 0 is consistent by construction
    // (s(1) = claim − s(0)), so the lie surfaces at the final claim check.
    const out = proveSumcheck(bad, tables, 3, combine, new Transcript('x', 1));
    const v = verifySumcheck(bad, n, 3, out.proof, new Transcript('x', 1));
    expect(v.ok).toBe(true);
    if (v.ok) expect(v.claim).not.toBe(combine(tables.map((t) => evaluateMLE(t, v.point))));
    // And a proof for the true claim does not verify against the false one.
    const honest = proveSumcheck(claim, tables, 3, combine, new Transcript('x', 1));
    const v2 = verifySumcheck(bad, n, 3, honest.proof, new Transcript('x', 1));
    expect(v2).toEqual({
      ok: false,
      error: { kind: 'sumcheck-round', round: 0, expected: bad, actual: claim },
    });
  });

  it('rejects any single tampered round evaluation', () => {
    const n = 3;
    const { tables, combine, claim } = setup(n);
    const out = proveSumcheck(claim, tables, 3, combine, new Transcript('x', 1));
    for (let j = 0; j < n; j++) {
      for (let e = 0; e < 4; e++) {
        const rounds = out.proof.rounds.map((r) => [...r]);
        rounds[j][e] = add(rounds[j][e], 1n);
        const v = verifySumcheck(claim, n, 3, { rounds }, new Transcript('x', 1));
        const finals = v.ok ? combine(tables.map((t) => evaluateMLE(t, v.point))) : null;
        expect(v.ok && v.claim === finals).toBe(false);
      }
    }
  });

  it('never throws on arbitrary round data (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.bigInt({ min: 0n, max: FR_MODULUS - 1n }), { maxLength: 5 }), {
          maxLength: 5,
        }),
        fc.bigInt({ min: 0n, max: FR_MODULUS - 1n }),
        (rounds, claim) => {
          const v = verifySumcheck(claim, 3, 3, { rounds }, new Transcript('p', 1));
          expect(typeof v.ok).toBe('boolean');
        },
      ),
      { numRuns: 200 },
    );
  });
});
