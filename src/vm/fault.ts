export type VmFaultCode =
  | 'illegal-instruction'
  | 'fetch-outside-code'
  | 'misaligned-fetch'
  | 'misaligned-access'
  | 'out-of-bounds'
  | 'write-protected'
  | 'unknown-ecall'
  | 'output-too-large';

const hex = (n: number): string => '0x' + (n >>> 0).toString(16).padStart(8, '0');

/**
 * A guest error that stops execution: the guest did something the VM defines as fatal. It
 * always names the pc; memory faults also name the address and illegal instructions the word.
 */
export class VmFault extends Error {
  constructor(
    readonly code: VmFaultCode,
    readonly pc: number,
    message: string,
    readonly address?: number,
    readonly word?: number,
  ) {
    super(message);
    this.name = 'VmFault';
  }

  static illegal(pc: number, word: number): VmFault {
    return new VmFault(
      'illegal-instruction',
      pc,
      `Illegal instruction ${hex(word)} at pc ${hex(pc)}: not an RV32IM instruction.`,
      undefined,
      word >>> 0,
    );
  }

  static memory(
    code: 'misaligned-access' | 'out-of-bounds' | 'write-protected',
    pc: number,
    address: number,
    size: number,
    write: boolean,
  ): VmFault {
    const what = `${write ? 'store' : 'load'} of ${size} byte${size > 1 ? 's' : ''}`;
    const why =
      code === 'misaligned-access'
        ? `is not ${size}-byte aligned (misaligned accesses are not supported)`
        : code === 'write-protected'
          ? 'is in a read-only or executable segment'
          : 'is outside mapped memory';
    return new VmFault(
      code,
      pc,
      `Memory fault at pc ${hex(pc)}: ${what} at address ${hex(address)} ${why}.`,
      address >>> 0,
    );
  }
}

export { hex as formatHex };
