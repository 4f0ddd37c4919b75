/**
 * Golden bytes (STYLE.md #3): the encoding of one small proof and one leaf
 * challenge are pinned, so any change to the transcript order, the labels or the
 * layout is a visible, deliberate change (and must come with a protocol version
 * bump and an update of docs/protocol.md §5/§7).
 *
 * To regenerate after such a change: run `npx jest test/zk/golden`, check that the
 * change is intended, and paste the "received" values below.
 */
import { keccak_256 } from '@noble/hashes/sha3';
import { drawPoint, liftCore } from '../../src/zk/folding/mova';
import { headerDigest } from '../../src/zk/folding/statement';
import { statementHeader } from '../../src/zk/spartan/pipeline';
import { drawChallenges } from '../../src/zk/folding/two-phase';
import { fib, honestProof, honestTwoPhase, perm, transparent } from './helpers';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('golden bytes', () => {
  it('proof encoding of fibonacci, 2 segments of 2^1 steps, transparent PCS', () => {
    const h = honestProof(fib, transparent, 1, 2);
    expect(hex(h.bytes.subarray(0, 10))).toBe('5a4b564d464f4c440200');
    expect(h.bytes.length).toBe(GOLDEN_LENGTH);
    expect(hex(keccak_256(h.bytes))).toBe(GOLDEN_PROOF_HASH);
  });

  it('shared point and leaf lift', () => {
    const hd = headerDigest(statementHeader(fib.shape, transparent, 1, 2));
    const ctx = { shape: fib.shape, k: 1, hd };
    const point = drawPoint(ctx, [
      { comm: new Uint8Array([1, 2, 3]), x: [5n, 6n, 7n, 8n] },
      { comm: new Uint8Array([4]), x: [9n, 10n, 11n, 12n] },
    ]);
    const core = liftCore(ctx, 1, point, [9n, 10n, 11n, 12n]);
    expect(core.r[0].toString(16)).toBe(GOLDEN_R0);
    expect(hex(core.digest)).toBe(GOLDEN_DIGEST);
  });

  it('two-phase proof encoding: permutation example, 2 segments of 2^1 steps, transparent PCS', () => {
    const h = honestTwoPhase(transparent, 1, 2, 11);
    expect(hex(h.bytes.subarray(0, 10))).toBe('5a4b564d464f4c440200');
    expect(h.bytes.length).toBe(GOLDEN_2P_LENGTH);
    expect(hex(keccak_256(h.bytes))).toBe(GOLDEN_2P_PROOF_HASH);
  });

  it('global challenge draw', () => {
    const hd = headerDigest(statementHeader(perm.shape, transparent, 1, 2));
    const draw = drawChallenges({ shape: perm.shape, k: 1, hd }, [
      { comm1: new Uint8Array([1, 2, 3]), x: [5n, 0n, 0n, 0n] },
      { comm1: new Uint8Array([4]), x: [6n, 0n, 0n, 0n] },
    ]);
    expect(draw.challenges[0].toString(16)).toBe(GOLDEN_GAMMA);
    expect(hex(draw.digest)).toBe(GOLDEN_DRAW_DIGEST);
  });
});

const GOLDEN_LENGTH = 1723;
const GOLDEN_PROOF_HASH = '202bccd43fbe5eb6fbd923d89db5f98de1fa6ec16f3a0e94bdf63d57c52bc25d';
const GOLDEN_R0 = '18e714bfed5b8eaf5a42a5cb514cbd107934a46f03ce0673e3ba7bac1272110f';
const GOLDEN_DIGEST = '98d7ed9b6397cd6a7a445a4005fcb89cb0d07fd3c716bc858effb497588e387b';
const GOLDEN_2P_LENGTH = 2291;
const GOLDEN_2P_PROOF_HASH = 'e7ff85d3c9a7569a03f40a23a82b11e1ff552fe8cc63bc251fe1b1f196c0ba16';
const GOLDEN_GAMMA = '20c714e33fc2be7db51c13aa47784b0a5626367e79f46af10e13cb36f03649fb';
const GOLDEN_DRAW_DIGEST = '0711f76af34f82a52fc4b7bb3d52e5481aa1fd2b178cfc344e46ffae86e1fe7a';
