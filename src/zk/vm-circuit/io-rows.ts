/**
 * I/O ecalls in the stage-2 block (docs/vm-circuit.md §1, §4): the header row (the `read` or
 * `write` ecall itself) and its continuation rows, one per guest word the call moves, in the
 * order of the trace's `io` side table (docs/trace.md). The buffer, length and descriptor are
 * register reads of the header (slots 3/4 read a1, a2); the bytes move between the guest word
 * (slots 3/4) and a tape, byte by byte, through the four slots a continuation row does not
 * otherwise use (0, 1, 2, 5). Tapes: the public input (key range pubin, written by the
 * verifier's prologue), the public output (pubout, read back by the epilogue) and the private
 * input, whose bytes are free witness values read once, in order, so it needs no memory.
 *
 * The cursors, the tape lengths and the progress of the current call are carried from row to
 * row as state (`…` in, `…N` out, in[t+1] = out[t]); segments chain them through public
 * boundary values.
 *
 * Semantics (docs/guest-abi.md): read(fd 0 | 3, buf, len) moves n = min(len, length − cursor)
 * bytes and returns n; write(fd 1, buf, len) appends len bytes to the output and returns len;
 * write(fd 2) (the debug log, not part of the statement) returns len and moves nothing the
 * proof sees. Undefined descriptors (−EBADF) have no valid row: such a run cannot be proven.
 */
import { AccessSlot, CpuLayout, Writer } from './cpu-block';
import { Lin } from './lin';
import { KEY_BASE } from './spaces';

const TWO32 = 1n << 32n;

/** The carried I/O state, in and out columns alike, in this order. */
export const IO_STATE = [
  'pubCur',
  'privCur',
  'outCur',
  'pubLen',
  'privLen',
  'ioAddr',
  'ioLeft',
  'ioPos',
  'ioPub',
  'ioPriv',
  'ioOut',
] as const;
export type IoStateName = (typeof IO_STATE)[number];

export interface IoLayout {
  /** Header kinds: read public input, read private input, write output, write debug log. */
  readonly rdPub: number;
  readonly rdPriv: number;
  readonly wrOut: number;
  readonly wrLog: number;
  /** A read or write on an undefined descriptor (returns −EBADF, moves nothing). */
  readonly badRead: number;
  readonly badWrite: number;
  /** fd bit 0 · fd bit 1, for the descriptor tests of bad calls. */
  readonly fdLow: number;
  /** a1 and a2 of a header row (0 elsewhere). */
  readonly buf: number;
  readonly len: number;
  /** Bytes left on the selected input tape, and cSum·(len − left) for min(len, left). */
  readonly left: number;
  readonly minSel: number;
  /** Continuation rows: bytes of the word moved, the first of them, moved bytes of memNew. */
  readonly mask: readonly number[];
  readonly start: readonly number[];
  readonly bytes: readonly number[];
  /** Tape accesses: whether byte i is one, the tape key of byte 0 (and that less pc). */
  readonly act: readonly number[];
  readonly tapeKey: number;
  readonly tapeKey0: number;
  readonly outCont: number;
  readonly state: Readonly<Record<IoStateName, number>>;
  readonly stateN: Readonly<Record<IoStateName, number>>;
}

/**
 * Writes the I/O rules into W over a CPU layout written with continuation rows, and returns the
 * access slots extended with the header's register reads and the continuation rows' tape bytes.
 */
export function writeIo(
  W: Writer,
  L: CpuLayout,
  slots: readonly AccessSlot[],
): { io: IoLayout; slots: AccessSlot[] } {
  if (L.cont < 0) throw new Error('the CPU block was written without continuation rows');
  const col = (j: number): Lin => Lin.col(j);
  const [rdPub, rdPriv, wrOut, wrLog, badRead, badWrite, fdLow] = W.cols(7, 'bit');
  const buf = W.col();
  const len = W.col();
  const left = W.col();
  const minSel = W.col();
  const mask = W.cols(4, 'bit');
  const start = W.cols(4, 'bit');
  const bytes = W.cols(4, 'byte');
  const act = W.cols(4, 'bit');
  const tapeKey = W.col();
  const tapeKey0 = W.col();
  const outCont = W.col('bit');
  const kind = (n: IoStateName): 'bit' | 'word' =>
    n === 'ioPub' || n === 'ioPriv' || n === 'ioOut' ? 'bit' : 'word';
  const state = {} as Record<IoStateName, number>;
  const stateN = {} as Record<IoStateName, number>;
  for (const n of IO_STATE) state[n] = W.col(kind(n));
  for (const n of IO_STATE) stateN[n] = W.col(kind(n));
  const s = (n: IoStateName): Lin => col(state[n]);
  const sN = (n: IoStateName): Lin => col(stateN[n]);

  const cont = col(L.cont);
  const ecRead = col(L.ecRead);
  const ecWrite = col(L.ecWrite);
  const hdrAll = ecRead.plus(ecWrite);
  const hdrIo = col(rdPub).plus(col(rdPriv)).plus(col(wrOut));
  const reads = col(rdPub).plus(col(rdPriv));
  const fd = col(L.rs2Val);
  const res = col(L.res);
  const k = Lin.sum(mask.map(col));
  const off = Lin.sum(start.map((b, i) => col(b).times(i)));
  const byteOf = (bits: readonly number[], i: number): Lin =>
    Lin.bits(bits.slice(8 * i, 8 * i + 8));

  // ---- header rows -----------------------------------------------------------------------------
  for (const b of [rdPub, rdPriv, wrOut, wrLog, badRead, badWrite]) W.bool(b, 'I/O kind boolean');
  W.lin(ecRead.minus(reads).minus(col(badRead)), 'read ecall: fd 0, 3 or another');
  W.lin(
    ecWrite.minus(col(wrOut)).minus(col(wrLog)).minus(col(badWrite)),
    'write ecall: fd 1, 2 or another',
  );
  // An undefined descriptor, shown through the idle sum unit: fd − 3·b0·b1 is 0 only for fd 0
  // and 3, and hi + (1 − b0)(1 − b1) + b0·b1 = fd − 2·b0 − 3·b1 + 2·b0·b1 + 1 only for 1 and 2.
  const b0 = col(L.bBits[0]);
  const b1 = col(L.bBits[1]);
  W.mul(b0, b1, col(fdLow), 'fd bit 0 · fd bit 1');
  const sumFull = col(L.sum).plus(col(L.cSum).times(TWO32));
  W.zero(col(badRead), sumFull.minus(fd).plus(col(fdLow).times(3)), 'bad read: sum = fd − 3·b0·b1');
  W.zero(
    col(badWrite),
    sumFull.minus(fd).plus(b0.times(2)).plus(b1.times(3)).minus(col(fdLow).times(2)).minus(1),
    'bad write: sum = fd − 2·b0 − 3·b1 + 2·b0·b1 + 1',
  );
  W.zero(col(badRead).plus(col(badWrite)), col(L.sumIsZero), 'bad descriptor: sum ≠ 0');
  W.zero(col(badRead).plus(col(badWrite)), res.minus(TWO32 - 9n), 'bad descriptor returns −EBADF');
  W.zero(col(rdPub), fd, 'read public input: fd = 0');
  W.zero(col(rdPriv), fd.minus(3), 'read private input: fd = 3');
  W.zero(col(wrOut), fd.minus(1), 'write output: fd = 1');
  W.zero(col(wrLog), fd.minus(2), 'write log: fd = 2');
  W.zero(hdrAll.not(), col(buf), 'buf only on I/O ecalls');
  W.zero(hdrAll.not(), col(len), 'len only on I/O ecalls');
  W.zero(col(rdPub), col(left).minus(s('pubLen')).plus(s('pubCur')), 'public bytes left');
  W.zero(col(rdPriv), col(left).minus(s('privLen')).plus(s('privCur')), 'private bytes left');
  // min(len, left) through the idle sum unit: cSum = 1 ⇔ len ≥ left.
  const S = col(L.sum).plus(col(L.cSum).times(TWO32));
  W.zero(reads, S.minus(col(len)).plus(col(left)).minus(TWO32), 'read: compare len and left');
  W.mul(col(L.cSum), col(len).minus(col(left)), col(minSel), 'cSum·(len − left)');
  W.zero(reads, res.minus(col(len)).plus(col(minSel)), 'read returns min(len, left)');
  W.zero(col(wrOut).plus(col(wrLog)), res.minus(col(len)), 'write returns len');
  W.mul(col(rdPub), res, sN('pubCur').minus(s('pubCur')), 'public cursor advances');
  W.mul(col(rdPriv), res, sN('privCur').minus(s('privCur')), 'private cursor advances');
  W.mul(col(wrOut), res, sN('outCur').minus(s('outCur')), 'output cursor advances');
  W.lin(sN('pubLen').minus(s('pubLen')), 'public length constant');
  W.lin(sN('privLen').minus(s('privLen')), 'private length constant');

  // ---- the call in progress --------------------------------------------------------------------
  W.zero(hdrIo, sN('ioAddr').minus(col(buf)), 'header: next guest byte = buf');
  W.zero(cont, sN('ioAddr').minus(col(L.memWord)).minus(4), 'continuation: next word');
  W.zero(hdrIo, sN('ioLeft').minus(res), 'header: bytes to move = result');
  W.zero(cont, sN('ioLeft').minus(s('ioLeft')).plus(k), 'continuation: bytes left');
  W.zero(hdrIo.plus(cont).not(), sN('ioLeft'), 'nothing pending after other rows');
  W.zero(cont.not(), s('ioLeft'), 'only continuation rows while bytes are pending');
  W.zero(col(rdPub), sN('ioPos').minus(s('pubCur')), 'header: tape position (public input)');
  W.zero(col(rdPriv), sN('ioPos').minus(s('privCur')), 'header: tape position (private input)');
  W.zero(col(wrOut), sN('ioPos').minus(s('outCur')), 'header: tape position (output)');
  W.zero(cont, sN('ioPos').minus(s('ioPos')).minus(k), 'continuation: tape position');
  const kinds: [IoStateName, number][] = [
    ['ioPub', rdPub],
    ['ioPriv', rdPriv],
    ['ioOut', wrOut],
  ];
  for (const [n, hdr] of kinds) {
    W.bool(state[n], `${n} boolean`);
    W.bool(stateN[n], `${n}N boolean`);
    W.zero(hdrIo, sN(n).minus(col(hdr)), `header: ${n}`);
    W.zero(cont, sN(n).minus(s(n)), `continuation: ${n} carried`);
  }
  W.zero(cont, s('ioPub').plus(s('ioPriv')).plus(s('ioOut')).minus(1), 'continuation: one tape');
  for (const n of IO_STATE) W.lin(Lin.next(state[n]).minus(sN(n)), `${n}[t+1] = ${n}N[t]`);

  // ---- continuation rows: which bytes, from where, to where --------------------------------------
  start.forEach((b) => W.bool(b, 'start byte boolean'));
  mask.forEach((b) => W.bool(b, 'moved byte boolean'));
  W.lin(Lin.sum(start.map(col)).minus(cont), 'one start byte on continuation rows');
  W.zero(cont, s('ioAddr').minus(col(L.memWord)).minus(off), 'continuation: word of the next byte');
  mask.forEach((m, i) => {
    const upTo = Lin.sum(start.slice(0, i + 1).map(col));
    W.zero(col(m), upTo.not(), `byte ${i}: moved only from the start byte on`);
    W.zero(col(start[i]), col(m).not(), `byte ${i}: the start byte is moved`);
    if (i > 0)
      W.zero(
        col(m),
        col(mask[i - 1])
          .plus(col(start[i]))
          .not(),
        `byte ${i}: no gap in the run`,
      );
  });
  W.zero(cont.minus(col(mask[3])), sN('ioLeft'), 'a run that stops short ends the call');
  const oldBits = L.moBits;
  const newBits = L.rBits;
  mask.forEach((m, i) => {
    W.zero(
      cont.minus(col(m)),
      byteOf(newBits, i).minus(byteOf(oldBits, i)),
      `byte ${i}: kept unless moved`,
    );
    W.mul(cont, byteOf(newBits, i), col(bytes[i]), `byte ${i}: value on continuation rows`);
    W.mul(col(m), s('ioPub').plus(s('ioOut')), col(act[i]), `byte ${i}: tape access`);
  });
  W.mul(cont, s('ioOut'), col(outCont), 'continuation of an output write');
  W.zero(col(outCont), col(L.memNew).minus(col(L.memOld)), 'output write keeps the guest word');
  const tapeBase = s('ioPub')
    .times(KEY_BASE.pubin)
    .plus(s('ioPriv').times(KEY_BASE.privin))
    .plus(s('ioOut').times(KEY_BASE.pubout));
  const tapeAt = tapeBase.plus(s('ioPos')).minus(off);
  W.mul(cont, tapeAt, col(tapeKey), 'tape key of byte 0');
  W.mul(cont, tapeAt.minus(col(L.pc)), col(tapeKey0), 'tape key of byte 0, less pc');

  // ---- the slots ------------------------------------------------------------------------------
  const reg = KEY_BASE.reg;
  const tape = (i: number): Lin => col(tapeKey).plus(cont.times(i - reg));
  const ext = (
    slot: AccessSlot,
    add: { key?: Lin; value?: Lin; active?: Lin; write?: Lin },
  ): AccessSlot => ({
    ...slot,
    key: slot.key.plus(add.key ?? Lin.ZERO),
    value: slot.value.plus(add.value ?? Lin.ZERO),
    active: slot.active.plus(add.active ?? Lin.ZERO),
    write: add.write ?? slot.write,
  });
  const [fetch, rs1, rs2, memRead, memWrite, rd] = slots;
  const out = [
    ext(fetch, {
      key: col(tapeKey0),
      value: col(bytes[0]),
      active: col(act[0]),
      write: col(outCont),
    }),
    ext(rs1, { key: tape(1), value: col(bytes[1]), active: col(act[1]), write: col(outCont) }),
    ext(rs2, { key: tape(2), value: col(bytes[2]), active: col(act[2]), write: col(outCont) }),
    ext(memRead, { key: hdrAll.times(reg + 11), value: col(buf), active: hdrAll }),
    ext(memWrite, {
      key: hdrAll.times(reg + 12),
      value: col(len),
      active: hdrAll,
      write: memRead.active,
    }),
    ext(rd, {
      key: tape(3),
      value: col(bytes[3]),
      active: col(act[3]),
      write: cont.not().plus(col(outCont)),
    }),
  ];
  return {
    io: {
      rdPub,
      rdPriv,
      wrOut,
      wrLog,
      badRead,
      badWrite,
      fdLow,
      buf,
      len,
      left,
      minSel,
      mask,
      start,
      bytes,
      act,
      tapeKey,
      tapeKey0,
      outCont,
      state,
      stateN,
    },
    slots: out,
  };
}
