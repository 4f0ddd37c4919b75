/*
 * Private input: u32 LE words (at most 65536). Public output: the same words sorted ascending
 * (unsigned). The prover shows the output is a sorted permutation of a secret it never reveals.
 * Heapsort: in place and O(n log n) in the worst case.
 */
#include "zkvm.h"

#define MAX_WORDS 65536
static uint32_t v[MAX_WORDS];

static void sift(uint32_t *a, uint32_t root, uint32_t n) {
  for (;;) {
    uint32_t child = 2 * root + 1;
    if (child >= n) return;
    if (child + 1 < n && a[child + 1] > a[child]) child++;
    if (a[root] >= a[child]) return;
    uint32_t t = a[root];
    a[root] = a[child];
    a[child] = t;
    root = child;
  }
}

int main(void) {
  uint32_t n = 0;
  while (n < MAX_WORDS && zkvm_read_u32(ZKVM_FD_PRIVATE_INPUT, &v[n])) n++;
  char buf[12];
  zkvm_write(ZKVM_FD_DEBUG_LOG, "sort: words = ", 14);
  zkvm_log(zkvm_utoa(n, buf));
  for (uint32_t i = n / 2; i-- > 0;) sift(v, i, n);
  for (uint32_t end = n; end > 1; end--) {
    uint32_t t = v[0];
    v[0] = v[end - 1];
    v[end - 1] = t;
    sift(v, 0, end - 1);
  }
  zkvm_commit(v, n * 4);
  return 0;
}
