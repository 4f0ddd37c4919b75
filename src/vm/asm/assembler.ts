import {
  ABI_REGISTER_NAMES,
  INSTRUCTION_BY_NAME,
  InstructionSpec,
  encodeB,
  encodeFence,
  encodeI,
  encodeJ,
  encodeR,
  encodeS,
  encodeU,
} from '../isa/instructions';
import { MemoryLimits, PROGRAM_BASE, resolveMemoryLimits, stackBottom } from '../memory-map';
import { ImageSegment, ProgramImage } from '../program-image';

/**
 * A two-pass assembler for textual RV32IM assembly in GNU syntax (docs/assembly.md). It lays
 * out .text and .rodata in one read+execute segment at PROGRAM_BASE and .data and .bss in one
 * read+write segment on the next 4 KiB page, the same ProgramImage a linked ELF would give.
 */
export class AsmError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'AsmError';
  }
}

type SectionName = 'text' | 'rodata' | 'data' | 'bss';

interface Item {
  line: number;
  section: SectionName;
  offset: number;
  size: number;
  /** Emits the bytes once every symbol is known. */
  emit: (out: DataView, at: number, addr: number) => void;
}

const REGISTERS = new Map<string, number>();
ABI_REGISTER_NAMES.forEach((n, i) => {
  REGISTERS.set(n, i);
  REGISTERS.set(`x${i}`, i);
});
REGISTERS.set('fp', 8);

const spec = (name: string): InstructionSpec => INSTRUCTION_BY_NAME.get(name)!;

/** Splits operands on commas outside quotes and parentheses. */
function splitOperands(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  let quote = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      cur += c;
      if (c === '\\') cur += s[++i] ?? '';
      else if (c === '"') quote = false;
    } else if (c === '"') {
      quote = true;
      cur += c;
    } else if (c === '(') {
      depth++;
      cur += c;
    } else if (c === ')') {
      depth--;
      cur += c;
    } else if (c === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else {
      cur += c;
    }
  }
  if (cur.trim() !== '') out.push(cur.trim());
  return out;
}

function stripComment(line: string): string {
  let quote = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === '"') quote = false;
    } else if (c === '"') quote = true;
    else if (c === '#' || (c === '/' && line[i + 1] === '/')) return line.slice(0, i);
  }
  return line;
}

function parseString(lit: string, line: number): Uint8Array {
  const m = /^"((?:[^"\\]|\\.)*)"$/.exec(lit.trim());
  if (!m) throw new AsmError(line, `expected a string literal, got ${lit}`);
  const bytes: number[] = [];
  const s = m[1];
  const esc: Record<string, number> = { n: 10, t: 9, r: 13, '0': 0, '\\': 92, '"': 34, "'": 39 };
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') {
      const c = s[++i];
      if (c === 'x') {
        bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
        i += 2;
      } else if (c in esc) bytes.push(esc[c]);
      else throw new AsmError(line, `unknown escape \\${c}`);
    } else {
      for (const b of Buffer.from(s[i], 'utf8')) bytes.push(b);
    }
  }
  return Uint8Array.from(bytes);
}

export function assemble(source: string, limits?: Partial<MemoryLimits>): ProgramImage {
  const lim = resolveMemoryLimits(limits);
  const symbols = new Map<string, number>();
  /** Symbols defined as section offsets, resolved to addresses after layout. */
  const labels = new Map<string, { section: SectionName; offset: number; line: number }>();
  const items: Item[] = [];
  const size: Record<SectionName, number> = { text: 0, rodata: 0, data: 0, bss: 0 };
  let section: SectionName = 'text';

  const lookup = (name: string, line: number): number => {
    const v = symbols.get(name);
    if (v === undefined) throw new AsmError(line, `undefined symbol "${name}"`);
    return v;
  };

  /** Evaluates an expression: terms joined by + and -, a term a number, symbol or %hi/%lo. */
  // `expr` is undefined when a directive or instruction lacks the operand.
  const evaluate = (expr: string | undefined, line: number, allowSymbols = true): number => {
    const s = (expr ?? '').replace(/\s+/g, '');
    if (s === '') throw new AsmError(line, 'missing operand');
    let total = 0;
    let i = 0;
    let sign = 1;
    if (s[0] === '+' || s[0] === '-') {
      sign = s[0] === '-' ? -1 : 1;
      i = 1;
    }
    while (i <= s.length) {
      let j = i;
      let depth = 0;
      while (j < s.length && (depth > 0 || (s[j] !== '+' && s[j] !== '-') || j === i)) {
        if (s[j] === '(') depth++;
        if (s[j] === ')') depth--;
        j++;
      }
      const term = s.slice(i, j);
      let v: number;
      const rel = /^%(hi|lo)\((.*)\)$/.exec(term);
      if (rel) {
        const x = evaluate(rel[2], line, allowSymbols) | 0;
        v = rel[1] === 'hi' ? ((x + 0x800) >>> 12) & 0xfffff : (x << 20) >> 20;
      } else if (/^0x[0-9a-f]+$/i.test(term)) v = parseInt(term.slice(2), 16);
      else if (/^0b[01]+$/i.test(term)) v = parseInt(term.slice(2), 2);
      else if (/^[0-9]+$/.test(term)) v = parseInt(term, 10);
      else if (/^'(\\.|.)'$/.test(term)) v = parseString(`"${term.slice(1, -1)}"`, line)[0];
      else if (/^[A-Za-z_.$][\w.$]*$/.test(term)) {
        if (!allowSymbols && !symbols.has(term)) {
          throw new AsmError(line, `"${term}" must be a constant defined earlier with .equ`);
        }
        v = lookup(term, line);
      } else throw new AsmError(line, `cannot parse "${term}"`);
      total += sign * v;
      if (j >= s.length) break;
      sign = s[j] === '-' ? -1 : 1;
      i = j + 1;
    }
    return total;
  };

  const reg = (s: string, line: number): number => {
    const r = REGISTERS.get(s.trim().toLowerCase());
    if (r === undefined) throw new AsmError(line, `"${s}" is not a register`);
    return r;
  };

  const memOperand = (s: string, line: number): { base: number; offset: string } => {
    const m = /^(.*)\(\s*([\w$]+)\s*\)$/.exec(s.trim());
    if (!m) throw new AsmError(line, `expected offset(register), got "${s}"`);
    return { base: reg(m[2], line), offset: m[1].trim() === '' ? '0' : m[1] };
  };

  const checkImm = (v: number, bits: number, line: number, what: string): number => {
    const lo = -(2 ** (bits - 1));
    const hi = 2 ** (bits - 1) - 1;
    if (v < lo || v > hi) throw new AsmError(line, `${what} ${v} does not fit in ${bits} bits`);
    return v;
  };

  const emitWords = (line: number, words: ((addr: number) => number)[]): void => {
    if (section !== 'text') {
      throw new AsmError(line, `instructions must be in .text, not .${section}`);
    }
    if (size.text % 4 !== 0) {
      throw new AsmError(line, 'instruction is not 4-byte aligned: add .align 2 before it');
    }
    words.forEach((f, k) => {
      items.push({
        line,
        section,
        offset: size.text + 4 * k,
        size: 4,
        emit: (out, at, addr) => out.setUint32(at, f(addr) >>> 0, true),
      });
    });
    size.text += 4 * words.length;
  };

  const emitData = (line: number, n: number, emit: Item['emit']): void => {
    if (section === 'bss' && n > 0) {
      throw new AsmError(line, '.bss holds only zeros: use .space or .zero');
    }
    items.push({ line, section, offset: size[section], size: n, emit });
    size[section] += n;
  };

  const align = (n: number): void => {
    size[section] = Math.ceil(size[section] / n) * n;
  };

  const instruction = (mn: string, ops: string[], line: number): void => {
    const want = (n: number): void => {
      if (ops.length !== n) {
        throw new AsmError(
          line,
          `${mn} takes ${n} operand${n === 1 ? '' : 's'}, got ${ops.length}`,
        );
      }
    };
    const target = (expr: string, pc: number, bits: number): number =>
      checkImm(evaluate(expr, line) - pc, bits, line, 'branch offset');
    const branch = (name: string, a: string, b: string, t: string): void =>
      emitWords(line, [(pc) => encodeB(spec(name), reg(a, line), reg(b, line), target(t, pc, 13))]);
    const jal = (rd: number, t: string): void =>
      emitWords(line, [(pc) => encodeJ(spec('jal'), rd, target(t, pc, 21))]);
    const li = (rd: number, value: number): void => {
      const v = value | 0;
      if (value > 0xffffffff || value < -0x80000000) {
        throw new AsmError(line, `li value ${value} does not fit in 32 bits`);
      }
      if (v >= -2048 && v < 2048) {
        emitWords(line, [() => encodeI(spec('addi'), rd, 0, v)]);
        return;
      }
      const hi = ((v + 0x800) >>> 12) & 0xfffff;
      const lo = (v << 20) >> 20;
      emitWords(
        line,
        lo === 0
          ? [() => encodeU(spec('lui'), rd, hi)]
          : [() => encodeU(spec('lui'), rd, hi), () => encodeI(spec('addi'), rd, rd, lo)],
      );
    };

    switch (mn) {
      case 'nop':
        want(0);
        return emitWords(line, [() => encodeI(spec('addi'), 0, 0, 0)]);
      case 'li':
        want(2);
        return li(reg(ops[0], line), evaluate(ops[1], line, false));
      case 'la': {
        want(2);
        const rd = reg(ops[0], line);
        // auipc + addi, as GNU as does, so the result is position-correct.
        return emitWords(line, [
          (pc) =>
            encodeU(spec('auipc'), rd, ((evaluate(ops[1], line) - pc + 0x800) >>> 12) & 0xfffff),
          (pc) => encodeI(spec('addi'), rd, rd, ((evaluate(ops[1], line) - (pc - 4)) << 20) >> 20),
        ]);
      }
      case 'mv':
        want(2);
        return emitWords(line, [
          () => encodeI(spec('addi'), reg(ops[0], line), reg(ops[1], line), 0),
        ]);
      case 'not':
        want(2);
        return emitWords(line, [
          () => encodeI(spec('xori'), reg(ops[0], line), reg(ops[1], line), -1),
        ]);
      case 'neg':
        want(2);
        return emitWords(line, [
          () => encodeR(spec('sub'), reg(ops[0], line), 0, reg(ops[1], line)),
        ]);
      case 'seqz':
        want(2);
        return emitWords(line, [
          () => encodeI(spec('sltiu'), reg(ops[0], line), reg(ops[1], line), 1),
        ]);
      case 'snez':
        want(2);
        return emitWords(line, [
          () => encodeR(spec('sltu'), reg(ops[0], line), 0, reg(ops[1], line)),
        ]);
      case 'sltz':
        want(2);
        return emitWords(line, [
          () => encodeR(spec('slt'), reg(ops[0], line), reg(ops[1], line), 0),
        ]);
      case 'sgtz':
        want(2);
        return emitWords(line, [
          () => encodeR(spec('slt'), reg(ops[0], line), 0, reg(ops[1], line)),
        ]);
      case 'j':
        want(1);
        return jal(0, ops[0]);
      case 'call':
        want(1);
        return jal(1, ops[0]);
      case 'tail':
        want(1);
        return jal(0, ops[0]);
      case 'jr':
        want(1);
        return emitWords(line, [() => encodeI(spec('jalr'), 0, reg(ops[0], line), 0)]);
      case 'ret':
        want(0);
        return emitWords(line, [() => encodeI(spec('jalr'), 0, 1, 0)]);
      case 'beqz':
      case 'bnez':
      case 'bltz':
      case 'bgez':
        want(2);
        return branch(mn.slice(0, 3), ops[0], 'zero', ops[1]);
      case 'blez':
        want(2);
        return branch('bge', 'zero', ops[0], ops[1]);
      case 'bgtz':
        want(2);
        return branch('blt', 'zero', ops[0], ops[1]);
      case 'bgt':
      case 'ble':
      case 'bgtu':
      case 'bleu': {
        want(3);
        const real = { bgt: 'blt', ble: 'bge', bgtu: 'bltu', bleu: 'bgeu' }[mn];
        return branch(real, ops[1], ops[0], ops[2]);
      }
      case 'fence':
        return emitWords(line, [() => encodeFence()]);
      case 'ecall':
      case 'ebreak':
        want(0);
        return emitWords(line, [() => spec(mn).word!]);
    }

    const s = INSTRUCTION_BY_NAME.get(mn);
    if (!s) throw new AsmError(line, `unknown instruction "${mn}"`);
    switch (s.format) {
      case 'R':
        want(3);
        return emitWords(line, [
          () => encodeR(s, reg(ops[0], line), reg(ops[1], line), reg(ops[2], line)),
        ]);
      case 'Ishift':
        want(3);
        return emitWords(line, [
          () => {
            const sh = evaluate(ops[2], line);
            if (sh < 0 || sh > 31) throw new AsmError(line, `shift amount ${sh} is not in 0..31`);
            return encodeI(s, reg(ops[0], line), reg(ops[1], line), sh);
          },
        ]);
      case 'I': {
        if (s.name === 'jalr') {
          if (ops.length === 1) {
            return emitWords(line, [() => encodeI(s, 1, reg(ops[0], line), 0)]);
          }
          if (ops.length === 3) {
            return emitWords(line, [
              () =>
                encodeI(
                  s,
                  reg(ops[0], line),
                  reg(ops[1], line),
                  checkImm(evaluate(ops[2], line), 12, line, 'offset'),
                ),
            ]);
          }
        }
        if (s.opcode === 0x03 || s.name === 'jalr') {
          want(2);
          return emitWords(line, [
            () => {
              const m = memOperand(ops[1], line);
              return encodeI(
                s,
                reg(ops[0], line),
                m.base,
                checkImm(evaluate(m.offset, line), 12, line, 'offset'),
              );
            },
          ]);
        }
        want(3);
        return emitWords(line, [
          () =>
            encodeI(
              s,
              reg(ops[0], line),
              reg(ops[1], line),
              checkImm(evaluate(ops[2], line), 12, line, 'immediate'),
            ),
        ]);
      }
      case 'S':
        want(2);
        return emitWords(line, [
          () => {
            const m = memOperand(ops[1], line);
            return encodeS(
              s,
              m.base,
              reg(ops[0], line),
              checkImm(evaluate(m.offset, line), 12, line, 'offset'),
            );
          },
        ]);
      case 'B':
        want(3);
        return branch(s.name, ops[0], ops[1], ops[2]);
      case 'U':
        want(2);
        return emitWords(line, [
          () => {
            const v = evaluate(ops[1], line);
            if (v < 0 || v > 0xfffff)
              throw new AsmError(line, `upper immediate ${v} is not in 0..0xfffff`);
            return encodeU(s, reg(ops[0], line), v);
          },
        ]);
      case 'J':
        if (ops.length === 1) return jal(1, ops[0]);
        want(2);
        return jal(reg(ops[0], line), ops[1]);
      default:
        throw new AsmError(line, `unsupported instruction "${mn}"`);
    }
  };

  const directive = (d: string, rest: string, line: number): void => {
    const ops = splitOperands(rest);
    switch (d) {
      case '.text':
      case '.data':
      case '.rodata':
      case '.bss':
        section = d.slice(1) as SectionName;
        return;
      case '.section': {
        const name = (ops[0] ?? '').split(',')[0].trim();
        const m = /^\.(text|rodata|data|bss|sdata|sbss|srodata)\b/.exec(name);
        if (!m) throw new AsmError(line, `unknown section "${name}"`);
        section =
          ({ sdata: 'data', sbss: 'bss', srodata: 'rodata' } as Record<string, SectionName>)[
            m[1]
          ] ?? (m[1] as SectionName);
        return;
      }
      case '.globl':
      case '.global':
      case '.type':
      case '.size':
      case '.file':
      case '.option':
        return;
      case '.equ':
      case '.set': {
        if (ops.length !== 2) throw new AsmError(line, `${d} takes a name and a value`);
        symbols.set(ops[0], evaluate(ops[1], line, false));
        return;
      }
      case '.align':
      case '.p2align':
      case '.balign': {
        const v = evaluate(ops[0], line, false);
        const bytes = d === '.balign' ? v : 2 ** v;
        if (!Number.isInteger(bytes) || bytes < 1 || bytes > 65536 || (bytes & (bytes - 1)) !== 0) {
          throw new AsmError(line, `${d} ${v} is not a power-of-two alignment up to 65536 bytes`);
        }
        return align(bytes);
      }
      case '.space':
      case '.zero': {
        const n = evaluate(ops[0], line, false);
        if (n < 0) throw new AsmError(line, `${d} needs a non-negative size`);
        items.push({ line, section, offset: size[section], size: n, emit: () => undefined });
        size[section] += n;
        return;
      }
      case '.byte':
      case '.half':
      case '.2byte':
      case '.word':
      case '.4byte': {
        const w = d === '.byte' ? 1 : d === '.word' || d === '.4byte' ? 4 : 2;
        if (w > 1 && size[section] % w !== 0 && section === 'text') align(w);
        for (const op of ops) {
          emitData(line, w, (out, at) => {
            const v = evaluate(op, line);
            if (v < -(2 ** (8 * w - 1)) || v >= 2 ** (8 * w)) {
              throw new AsmError(line, `${d} value ${v} does not fit in ${8 * w} bits`);
            }
            if (w === 1) out.setUint8(at, v & 0xff);
            else if (w === 2) out.setUint16(at, v & 0xffff, true);
            else out.setUint32(at, v >>> 0, true);
          });
        }
        return;
      }
      case '.ascii':
      case '.asciz':
      case '.string':
        for (const op of ops) {
          const bytes = parseString(op, line);
          const n = bytes.length + (d === '.ascii' ? 0 : 1);
          emitData(line, n, (out, at) => new Uint8Array(out.buffer).set(bytes, at));
        }
        return;
      default:
        throw new AsmError(line, `unknown directive "${d}"`);
    }
  };

  // Pass 1: sizes and label offsets.
  const localCount = new Map<string, number>();
  source.split(/\r?\n/).forEach((raw, idx) => {
    const line = idx + 1;
    let text = stripComment(raw).trim();
    for (;;) {
      const local = /^(\d+)\s*:/.exec(text);
      if (local) {
        // Numeric local labels (GNU "1:" with "1b"/"1f" references) get unique hidden names.
        const n = local[1];
        const k = (localCount.get(n) ?? 0) + 1;
        localCount.set(n, k);
        text = `.Llocal${n}_${k}:` + text.slice(local[0].length);
      }
      const m = /^([A-Za-z_.$][\w.$]*)\s*:/.exec(text);
      if (!m) break;
      if (labels.has(m[1]) || symbols.has(m[1])) {
        throw new AsmError(line, `label "${m[1]}" is defined twice`);
      }
      labels.set(m[1], { section, offset: size[section], line });
      text = text.slice(m[0].length).trim();
    }
    if (text === '') return;
    text = text.replace(/\b(\d+)([bf])\b/g, (_, n: string, dir: string) => {
      const k = (localCount.get(n) ?? 0) + (dir === 'f' ? 1 : 0);
      if (k === 0) throw new AsmError(line, `no earlier local label "${n}:" for ${n}b`);
      return `.Llocal${n}_${k}`;
    });
    const m = /^(\S+)\s*(.*)$/.exec(text)!;
    const head = m[1].toLowerCase();
    if (head.startsWith('.')) directive(head, m[2], line);
    else instruction(head, splitOperands(m[2]), line);
  });

  // Layout: text then rodata (read+execute), data then bss on the next page (read+write).
  const rodataStart = Math.ceil(size.text / 16) * 16;
  const codeSize = size.rodata > 0 ? rodataStart + size.rodata : size.text;
  const dataBase = PROGRAM_BASE + Math.ceil(Math.max(codeSize, 4) / 4096) * 4096;
  const bssStart = Math.ceil(size.data / 16) * 16;
  const base: Record<SectionName, number> = {
    text: PROGRAM_BASE,
    rodata: PROGRAM_BASE + rodataStart,
    data: dataBase,
    bss: dataBase + bssStart,
  };
  const rwSize = size.bss > 0 ? bssStart + size.bss : size.data;
  // Checked before any bytes are allocated: the source may come from an untrusted upload.
  if (codeSize + rwSize > lim.maxImageSize) {
    throw new AsmError(
      1,
      `the program needs ${codeSize + rwSize} bytes, more than the ${lim.maxImageSize} a program image may use`,
    );
  }
  if (dataBase + rwSize > stackBottom(lim)) {
    throw new AsmError(1, 'the data sections reach into the stack region');
  }
  for (const [name, l] of labels) symbols.set(name, base[l.section] + l.offset);

  // Pass 2: bytes.
  const code = new Uint8Array(codeSize);
  const data = new Uint8Array(size.data);
  const codeView = new DataView(code.buffer);
  const dataView = new DataView(data.buffer);
  for (const it of items) {
    if (it.section === 'bss') continue;
    const inCode = it.section === 'text' || it.section === 'rodata';
    const at = it.offset + (it.section === 'rodata' ? rodataStart : 0);
    it.emit(inCode ? codeView : dataView, at, base[it.section] + it.offset);
  }

  const segments: ImageSegment[] = [];
  if (codeSize === 0) throw new AsmError(1, 'the program has no instructions');
  segments.push({
    vaddr: PROGRAM_BASE,
    memSize: codeSize,
    data: code,
    readable: true,
    writable: false,
    executable: true,
  });
  if (rwSize > 0) {
    segments.push({
      vaddr: dataBase,
      memSize: rwSize,
      data,
      readable: true,
      writable: true,
      executable: false,
    });
  }
  const start = labels.get('_start');
  if (start && start.section !== 'text') throw new AsmError(start.line, '_start must be in .text');
  return { entry: start ? symbols.get('_start')! : PROGRAM_BASE, segments };
}
