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
import { liftCore } from '../../src/zk/folding/mova';
import { headerDigest } from '../../src/zk/folding/statement';
import { statementHeader } from '../../src/zk/spartan/pipeline';
import { drawChallenges } from '../../src/zk/folding/two-phase';
import { fib, honestProof, honestTwoPhase, perm, transparent } from './helpers';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('golden bytes', () => {
  it('proof encoding of fibonacci, 2 segments of 2^1 steps, transparent PCS', () => {
    const h = honestProof(fib, transparent, 1, 2);
    expect(hex(h.bytes.subarray(0, 10))).toBe('5a4b564d464f4c440100');
    expect(h.bytes.length).toBe(GOLDEN_LENGTH);
    expect(hex(keccak_256(h.bytes))).toBe(GOLDEN_PROOF_HASH);
  });

  it('leaf lift challenge', () => {
    const hd = headerDigest(statementHeader(fib.shape, transparent, 1, 2));
    const core = liftCore({ shape: fib.shape, k: 1, hd }, 0, new Uint8Array([1, 2, 3]), [
      5n,
      6n,
      7n,
      8n,
    ]);
    expect(core.r[0].toString(16)).toBe(GOLDEN_R0);
    expect(hex(core.digest)).toBe(GOLDEN_DIGEST);
  });

  it('two-phase proof encoding: permutation example, 2 segments of 2^1 steps, transparent PCS', () => {
    const h = honestTwoPhase(transparent, 1, 2, 11);
    expect(hex(h.bytes.subarray(0, 10))).toBe('5a4b564d464f4c440100');
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

const GOLDEN_LENGTH = 1963;
const GOLDEN_PROOF_HASH = '3c774c8e0ad1e83a4e4505dde139f4b8068b767b4a136a0c3d7d1c985a95bd92';
const GOLDEN_R0 = 'e273670325dd8a1687ab241a1327e89f599b0e7300e8b7850f30312f997dfe5';
const GOLDEN_DIGEST = 'f3ff8d0dcf409aba794f6915b0b482210f9e57701ea0281d2f3d49f9dd72ef97';
const GOLDEN_2P_LENGTH = 2347;
const GOLDEN_2P_PROOF_HASH = '6b0f7010b93347ae6ee4d68b0406fd0de6508b1f61617dd42f6a743d17c1a9ae';
const GOLDEN_GAMMA = '11a61ece7c0459f952944c8956a209b1ab9f4765d815ebfad3544ed461e5a6e6';
const GOLDEN_DRAW_DIGEST = '3fa51baee454151a96c663a4adf5809d8b80f938a5d50037a29e1ba2077f0f6e';
