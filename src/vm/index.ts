/** Public surface of the VM library (no Nest, no database): see docs/guest-abi.md and docs/trace.md. */
export * from './memory-map';
export * from './program-image';
export * from './elf-loader';
export * from './elf-writer';
export * from './fault';
export * from './machine';
export * from './trace';
export { TraceChecker } from './trace-check';
export * from './program-digest';
export * from './syscalls';
export { assemble, AsmError } from './asm/assembler';
export { decode, disassemble } from './isa/decode';
export { loadProgram } from './load-program';
