/* Writes a short public output and a log line, then exits with code 42 (a failing guest). */
#include "zkvm.h"

int main(void) {
  zkvm_commit("partial", 7);
  zkvm_log("exit-code: giving up with 42");
  zkvm_exit(42);
}
