/* Freestanding runtime: GCC may emit calls to these four even with -ffreestanding. */
#include "zkvm.h"

void *memcpy(void *dst, const void *src, size_t n) {
  uint8_t *d = dst;
  const uint8_t *s = src;
  while (n--) *d++ = *s++;
  return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
  uint8_t *d = dst;
  const uint8_t *s = src;
  if (d < s) {
    while (n--) *d++ = *s++;
  } else {
    while (n--) d[n] = s[n];
  }
  return dst;
}

void *memset(void *dst, int c, size_t n) {
  uint8_t *d = dst;
  while (n--) *d++ = (uint8_t)c;
  return dst;
}

int memcmp(const void *a, const void *b, size_t n) {
  const uint8_t *x = a, *y = b;
  for (; n; n--, x++, y++)
    if (*x != *y) return *x - *y;
  return 0;
}

extern uint8_t __heap_start[], __heap_end[];
static uint8_t *heap_next = __heap_start;

void *zkvm_alloc(size_t size) {
  size = (size + 7) & ~(size_t)7;
  if ((size_t)(__heap_end - heap_next) < size) return NULL;
  void *p = heap_next;
  heap_next += size;
  return p;
}

char *zkvm_utoa(uint32_t v, char *buf) {
  char tmp[11];
  int n = 0;
  do {
    tmp[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  for (int i = 0; i < n; i++) buf[i] = tmp[n - 1 - i];
  buf[n] = 0;
  return buf;
}
