// Host emulator of the SelectiveScan2D CUDA kernels: the same kernel source (src/main/native/cuda/scan2d_kernel.cu)
// compiled as C++ with MAMBAIR_CUDA_EMULATOR, launched by the same schedule (scan2d_plan.h) as on a GPU.
// Blocks run one after another; the threads of a block run one after another, and in kernels with a barrier as
// ucontext coroutines that yield at __syncthreads, so every thread reaches the barrier before any passes it.
//
// Usage: scan2d_emulator DIR B E N H W CHUNK
//   reads DIR/{u,delta,A,Bs,Cs,Ds,delta_bias}.f32 (raw little-endian float32, the operator's input layouts),
//   writes DIR/y.f32 (B, H, W, E). CHUNK 0 lets the plan choose the chunk length.
// scan2d_emulator --print-plan B E N H W CHUNK
//   prints the plan and the launches as JSON (the device check's Python schedule is compared with it).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>

#include "scan2d_kernel.cu"
#include "scan2d_plan.h"

MambairDim3 mambair_emu_thread_idx, mambair_emu_block_idx, mambair_emu_block_dim;

namespace {

typedef void (*Kernel)(MambairScan2DArgs);

struct Entry {
  const char* name;
  Kernel kernel;
  bool barrier;
};

const Entry kKernels[] = {
    {"mambair_scan2d_chunk_end_n16", mambair_scan2d_chunk_end_n16, false},
    {"mambair_scan2d_chunk_end_n10", mambair_scan2d_chunk_end_n10, false},
    {"mambair_scan2d_chunk_end_nx", mambair_scan2d_chunk_end_nx, false},
    {"mambair_scan2d_chunk_out_n16", mambair_scan2d_chunk_out_n16, false},
    {"mambair_scan2d_chunk_out_n10", mambair_scan2d_chunk_out_n10, false},
    {"mambair_scan2d_chunk_out_nx", mambair_scan2d_chunk_out_nx, false},
    {"mambair_scan2d_carry", mambair_scan2d_carry, false},
    {"mambair_scan2d_merge", mambair_scan2d_merge, true},
};

constexpr size_t kStackBytes = 64 * 1024;

// Coroutine state of the block being run.
ucontext_t scheduler;
ucontext_t* threads = nullptr;
char* stacks = nullptr;
unsigned thread_capacity = 0;
unsigned current = 0;
bool done[1024];  // per thread of the block: finished (set before resuming it; a barrier clears it)
Kernel running = nullptr;
const MambairScan2DArgs* running_args = nullptr;

void thread_entry() { running(*running_args); }

MambairDim3 coordinates(unsigned linear, const unsigned* dims) {
  return MambairDim3{linear % dims[0], linear / dims[0] % dims[1], linear / (dims[0] * dims[1])};
}

void fail(const char* what) {
  fprintf(stderr, "scan2d_emulator: %s\n", what);
  exit(2);
}

void run_block_with_barrier(const MambairLaunch& launch, unsigned count) {
  if (count > thread_capacity) {
    free(threads);
    free(stacks);
    threads = static_cast<ucontext_t*>(calloc(count, sizeof(ucontext_t)));
    stacks = static_cast<char*>(malloc(count * kStackBytes));
    if (threads == nullptr || stacks == nullptr) fail("out of memory");
    thread_capacity = count;
  }
  if (count > 1024) fail("more than 1024 threads per block");
  running_args = &launch.args;
  for (unsigned t = 0; t < count; ++t) {
    done[t] = false;
    if (getcontext(&threads[t]) != 0) fail("getcontext");
    threads[t].uc_stack.ss_sp = stacks + t * kStackBytes;
    threads[t].uc_stack.ss_size = kStackBytes;
    threads[t].uc_link = &scheduler;
    makecontext(&threads[t], thread_entry, 0);
  }
  // Each round resumes every unfinished thread once; a thread runs until the next barrier or its end.
  for (unsigned left = count; left > 0;) {
    for (unsigned t = 0; t < count; ++t) {
      if (done[t]) continue;
      current = t;
      mambair_emu_thread_idx = coordinates(t, launch.block);
      done[t] = true;
      if (swapcontext(&scheduler, &threads[t]) != 0) fail("swapcontext");
      if (!done[t]) continue;
      --left;
    }
  }
}

void run(const MambairLaunch& launch) {
  const Entry* entry = nullptr;
  for (const Entry& e : kKernels) {
    if (strcmp(e.name, launch.kernel) == 0) entry = &e;
  }
  if (entry == nullptr) fail("unknown kernel");
  running = entry->kernel;
  mambair_emu_block_dim = MambairDim3{launch.block[0], launch.block[1], launch.block[2]};
  const unsigned per_block = launch.block[0] * launch.block[1] * launch.block[2];
  const uint64_t blocks = static_cast<uint64_t>(launch.grid[0]) * launch.grid[1] * launch.grid[2];
  for (uint64_t blk = 0; blk < blocks; ++blk) {
    mambair_emu_block_idx = coordinates(static_cast<unsigned>(blk), launch.grid);
    if (entry->barrier) {
      run_block_with_barrier(launch, per_block);
    } else {
      for (unsigned t = 0; t < per_block; ++t) {
        mambair_emu_thread_idx = coordinates(t, launch.block);
        running(launch.args);
      }
    }
  }
}

float* read_floats(const char* dir, const char* name, size_t count) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s.f32", dir, name);
  FILE* f = fopen(path, "rb");
  if (f == nullptr) fail(path);
  float* data = static_cast<float*>(malloc(count * sizeof(float) + 1));
  if (data == nullptr || fread(data, sizeof(float), count, f) != count) fail(path);
  fclose(f);
  return data;
}

}  // namespace

// Called by the kernels at __syncthreads: back to the scheduler until every thread of the block got there.
void mambair_emu_sync_threads() {
  done[current] = false;
  if (swapcontext(&threads[current], &scheduler) != 0) fail("swapcontext");
}

namespace {

void print_plan(const MambairScan2DPlan& p, const MambairLaunch* launches) {
  printf("{\"plan\": {\"chunk\": [%lld, %lld], \"segments\": [%lld, %lld], \"chunk_capacity\": %lld, "
         "\"y_dirs_floats\": %lld, \"chunk_h_floats\": %lld, \"chunk_dt_floats\": %lld}, \"launches\": [",
         (long long)p.chunk[0], (long long)p.chunk[1], (long long)p.segments[0], (long long)p.segments[1],
         (long long)p.chunk_capacity, (long long)p.y_dirs_floats, (long long)p.chunk_h_floats,
         (long long)p.chunk_dt_floats);
  for (int i = 0; i < kMambairScan2DLaunches; ++i) {
    const MambairLaunch& l = launches[i];
    printf("%s{\"kernel\": \"%s\", \"grid\": [%u, %u, %u], \"block\": [%u, %u, %u], \"axis\": %lld, "
           "\"chunk\": %lld, \"segments\": %lld}",
           i ? ", " : "", l.kernel, l.grid[0], l.grid[1], l.grid[2], l.block[0], l.block[1], l.block[2],
           (long long)l.args.axis, (long long)l.args.chunk, (long long)l.args.segments);
  }
  printf("]}\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 8) fail("usage: scan2d_emulator DIR|--print-plan B E N H W CHUNK");
  const bool plan_only = strcmp(argv[1], "--print-plan") == 0;
  const char* dir = argv[1];
  MambairScan2DArgs args{};
  args.batch = atoll(argv[2]);
  args.channels = atoll(argv[3]);
  args.states = atoll(argv[4]);
  args.height = atoll(argv[5]);
  args.width = atoll(argv[6]);
  const int64_t chunk = atoll(argv[7]);
  const int64_t B = args.batch, E = args.channels, N = args.states, L = args.height * args.width;
  if (plan_only) {
    const MambairScan2DPlan plan = mambair_scan2d_plan(args, chunk);
    MambairLaunch launches[kMambairScan2DLaunches];
    if (!mambair_scan2d_schedule(args, plan, launches)) fail("no kernel for this state count");
    print_plan(plan, launches);
    return 0;
  }
  args.u = read_floats(dir, "u", B * E * L);
  args.delta = read_floats(dir, "delta", B * 4 * E * L);
  args.a = read_floats(dir, "A", 4 * E * N);
  args.bs = read_floats(dir, "Bs", B * 4 * N * L);
  args.cs = read_floats(dir, "Cs", B * 4 * N * L);
  args.ds = read_floats(dir, "Ds", 4 * E);
  args.delta_bias = read_floats(dir, "delta_bias", 4 * E);
  const MambairScan2DPlan plan = mambair_scan2d_plan(args, chunk);
  args.y = static_cast<float*>(calloc(B * L * E, sizeof(float)));
  args.y_dirs = static_cast<float*>(calloc(plan.y_dirs_floats, sizeof(float)));
  args.chunk_h = static_cast<float*>(calloc(plan.chunk_h_floats, sizeof(float)));
  args.chunk_dt = static_cast<float*>(calloc(plan.chunk_dt_floats, sizeof(float)));
  if (args.y == nullptr || args.y_dirs == nullptr || args.chunk_h == nullptr || args.chunk_dt == nullptr) {
    fail("out of memory");
  }
  MambairLaunch launches[kMambairScan2DLaunches];
  if (!mambair_scan2d_schedule(args, plan, launches)) fail("no kernel for this state count");
  for (const MambairLaunch& launch : launches) run(launch);
  char path[4096];
  snprintf(path, sizeof path, "%s/y.f32", dir);
  FILE* f = fopen(path, "wb");
  if (f == nullptr || fwrite(args.y, sizeof(float), B * L * E, f) != static_cast<size_t>(B * L * E)) fail(path);
  fclose(f);
  printf("chunks rows %lld x %lld, columns %lld x %lld\n", static_cast<long long>(plan.chunk[0]),
         static_cast<long long>(plan.segments[0]), static_cast<long long>(plan.chunk[1]),
         static_cast<long long>(plan.segments[1]));
  return 0;
}
