/* A PMI-1 program linked against libgantry-pmi.so: every rank puts a value, fences (the
 * non-blocking Gantry fence), reads every other rank's value, then does an allgather.
 * Prints "rank R ok shm=S" or exits 1 with the reason. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pmi/client/gantry_pmi.h"

#define CHECK(call)                                                   \
  do {                                                                \
    int rc_ = (call);                                                 \
    if (rc_ != PMI_SUCCESS) {                                         \
      fprintf(stderr, "%s failed: %d\n", #call, rc_);                 \
      return 1;                                                       \
    }                                                                 \
  } while (0)

int main(void) {
  int spawned, rank, size;
  char kvs[256], key[64], value[1024], got[1024];
  CHECK(PMI_Init(&spawned));
  CHECK(PMI_Get_rank(&rank));
  CHECK(PMI_Get_size(&size));
  CHECK(PMI_KVS_Get_my_name(kvs, sizeof(kvs)));
  snprintf(key, sizeof(key), "card-%d", rank);
  snprintf(value, sizeof(value), "value of rank %d with spaces", rank);
  CHECK(PMI_KVS_Put(kvs, key, value));
  CHECK(PMI_KVS_Commit(kvs));
  CHECK(GANTRY_PMI_Fence_start());
  int done = 0;
  while (!done) CHECK(GANTRY_PMI_Fence_test(&done));
  CHECK(GANTRY_PMI_Fence_wait());
  for (int r = 0; r < size; ++r) {
    snprintf(key, sizeof(key), "card-%d", r);
    snprintf(value, sizeof(value), "value of rank %d with spaces", r);
    CHECK(PMI_KVS_Get(kvs, key, got, sizeof(got)));
    if (strcmp(got, value) != 0) {
      fprintf(stderr, "rank %d: got '%s' for %s\n", rank, got, key);
      return 1;
    }
  }
  if (PMI_KVS_Get(kvs, "no-such-key", got, sizeof(got)) == PMI_SUCCESS) {
    fprintf(stderr, "rank %d: found a key nobody put\n", rank);
    return 1;
  }
  int epoch = -1;
  snprintf(value, sizeof(value), "%d", rank * 10);
  CHECK(GANTRY_PMI_Allgather(value, &epoch));
  for (int r = 0; r < size; ++r) {
    CHECK(GANTRY_PMI_Allgather_get(epoch, r, got, sizeof(got)));
    if (atoi(got) != r * 10) {
      fprintf(stderr, "rank %d: allgather slot %d is '%s'\n", rank, r, got);
      return 1;
    }
  }
  CHECK(PMI_Barrier());
  printf("rank %d ok shm=%d\n", rank, GANTRY_PMI_Uses_shared_memory());
  CHECK(PMI_Finalize());
  return 0;
}
