# Guest entry: set up the stack from the linker script, call main, exit with its result.
# The loader zero-fills .bss (PT_LOAD memsz > filesz), so there is nothing to clear.
    .file "start.S"
    .section .text.start, "ax"
    .globl _start
_start:
    la sp, __stack_top
    li a0, 0
    li a1, 0
    call main
    li a7, 93
    ecall
1:  j 1b
