/**
 * An independent, deliberately simple checker of execution traces: the per-row relation the
 * constraint system (issue 5) must enforce, written as plain code. It recomputes every row
 * from its own columns with BigInt arithmetic (no code shared with the interpreter), and keeps
 * the register file and memory as maps to check that every read sees the last write — the
 * property the offline memory-checking argument proves.
 *
 * It is a test oracle and a specification, not a fast path: about a million rows per second.
 */
import { decode } from './isa/decode';
import { PROGRAM_BASE } from './memory-map';
import { ProgramImage } from './program-image';
import {
  FD_DEBUG_LOG,
  FD_PRIVATE_INPUT,
  FD_PUBLIC_INPUT,
  FD_PUBLIC_OUTPUT,
  SYS_EXIT,
  SYS_EXIT_GROUP,
  SYS_READ,
  SYS_WRITE,
} from './syscalls';
import { MEM_READ, MEM_WRITE, TraceSegment } from './trace';

const M32 = 0xffffffffn;
const u = (x: number): bigint => BigInt(x >>> 0);
const s = (x: number): bigint => BigInt(x | 0);
const w = (x: bigint): number => Number(x & M32);

export class TraceChecker {
  private readonly regs = new Uint32Array(32);
  private readonly mem = new Map<number, number>();
  private readonly code = new Map<number, number>();
  private expectedPc: number;
  private cycle = 0;
  private publicCursor = 0;
  private privateCursor = 0;
  private readonly output: number[] = [];
  readonly errors: string[] = [];
  exited = false;

  constructor(
    image: ProgramImage,
    private readonly publicInput: Uint8Array = new Uint8Array(0),
    private readonly privateInput: Uint8Array = new Uint8Array(0),
    memoryTop = 0x0400_0000,
  ) {
    for (const seg of image.segments) {
      for (let a = seg.vaddr & ~3; a < seg.vaddr + seg.memSize; a += 4) {
        let v = 0;
        for (let b = 0; b < 4; b++) {
          const i = a + b - seg.vaddr;
          if (i >= 0 && i < seg.data.length) v |= seg.data[i] << (8 * b);
        }
        if (v !== 0) this.mem.set(a, v >>> 0);
        if (seg.executable) this.code.set(a, v >>> 0);
      }
    }
    this.expectedPc = image.entry;
    this.regs[2] = memoryTop;
  }

  get publicOutput(): Uint8Array {
    return Uint8Array.from(this.output);
  }

  private fail(row: number, what: string): void {
    if (this.errors.length < 20) this.errors.push(`cycle ${this.cycle + row}: ${what}`);
  }

  /** Checks one segment; segments must be given in order. Returns this.errors. */
  check(seg: TraceSegment): string[] {
    if (seg.startCycle !== this.cycle)
      this.fail(0, `segment starts at cycle ${seg.startCycle}, expected ${this.cycle}`);
    let io = 0;
    let ecall = 0;
    for (let r = 0; r < seg.length; r++) {
      const pc = seg.pc[r];
      const instr = seg.instr[r];
      if (this.exited) this.fail(r, 'row after exit');
      if (pc !== this.expectedPc)
        this.fail(
          r,
          `pc 0x${pc.toString(16)} does not follow nextPc 0x${this.expectedPc.toString(16)}`,
        );
      if (this.code.get(pc) !== instr)
        this.fail(r, `instr 0x${instr.toString(16)} is not the code word at 0x${pc.toString(16)}`);
      for (const [idx, val, name] of [
        [seg.rs1[r], seg.rs1Val[r], 'rs1'],
        [seg.rs2[r], seg.rs2Val[r], 'rs2'],
      ] as const) {
        if (this.regs[idx] !== val)
          this.fail(
            r,
            `${name} = x${idx} reads 0x${val.toString(16)}, register holds 0x${this.regs[idx].toString(16)}`,
          );
      }
      const d = decode(instr);
      if (!d) {
        this.fail(r, `illegal instruction 0x${instr.toString(16)} retired`);
        continue;
      }
      const isEcall = d.spec.name === 'ecall';
      const [want1, want2] = isEcall ? [17, 10] : [d.rs1, d.rs2];
      if (seg.rs1[r] !== want1 || seg.rs2[r] !== want2) {
        this.fail(
          r,
          `source registers x${seg.rs1[r]}, x${seg.rs2[r]} are not the instruction's x${want1}, x${want2}`,
        );
      }
      const a = seg.rs1Val[r];
      const b = seg.rs2Val[r];
      const imm = d.imm;
      let rd = d.rd;
      let val = 0n;
      let next = pc + 4;
      let mem: { addr: number; size: number; store: boolean; signed: boolean } | null = null;
      const name = d.spec.name;
      if (
        d.spec.format === 'R' ||
        d.spec.format === 'Ishift' ||
        (d.spec.opcode === 0x13 && d.spec.format === 'I')
      ) {
        const y = d.spec.format === 'R' ? b : imm >>> 0;
        const sh = BigInt(y & 31);
        switch (name.replace(/i$/, '').replace(/^sltiu$/, 'sltu')) {
          case 'add':
            val = u(a) + u(y);
            break;
          case 'sub':
            val = u(a) - u(y);
            break;
          case 'sll':
            val = u(a) << sh;
            break;
          case 'slt':
            val = s(a) < s(y) ? 1n : 0n;
            break;
          case 'sltu':
            val = u(a) < u(y) ? 1n : 0n;
            break;
          case 'xor':
            val = u(a) ^ u(y);
            break;
          case 'srl':
            val = u(a) >> sh;
            break;
          case 'sra':
            val = s(a) >> sh;
            break;
          case 'or':
            val = u(a) | u(y);
            break;
          case 'and':
            val = u(a) & u(y);
            break;
          case 'mul':
            val = s(a) * s(y);
            break;
          case 'mulh':
            val = (s(a) * s(y)) >> 32n;
            break;
          case 'mulhsu':
            val = (s(a) * u(y)) >> 32n;
            break;
          case 'mulhu':
            val = (u(a) * u(y)) >> 32n;
            break;
          case 'div':
            val = y === 0 ? -1n : s(a) === -(2n ** 31n) && s(y) === -1n ? s(a) : s(a) / s(y);
            break;
          case 'divu':
            val = y === 0 ? M32 : u(a) / u(y);
            break;
          case 'rem':
            val = y === 0 ? s(a) : s(a) === -(2n ** 31n) && s(y) === -1n ? 0n : s(a) % s(y);
            break;
          case 'remu':
            val = y === 0 ? u(a) : u(a) % u(y);
            break;
          default:
            this.fail(r, `no rule for ${name}`);
        }
        if (name === 'sltiu') val = u(a) < u(imm) ? 1n : 0n;
      } else if (name === 'lui') val = u(imm);
      else if (name === 'auipc') val = u(pc) + u(imm);
      else if (name === 'jal') {
        val = u(pc + 4);
        next = pc + imm;
      } else if (name === 'jalr') {
        val = u(pc + 4);
        next = w(u(a) + u(imm)) & ~1;
      } else if (d.spec.format === 'B') {
        const taken = {
          beq: a === b,
          bne: a !== b,
          blt: (a | 0) < (b | 0),
          bge: (a | 0) >= (b | 0),
          bltu: a < b,
          bgeu: a >= b,
        }[name];
        if (taken) next = pc + imm;
      } else if (d.spec.opcode === 0x03 || d.spec.format === 'S') {
        const size = name.includes('b') ? 1 : name.includes('h') ? 2 : 4;
        mem = {
          addr: w(u(a) + u(imm)),
          size,
          store: d.spec.format === 'S',
          signed: !name.endsWith('u'),
        };
      } else if (name === 'ecall') {
        rd = 0;
        const num = a;
        if (
          seg.ecalls.row[ecall] !== r ||
          seg.ecalls.number[ecall] !== num ||
          seg.ecalls.a0[ecall] !== b
        ) {
          this.fail(r, 'ecall side-table row does not match');
        }
        const a1 = seg.ecalls.a1[ecall];
        const a2 = seg.ecalls.a2[ecall];
        const result = seg.ecalls.result[ecall];
        ecall++;
        if (num === SYS_EXIT || num === SYS_EXIT_GROUP) {
          next = pc;
          this.exited = true;
        } else if (num === SYS_READ || num === SYS_WRITE) {
          rd = 10;
          const read = num === SYS_READ;
          const known = read
            ? b === FD_PUBLIC_INPUT || b === FD_PRIVATE_INPUT
            : b === FD_PUBLIC_OUTPUT || b === FD_DEBUG_LOG;
          let n = 0;
          if (!known) val = -9n;
          else if (read) {
            const src = b === FD_PUBLIC_INPUT ? this.publicInput : this.privateInput;
            const cursor = b === FD_PUBLIC_INPUT ? this.publicCursor : this.privateCursor;
            n = Math.min(a2, src.length - cursor);
            val = BigInt(n);
          } else {
            n = a2;
            val = BigInt(n);
          }
          // walk the io rows of this ecall
          let i = 0;
          const bytes: number[] = [];
          while (i < n) {
            const addr = (a1 + i) >>> 0;
            const word = addr & ~3;
            if (seg.io.row[io] !== r || seg.io.addr[io] !== word) {
              this.fail(r, `missing io row for word 0x${word.toString(16)}`);
              break;
            }
            const old = seg.io.old[io];
            if ((this.mem.get(word) ?? 0) !== old)
              this.fail(r, `io old word at 0x${word.toString(16)} is stale`);
            let neu = old;
            let mask = 0;
            for (let k = addr & 3; k < 4 && i < n; k++, i++) {
              mask |= 1 << k;
              if (read) {
                const src = b === FD_PUBLIC_INPUT ? this.publicInput : this.privateInput;
                const cursor = (b === FD_PUBLIC_INPUT ? this.publicCursor : this.privateCursor) + i;
                neu = ((neu & ~(0xff << (8 * k))) | (src[cursor] << (8 * k))) >>> 0;
              } else bytes.push((old >>> (8 * k)) & 0xff);
            }
            if (
              seg.io.new[io] !== neu ||
              seg.io.flags[io] !== (mask | (read ? MEM_WRITE : MEM_READ))
            ) {
              this.fail(r, `io row for word 0x${word.toString(16)} is wrong`);
            }
            this.mem.set(word, neu);
            io++;
          }
          if (read && known) {
            if (b === FD_PUBLIC_INPUT) this.publicCursor += n;
            else this.privateCursor += n;
          }
          if (!read && b === FD_PUBLIC_OUTPUT) this.output.push(...bytes);
        } else this.fail(r, `unknown ecall ${num} retired`);
        if (w(val) !== result && rd === 10)
          this.fail(r, 'ecall result does not match the side table');
      } else if (name === 'fence') {
        // no effect
      } else if (name === 'ebreak') this.fail(r, 'ebreak retired');

      // memory columns
      if (mem) {
        const word = mem.addr & ~3;
        const off = mem.addr & 3;
        const mask = ((1 << mem.size) - 1) << off;
        if (mem.addr % mem.size !== 0 || mem.addr < PROGRAM_BASE)
          this.fail(r, `bad access at 0x${mem.addr.toString(16)}`);
        const old = this.mem.get(word) ?? 0;
        const flags = mask | (mem.store ? MEM_WRITE : MEM_READ);
        if (seg.memAddr[r] !== mem.addr || seg.memFlags[r] !== flags || seg.memOld[r] !== old) {
          this.fail(
            r,
            `memory columns disagree: addr 0x${seg.memAddr[r].toString(16)} flags ${seg.memFlags[r]} old 0x${seg.memOld[r].toString(16)}, expected 0x${mem.addr.toString(16)} ${flags} 0x${old.toString(16)}`,
          );
        }
        if (mem.store) {
          if (this.code.has(word)) this.fail(r, 'store into code retired');
          const bits = 8 * mem.size;
          const v = b & (bits === 32 ? 0xffffffff : (1 << bits) - 1);
          const neu =
            ((old & ~(mask === 15 ? -1 : ((1 << bits) - 1) << (8 * off))) | (v << (8 * off))) >>> 0;
          if (seg.memNew[r] !== neu)
            this.fail(
              r,
              `store writes 0x${seg.memNew[r].toString(16)}, expected 0x${neu.toString(16)}`,
            );
          this.mem.set(word, neu);
          rd = 0;
        } else {
          if (seg.memNew[r] !== old) this.fail(r, 'a load changed memory');
          let v = BigInt(
            (old >>> (8 * off)) & (mem.size === 4 ? 0xffffffff : (1 << (8 * mem.size)) - 1),
          );
          if (mem.signed && mem.size < 4 && v >= 1n << BigInt(8 * mem.size - 1))
            v -= 1n << BigInt(8 * mem.size);
          val = v;
        }
      } else if (seg.memFlags[r] | seg.memAddr[r] | seg.memOld[r] | seg.memNew[r])
        this.fail(r, 'memory columns set without an access');

      const writes = d.spec.format !== 'S' && d.spec.format !== 'B' && rd !== 0;
      const wantRd = writes ? rd : 0;
      const wantVal = writes ? w(val) : 0;
      if (seg.rd[r] !== wantRd || seg.rdVal[r] !== wantVal) {
        this.fail(
          r,
          `${name} writes x${seg.rd[r]} = 0x${seg.rdVal[r].toString(16)}, expected x${wantRd} = 0x${wantVal.toString(16)}`,
        );
      }
      if (writes) this.regs[rd] = wantVal;
      if (seg.nextPc[r] !== next >>> 0)
        this.fail(
          r,
          `nextPc 0x${seg.nextPc[r].toString(16)}, expected 0x${(next >>> 0).toString(16)}`,
        );
      this.expectedPc = seg.nextPc[r];
    }
    if (io !== seg.io.row.length || ecall !== seg.ecalls.row.length)
      this.fail(seg.length, 'side tables have extra rows');
    this.cycle += seg.length;
    return this.errors;
  }
}
