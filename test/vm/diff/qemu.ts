/** Runs an ELF under qemu-riscv32 with the guest ABI's file descriptors (0 public, 3 private). */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface QemuResult {
  stdout: Buffer;
  stderr: Buffer;
  /** Linux exit status: the guest's exit code modulo 256. */
  status: number;
}

export function qemuAvailable(): boolean {
  return spawnSync('qemu-riscv32', ['--version']).status === 0;
}

export function runQemu(
  elf: Uint8Array,
  publicInput: Uint8Array = new Uint8Array(0),
  privateInput: Uint8Array = new Uint8Array(0),
): QemuResult {
  const dir = mkdtempSync(join(tmpdir(), 'zkvm-qemu-'));
  try {
    const prog = join(dir, 'prog.elf');
    writeFileSync(prog, elf, { mode: 0o755 });
    writeFileSync(join(dir, 'public'), publicInput);
    writeFileSync(join(dir, 'private'), privateInput);
    const pub = openSync(join(dir, 'public'), 'r');
    const priv = openSync(join(dir, 'private'), 'r');
    try {
      const r = spawnSync('qemu-riscv32', [prog], {
        stdio: [pub, 'pipe', 'pipe', priv],
        timeout: 60_000,
        maxBuffer: 64 * 1024 * 1024,
      });
      if (r.error) throw r.error;
      if (r.status === null) throw new Error(`qemu-riscv32 was killed by ${r.signal}`);
      return { stdout: r.stdout, stderr: r.stderr, status: r.status };
    } finally {
      closeSync(pub);
      closeSync(priv);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
