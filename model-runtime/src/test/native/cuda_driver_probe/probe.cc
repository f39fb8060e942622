// Opens the CUDA driver the way the CUDA SelectiveScan2D does (cuda_driver.cc) and prints "opened" or the
// one-line reason it could not (exit 1). Driven by CudaDriverLoadTest with real and fake libcuda.so.1 files.
#include <stdio.h>

#include "cuda_driver.h"

int main() {
  const char* error = nullptr;
  if (cuda_driver(&error) != nullptr) {
    puts("opened");
    return 0;
  }
  printf("%s\n", error);
  return 1;
}
