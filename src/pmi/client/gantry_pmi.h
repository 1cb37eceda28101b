/* libgantry-pmi.so: Gantry's PMI-1 client library (docs/protocols/pmi.md).
 * The standard PMI-1 C API, plus Gantry extensions for a non-blocking fence and an
 * allgather by rank. Gets are served from the node's shared-memory store when the launcher
 * provides one (GANTRY_PMI_SHM_FD), else over the PMI-1 wire protocol (so the library also
 * works under other PMI-1 servers such as MPICH's hydra). Not thread-safe: like every PMI-1
 * library, call it from one thread at a time. */
#ifndef GANTRY_PMI_CLIENT_GANTRY_PMI_H_
#define GANTRY_PMI_CLIENT_GANTRY_PMI_H_

#ifdef __cplusplus
extern "C" {
#endif

#define PMI_SUCCESS 0
#define PMI_FAIL -1
#define PMI_ERR_INIT 1
#define PMI_ERR_NOMEM 2
#define PMI_ERR_INVALID_ARG 3
#define PMI_ERR_INVALID_KEY 4
#define PMI_ERR_INVALID_KEY_LENGTH 5
#define PMI_ERR_INVALID_VAL 6
#define PMI_ERR_INVALID_VAL_LENGTH 7
#define PMI_ERR_INVALID_LENGTH 8
#define PMI_ERR_INVALID_NUM_ARGS 9
#define PMI_ERR_INVALID_ARGS 10
#define PMI_ERR_INVALID_NUM_PARSED 11
#define PMI_ERR_INVALID_KEYVALP 12
#define PMI_ERR_INVALID_SIZE 13

int PMI_Init(int* spawned);
int PMI_Initialized(int* initialized);
int PMI_Finalize(void);
int PMI_Get_size(int* size);
int PMI_Get_rank(int* rank);
int PMI_Get_universe_size(int* size);
int PMI_Get_appnum(int* appnum);
int PMI_Get_clique_size(int* size);
int PMI_Get_clique_ranks(int ranks[], int length);
int PMI_Barrier(void);
int PMI_Abort(int exit_code, const char* error_msg);
int PMI_KVS_Get_my_name(char* kvsname, int length);
int PMI_KVS_Get_name_length_max(int* length);
int PMI_KVS_Get_key_length_max(int* length);
int PMI_KVS_Get_value_length_max(int* length);
int PMI_KVS_Put(const char* kvsname, const char* key, const char* value);
int PMI_KVS_Commit(const char* kvsname);
int PMI_KVS_Get(const char* kvsname, const char* key, char* value, int length);

/* Gantry extensions. A fence started with GANTRY_PMI_Fence_start publishes every put made
 * before it; the caller may compute meanwhile and then GANTRY_PMI_Fence_wait (or poll with
 * GANTRY_PMI_Fence_test). PMI_Barrier is Fence_start + Fence_wait. */
int GANTRY_PMI_Fence_start(void);
int GANTRY_PMI_Fence_test(int* done);
int GANTRY_PMI_Fence_wait(void);
/* Every rank contributes one value; afterwards GANTRY_PMI_Allgather_get reads rank r's. */
int GANTRY_PMI_Allgather(const char* value, int* epoch);
int GANTRY_PMI_Allgather_get(int epoch, int rank, char* value, int length);
/* 1 if Gets are served from shared memory. */
int GANTRY_PMI_Uses_shared_memory(void);

#ifdef __cplusplus
}
#endif

#endif /* GANTRY_PMI_CLIENT_GANTRY_PMI_H_ */
