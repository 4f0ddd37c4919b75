/*
 * Guest SDK for the zkVM (RV32IM, ilp32). The calls follow docs/guest-abi.md: Linux-numbered
 * ecalls, so a guest also runs unchanged under qemu-riscv32 with
 *   qemu-riscv32 prog.elf <public-input 3<private-input
 * Everything here is header-only; runtime.c adds memcpy/memset and a bump allocator.
 */
#ifndef ZKVM_H
#define ZKVM_H

#include <stddef.h>
#include <stdint.h>

#define ZKVM_SYS_READ 63
#define ZKVM_SYS_WRITE 64
#define ZKVM_SYS_EXIT 93

#define ZKVM_FD_PUBLIC_INPUT 0
#define ZKVM_FD_PUBLIC_OUTPUT 1
#define ZKVM_FD_DEBUG_LOG 2
#define ZKVM_FD_PRIVATE_INPUT 3

static inline long zkvm_ecall3(long n, long a0, long a1, long a2) {
  register long r_a0 __asm__("a0") = a0;
  register long r_a1 __asm__("a1") = a1;
  register long r_a2 __asm__("a2") = a2;
  register long r_a7 __asm__("a7") = n;
  __asm__ volatile("ecall" : "+r"(r_a0) : "r"(r_a1), "r"(r_a2), "r"(r_a7) : "memory");
  return r_a0;
}

/* One read call: may return fewer bytes than asked; 0 means the input is exhausted. */
static inline long zkvm_read_some(int fd, void *buf, size_t len) {
  return zkvm_ecall3(ZKVM_SYS_READ, fd, (long)buf, (long)len);
}

/* Reads until len bytes or the end of the input; returns the number of bytes read. */
static inline size_t zkvm_read_all(int fd, void *buf, size_t len) {
  size_t done = 0;
  while (done < len) {
    long n = zkvm_read_some(fd, (uint8_t *)buf + done, len - done);
    if (n <= 0) break;
    done += (size_t)n;
  }
  return done;
}

static inline size_t zkvm_read_public(void *buf, size_t len) {
  return zkvm_read_all(ZKVM_FD_PUBLIC_INPUT, buf, len);
}

static inline size_t zkvm_read_private(void *buf, size_t len) {
  return zkvm_read_all(ZKVM_FD_PRIVATE_INPUT, buf, len);
}

/* Reads one little-endian word; returns 1, or 0 (and leaves *out alone) past the end. */
static inline int zkvm_read_u32(int fd, uint32_t *out) {
  uint32_t w;
  if (zkvm_read_all(fd, &w, 4) != 4) return 0;
  *out = w;
  return 1;
}

static inline void zkvm_write(int fd, const void *buf, size_t len) {
  while (len > 0) {
    long n = zkvm_ecall3(ZKVM_SYS_WRITE, fd, (long)buf, (long)len);
    if (n <= 0) return;
    buf = (const uint8_t *)buf + n;
    len -= (size_t)n;
  }
}

static inline void zkvm_commit(const void *buf, size_t len) {
  zkvm_write(ZKVM_FD_PUBLIC_OUTPUT, buf, len);
}

static inline void zkvm_commit_u32(uint32_t w) { zkvm_commit(&w, 4); }

/* Writes s and a newline to the debug log (not part of the proof's public statement). */
static inline void zkvm_log(const char *s) {
  size_t n = 0;
  while (s[n]) n++;
  zkvm_write(ZKVM_FD_DEBUG_LOG, s, n);
  zkvm_write(ZKVM_FD_DEBUG_LOG, "\n", 1);
}

__attribute__((noreturn)) static inline void zkvm_exit(int code) {
  zkvm_ecall3(ZKVM_SYS_EXIT, code, 0, 0);
  __builtin_unreachable();
}

/* From runtime.c: a bump allocator over the linker script's heap region; NULL when full. */
void *zkvm_alloc(size_t size);

/* Formats v in decimal into buf (at least 11 bytes) and returns buf. */
char *zkvm_utoa(uint32_t v, char *buf);

#endif
