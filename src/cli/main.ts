#!/usr/bin/env node
/** The zkvm command line: one file per command, registered here. */
import { Command } from 'commander';
import { registerProveCommand } from './prove-command';
import { registerRunCommand } from './run-command';
import { registerVerifyCommand } from './verify-command';

export function buildProgram(): Command {
  const program = new Command('zkvm').description(
    'A zero-knowledge RISC-V (RV32IM) virtual machine',
  );
  registerRunCommand(program);
  registerProveCommand(program);
  registerVerifyCommand(program);
  return program;
}

if (require.main === module) {
  buildProgram()
    .parseAsync(process.argv)
    .catch((err: unknown) => {
      process.stderr.write(`zkvm: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(2);
    });
}
