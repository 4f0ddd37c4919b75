/**
 * The guest I/O ABI (docs/guest-abi.md). Numbers and argument order follow the Linux RISC-V
 * syscall convention so a guest ELF runs unchanged under qemu-riscv32 for differential tests.
 */
export const SYS_READ = 63;
export const SYS_WRITE = 64;
export const SYS_EXIT = 93;
export const SYS_EXIT_GROUP = 94;

export const FD_PUBLIC_INPUT = 0;
export const FD_PUBLIC_OUTPUT = 1;
export const FD_DEBUG_LOG = 2;
export const FD_PRIVATE_INPUT = 3;

/** Linux's EBADF, returned negated in a0 for a file descriptor the ABI does not define. */
export const EBADF = 9;
