# Instructions whose encodings must equal GNU as output (gnu-corpus.reference.json).
  .globl _start
_start:
  add a0, a1, a2
  add zero, ra, sp
  add t6, s11, x31
  add x5, fp, tp
  sub a0, a1, a2
  sub zero, ra, sp
  sub t6, s11, x31
  sub x5, fp, tp
  sll a0, a1, a2
  sll zero, ra, sp
  sll t6, s11, x31
  sll x5, fp, tp
  slt a0, a1, a2
  slt zero, ra, sp
  slt t6, s11, x31
  slt x5, fp, tp
  sltu a0, a1, a2
  sltu zero, ra, sp
  sltu t6, s11, x31
  sltu x5, fp, tp
  xor a0, a1, a2
  xor zero, ra, sp
  xor t6, s11, x31
  xor x5, fp, tp
  srl a0, a1, a2
  srl zero, ra, sp
  srl t6, s11, x31
  srl x5, fp, tp
  sra a0, a1, a2
  sra zero, ra, sp
  sra t6, s11, x31
  sra x5, fp, tp
  or a0, a1, a2
  or zero, ra, sp
  or t6, s11, x31
  or x5, fp, tp
  and a0, a1, a2
  and zero, ra, sp
  and t6, s11, x31
  and x5, fp, tp
  mul a0, a1, a2
  mul zero, ra, sp
  mul t6, s11, x31
  mul x5, fp, tp
  mulh a0, a1, a2
  mulh zero, ra, sp
  mulh t6, s11, x31
  mulh x5, fp, tp
  mulhsu a0, a1, a2
  mulhsu zero, ra, sp
  mulhsu t6, s11, x31
  mulhsu x5, fp, tp
  mulhu a0, a1, a2
  mulhu zero, ra, sp
  mulhu t6, s11, x31
  mulhu x5, fp, tp
  div a0, a1, a2
  div zero, ra, sp
  div t6, s11, x31
  div x5, fp, tp
  divu a0, a1, a2
  divu zero, ra, sp
  divu t6, s11, x31
  divu x5, fp, tp
  rem a0, a1, a2
  rem zero, ra, sp
  rem t6, s11, x31
  rem x5, fp, tp
  remu a0, a1, a2
  remu zero, ra, sp
  remu t6, s11, x31
  remu x5, fp, tp
  addi a0, s1, 0
  addi a0, s1, 1
  addi a0, s1, -1
  addi a0, s1, 2047
  addi a0, s1, -2048
  addi a0, s1, 127
  slti a0, s1, 0
  slti a0, s1, 1
  slti a0, s1, -1
  slti a0, s1, 2047
  slti a0, s1, -2048
  slti a0, s1, 127
  sltiu a0, s1, 0
  sltiu a0, s1, 1
  sltiu a0, s1, -1
  sltiu a0, s1, 2047
  sltiu a0, s1, -2048
  sltiu a0, s1, 127
  xori a0, s1, 0
  xori a0, s1, 1
  xori a0, s1, -1
  xori a0, s1, 2047
  xori a0, s1, -2048
  xori a0, s1, 127
  ori a0, s1, 0
  ori a0, s1, 1
  ori a0, s1, -1
  ori a0, s1, 2047
  ori a0, s1, -2048
  ori a0, s1, 127
  andi a0, s1, 0
  andi a0, s1, 1
  andi a0, s1, -1
  andi a0, s1, 2047
  andi a0, s1, -2048
  andi a0, s1, 127
  slli t0, t1, 0
  slli t0, t1, 1
  slli t0, t1, 31
  srli t0, t1, 0
  srli t0, t1, 1
  srli t0, t1, 31
  srai t0, t1, 0
  srai t0, t1, 1
  srai t0, t1, 31
  lb a3, 0(gp)
  lb a3, -4(gp)
  lb a3, 2044(gp)
  lb a3, -2048(gp)
  lh a3, 0(gp)
  lh a3, -4(gp)
  lh a3, 2044(gp)
  lh a3, -2048(gp)
  lw a3, 0(gp)
  lw a3, -4(gp)
  lw a3, 2044(gp)
  lw a3, -2048(gp)
  lbu a3, 0(gp)
  lbu a3, -4(gp)
  lbu a3, 2044(gp)
  lbu a3, -2048(gp)
  lhu a3, 0(gp)
  lhu a3, -4(gp)
  lhu a3, 2044(gp)
  lhu a3, -2048(gp)
  lw a0, (a1)
  sb a4, 0(s0)
  sb a4, 8(s0)
  sb a4, -2048(s0)
  sb a4, 2047(s0)
  sh a4, 0(s0)
  sh a4, 8(s0)
  sh a4, -2048(s0)
  sh a4, 2047(s0)
  sw a4, 0(s0)
  sw a4, 8(s0)
  sw a4, -2048(s0)
  sw a4, 2047(s0)
  lui a0, 0
  lui a0, 0xfffff
  lui t0, 0x12345
  auipc a0, 0
  auipc ra, 0x80000
back:
  beq a0, a1, back
  beq a0, a1, fwd
  bne a0, a1, back
  bne a0, a1, fwd
  blt a0, a1, back
  blt a0, a1, fwd
  bge a0, a1, back
  bge a0, a1, fwd
  bltu a0, a1, back
  bltu a0, a1, fwd
  bgeu a0, a1, back
  bgeu a0, a1, fwd
  jal back
  jal ra, fwd
  jal zero, back
  jalr a0
  jalr ra, 4(t0)
  jalr x0, -8(t1)
  jalr t0, t1, 12
  ecall
  ebreak
  fence
  nop
  li a5, 0
  li a5, 1
  li a5, -1
  li a5, 2047
  li a5, -2048
  li a5, 2048
  li a5, -2049
  li a5, 305419896
  li a5, -305419896
  li a5, 2147481600
  li a5, 4096
  li a5, -4096
  li a5, -2147483648
  li a5, 2147483647
  mv a0, a1
  not a0, a1
  neg a0, a1
  seqz a0, a1
  snez a0, a1
  sltz a0, a1
  sgtz a0, a1
  j back
  jr t0
  ret
  beqz a0, back
  bnez a0, fwd
  blez a0, back
  bgez a0, fwd
  bltz a0, back
  bgtz a0, fwd
  bgt a0, a1, back
  ble a0, a1, fwd
  bgtu a0, a1, back
  bleu a0, a1, fwd
  la a0, back
  la t1, fwd
  la s2, far
fwd:
  nop
  .space 4096
far:
  nop
