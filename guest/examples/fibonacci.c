/* Public input: n (u32, little-endian; 10 if absent). Public output: fib(n) mod 2^64 (u64 LE). */
#include "zkvm.h"

int main(void) {
  uint32_t n = 10;
  zkvm_read_u32(ZKVM_FD_PUBLIC_INPUT, &n);
  uint64_t a = 0, b = 1;
  for (uint32_t i = 0; i < n; i++) {
    uint64_t t = a + b;
    a = b;
    b = t;
  }
  zkvm_commit(&a, sizeof a);
  return 0;
}
