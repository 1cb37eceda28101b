/* PMI microbenchmark: every rank puts one ~430-byte value (an MPICH-sized business card),
 * fences, then gets every rank's value. Linked against libgantry-pmi.so, so the same binary
 * runs under `gantry run` (Gets from shared memory, or over the wire with GANTRY_PMI_NO_SHM=1)
 * and under mpiexec.hydra (Gets over hydra's PMI-1 wire protocol).
 * Prints one line per rank: "rank R put_us P fence_us F getall_us G get_ns_each E shm S". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pmi/client/gantry_pmi.h"

static double Micros(clockid_t clock) {
  struct timespec t;
  clock_gettime(clock, &t);
  return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}
static double NowMicros(void) { return Micros(CLOCK_MONOTONIC); }
/* With N ranks on few cores a rank is descheduled for long stretches: the steady-state Get
 * cost is measured in this thread's CPU time, not wall time. */
static double CpuMicros(void) { return Micros(CLOCK_THREAD_CPUTIME_ID); }

int main(void) {
  int spawned, rank, size;
  char kvs[256], key[64], value[1024], got[1024];
  if (PMI_Init(&spawned) != PMI_SUCCESS) return 1;
  PMI_Get_rank(&rank);
  PMI_Get_size(&size);
  PMI_KVS_Get_my_name(kvs, sizeof(kvs));
  snprintf(key, sizeof(key), "bc-%d", rank);
  for (int i = 0; i < 430; ++i) value[i] = "0123456789ABCDEF"[(rank + i) % 16];
  value[430] = '\0';
  double t0 = NowMicros();
  PMI_KVS_Put(kvs, key, value);
  PMI_KVS_Commit(kvs);
  double t1 = NowMicros();
  PMI_Barrier();
  double t2 = NowMicros();
  for (int r = 0; r < size; ++r) {
    snprintf(key, sizeof(key), "bc-%d", r);
    if (PMI_KVS_Get(kvs, key, got, sizeof(got)) != PMI_SUCCESS) {
      fprintf(stderr, "rank %d: get %s failed\n", rank, key);
      return 1;
    }
  }
  double t3 = NowMicros();
  /* Steady-state Get cost: repeat the get-all until ~20 ms of CPU time have passed. After a
   * barrier, so that spinning ranks do not slow down ranks still in the timed phases. */
  PMI_Barrier();
  char (*keys)[64] = malloc((size_t)size * 64);
  for (int r = 0; r < size; ++r) snprintf(keys[r], 64, "bc-%d", r);
  long gets = 0;
  double start = CpuMicros(), now = start;
  while (now - start < 20000) {
    for (int r = 0; r < size; ++r) PMI_KVS_Get(kvs, keys[r], got, sizeof(got));
    gets += size;
    now = CpuMicros();
  }
  free(keys);
  printf("rank %d put_us %.1f fence_us %.1f getall_us %.1f get_ns_each %.1f shm %d\n", rank,
         t1 - t0, t2 - t1, t3 - t2, (now - start) * 1000.0 / gets,
         GANTRY_PMI_Uses_shared_memory());
  PMI_Barrier();
  PMI_Finalize();
  return 0;
}
