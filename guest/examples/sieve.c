/*
 * Public input: limit (u32 LE, 1000 if absent, at most 8,000,000). Public output: the number
 * of primes below limit and the largest of them (two u32 LE). Sieve of Eratosthenes over odd
 * numbers, one bit each.
 */
#include "zkvm.h"

#define MAX_LIMIT 8000000u
static uint32_t composite[(MAX_LIMIT / 2 + 31) / 32];

int main(void) {
  uint32_t limit = 1000;
  zkvm_read_u32(ZKVM_FD_PUBLIC_INPUT, &limit);
  if (limit > MAX_LIMIT) {
    zkvm_log("sieve: limit too large");
    return 2;
  }
  uint32_t count = limit > 2 ? 1 : 0, largest = limit > 2 ? 2 : 0;
  /* bit k stands for the odd number 2k + 1 */
  for (uint32_t p = 3; p < limit; p += 2) {
    uint32_t k = p >> 1;
    if (composite[k >> 5] & (1u << (k & 31))) continue;
    count++;
    largest = p;
    if (p > limit / p) continue; /* p * p >= limit (and would overflow for large p) */
    for (uint32_t m = p * p; m < limit; m += 2 * p) {
      uint32_t j = m >> 1;
      composite[j >> 5] |= 1u << (j & 31);
    }
  }
  zkvm_commit_u32(count);
  zkvm_commit_u32(largest);
  return 0;
}
