/**
 * Linear combinations for writing the CPU block by hand: terms keyed by column, merged as they
 * are added, turned into the builder's LinearCombination (src/zk/r1cs/uniform.ts) at the end.
 * Coefficients are integers (bigint), reduced into Fr by the builder.
 */
import { LinearCombination, ONE, Var, pub, w, wNext } from '../r1cs/uniform';

const ONE_KEY = -1;
/** Public input p has key PUB_KEY − p (below every column and ONE). */
const PUB_KEY = -2;
/** Keys at and above this are columns of the next step. */
const NEXT_BASE = 1 << 24;

export type LinLike = Lin | bigint | number;

export class Lin {
  private constructor(private readonly terms: ReadonlyMap<number, bigint>) {}

  static readonly ZERO = new Lin(new Map());

  /** Column j of the current step. */
  static col(j: number, k: bigint | number = 1n): Lin {
    return new Lin(new Map([[j, BigInt(k)]]));
  }

  /** Column j of the next step. */
  static next(j: number): Lin {
    return new Lin(new Map([[NEXT_BASE + j, 1n]]));
  }

  /**
   * Public input p: allowed in boundary constraints, and in every constraint when p is a
   * challenge slot (src/zk/r1cs/uniform.ts).
   */
  static pub(p: number): Lin {
    return new Lin(new Map([[PUB_KEY - p, 1n]]));
  }

  static of(x: LinLike): Lin {
    if (x instanceof Lin) return x;
    return new Lin(new Map([[ONE_KEY, BigInt(x)]]));
  }

  /** Σ 2^i · cols[i]: a word from its bits (or any weighted sum with weights 2^(shift+i)). */
  static bits(cols: readonly number[], shift = 0): Lin {
    const m = new Map<number, bigint>();
    cols.forEach((c, i) => m.set(c, 1n << BigInt(shift + i)));
    return new Lin(m);
  }

  static sum(xs: readonly LinLike[]): Lin {
    return xs.reduce<Lin>((acc, x) => acc.plus(x), Lin.ZERO);
  }

  plus(x: LinLike, k: bigint | number = 1n): Lin {
    const o = Lin.of(x);
    const kk = BigInt(k);
    const m = new Map(this.terms);
    for (const [key, c] of o.terms) {
      const v = (m.get(key) ?? 0n) + c * kk;
      if (v === 0n) m.delete(key);
      else m.set(key, v);
    }
    return new Lin(m);
  }

  minus(x: LinLike): Lin {
    return this.plus(x, -1n);
  }

  times(k: bigint | number): Lin {
    const kk = BigInt(k);
    if (kk === 0n) return Lin.ZERO;
    const m = new Map<number, bigint>();
    for (const [key, c] of this.terms) m.set(key, c * kk);
    return new Lin(m);
  }

  /** 1 − this, the complement of a boolean expression. */
  not(): Lin {
    return Lin.of(1).minus(this);
  }

  /**
   * The terms over current-step columns and the constant, for evaluating the combination on a
   * row of numbers (witness generation). Throws if it mentions the next step or a public input.
   */
  rowTerms(): { cols: number[]; coeffs: number[]; constant: number } {
    const cols: number[] = [];
    const coeffs: number[] = [];
    let constant = 0;
    for (const [key, c] of this.terms) {
      if (key === ONE_KEY) constant = Number(c);
      else if (key <= PUB_KEY || key >= NEXT_BASE) throw new Error('not a same-row combination');
      else {
        cols.push(key);
        coeffs.push(Number(c));
      }
    }
    return { cols, coeffs, constant };
  }

  /** rowTerms with the exact (bigint) coefficients, for field arithmetic on the combination. */
  rowTermsExact(): { cols: number[]; coeffs: bigint[]; constant: bigint } {
    const cols: number[] = [];
    const coeffs: bigint[] = [];
    let constant = 0n;
    for (const [key, c] of this.terms) {
      if (key === ONE_KEY) constant = c;
      else if (key <= PUB_KEY || key >= NEXT_BASE) throw new Error('not a same-row combination');
      else {
        cols.push(key);
        coeffs.push(c);
      }
    }
    return { cols, coeffs, constant };
  }

  toLC(): LinearCombination {
    const out: [Var, bigint][] = [];
    for (const [key, c] of this.terms) {
      const v =
        key === ONE_KEY
          ? ONE
          : key <= PUB_KEY
            ? pub(PUB_KEY - key)
            : key >= NEXT_BASE
              ? wNext(key - NEXT_BASE)
              : w(key);
      out.push([v, c]);
    }
    return out;
  }
}
