/**
 * Directed assembly programs, one per instruction family, used by the vm-circuit specs: each
 * exercises the family's edge cases (overflow, sign, masking, division by zero, every byte
 * offset) and ends with exit(0), so its first segment is followed by padding rows.
 */
const EXIT = `
  li a7, 93
  li a0, 0
  ecall`;

export const DIRECTED: Readonly<Record<string, string>> = {
  'register ALU': `
  li a0, 0x7fffffff
  li a1, -3
  add a2, a0, a1
  add a2, a0, a0
  add a2, a1, a1
  sub a2, a1, a0
  sub a2, a0, a1
  sub a2, a0, a0
  xor a2, a0, a1
  or a2, a0, a1
  and a2, a0, a1
  slt a2, a1, a0
  slt a2, a0, a1
  slt a2, a0, a0
  sltu a2, a1, a0
  sltu a2, a0, a1
  sll a2, a1, a1
  srl a2, a1, a1
  sra a2, a1, a1
  li t0, 32
  sll a2, a0, t0
  srl a2, a1, t0
  sra a2, a1, t0
  li t1, 31
  sll a2, a1, t1
  sra a2, a1, t1
  srl a2, a1, t1
  add zero, a0, a1
  sub zero, a0, a1
  ${EXIT}`,

  'immediate ALU and upper immediates': `
  li a0, -100
  addi a1, a0, -2048
  addi a1, a0, 2047
  slti a1, a0, -101
  slti a1, a0, 5
  sltiu a1, a0, -1
  sltiu a1, a0, 5
  xori a1, a0, -1
  ori a1, a0, 0x7f0
  andi a1, a0, -16
  slli a1, a0, 31
  srli a1, a0, 1
  srai a1, a0, 4
  srai a1, a0, 0
  srli a1, a0, 31
  slli a1, a0, 0
  lui a2, 0xfffff
  lui a2, 0
  auipc a3, 0x80000
  auipc a3, 0xfffff
  auipc a3, 0
  addi zero, a0, 1
  nop
  fence
  fence rw, rw
  ${EXIT}`,

  'M extension': `
  li a0, -7
  li a1, 2
  li t0, 0x80000000
  li t1, -1
  mul a2, a0, a1
  mulh a2, a0, a1
  mulhsu a2, a0, a1
  mulhu a2, a0, a1
  mul a2, t0, t1
  mulh a2, t0, t1
  mulh a2, t0, t0
  mulhsu a2, t1, t0
  mulhsu a2, t0, t1
  mulhu a2, t1, t1
  mulh a2, t1, t1
  div a2, a0, a1
  divu a2, a0, a1
  rem a2, a0, a1
  remu a2, a0, a1
  div a2, t0, t1
  rem a2, t0, t1
  divu a2, t0, t1
  div a2, a0, zero
  divu a2, a0, zero
  rem a2, a0, zero
  remu a2, a0, zero
  div a2, zero, zero
  div a2, a1, a0
  rem a2, a1, a0
  div a2, t1, a1
  rem a2, t1, a1
  divu a2, t1, a1
  remu a2, t1, a0
  div a2, a0, a0
  rem a2, t0, a1
  mul zero, a0, a1
  ${EXIT}`,

  branches: `
  li a0, -1
  li a1, 1
  beq a0, a0, 1f
  ebreak
1:
  beq a0, a1, 9f
  bne a0, a1, 2f
  ebreak
2:
  bne a0, a0, 9f
  blt a0, a1, 3f
  ebreak
3:
  blt a1, a0, 9f
  bltu a0, a1, 9f
  bltu a1, a0, 4f
  ebreak
4:
  bge a0, a1, 9f
  bge a1, a0, 5f
  ebreak
5:
  bge a1, a1, 6f
  ebreak
6:
  bgeu a1, a0, 9f
  bgeu a0, a1, 7f
  ebreak
7:
  li t0, 3
8:
  addi t0, t0, -1
  bnez t0, 8b
  j 10f
9:
  ebreak
10:
  ${EXIT}`,

  jumps: `
  jal ra, 1f
  j 2f
1:
  jalr zero, 0(ra)
2:
  la t0, 3f
  addi t0, t0, 1
  jalr ra, 0(t0)
3:
  la t1, 4f
  addi t1, t1, 8
  jalr a5, -8(t1)
4:
  jal zero, 5f
  ebreak
5:
  jal 6f
6:
  ${EXIT}`,

  'loads and stores': `
  la t0, buf
  lb a0, 0(t0)
  lb a0, 1(t0)
  lb a0, 2(t0)
  lb a0, 3(t0)
  lbu a0, 3(t0)
  lbu a0, 2(t0)
  lbu a0, 1(t0)
  lh a0, 0(t0)
  lh a0, 2(t0)
  lhu a0, 2(t0)
  lhu a0, 0(t0)
  lw a0, 0(t0)
  lw a0, 4(t0)
  li a1, -2
  sb a1, 1(t0)
  sb a1, 7(t0)
  sb a1, 4(t0)
  sh a1, 2(t0)
  sh a1, 4(t0)
  sw a1, 0(t0)
  lw a0, 0(t0)
  lw a0, 4(t0)
  lw zero, 4(t0)
  lb zero, 3(t0)
  addi t1, t0, 8
  lw a0, -8(t1)
  sb zero, -5(t1)
  sh zero, -2(t1)
  lhu a0, -2(t1)
  ${EXIT}
  .data
buf:
  .word 0x80ff7f01, 0x11223344`,

  ecalls: `
  li a7, 63
  li a0, 0
  la a1, buf
  li a2, 4
  ecall
  li a7, 63
  li a0, 3
  la a1, buf
  li a2, 8
  ecall
  li a7, 63
  li a0, 7
  ecall
  li a7, 64
  li a0, 1
  la a1, buf
  li a2, 3
  ecall
  li a7, 64
  li a0, 2
  ecall
  li a7, 64
  li a0, 9
  ecall
  li a7, 94
  li a0, 5
  ecall
  .data
buf:
  .word 0, 0`,
};
