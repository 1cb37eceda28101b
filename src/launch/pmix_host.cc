#include "launch/pmix_host.h"

#include <pmix.h>
#include <pmix_server.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>
#include <set>

#include "base/check.h"

namespace gantry::launch {
namespace {

std::string PmixError(const char* what, pmix_status_t rc) {
  return std::string(what) + ": " + PMIx_Error_string(rc);
}

// One upcall from libpmix's thread, completed later on the loop thread.
struct Upcall {
  enum class Kind { kFence, kAbort, kConnected, kFinalized, kSpawn } kind;
  std::string data;  // fence contribution (copied: libpmix owns the original)
  pmix_modex_cbfunc_t modex_cb = nullptr;
  pmix_op_cbfunc_t op_cb = nullptr;
  pmix_spawn_cbfunc_t spawn_cb = nullptr;
  void* cbdata = nullptr;
  int rank = -1;
  int status = 0;
};

class PmixHostImpl;
// libpmix is a process-wide singleton and its upcalls carry no context pointer, so the one
// live host is found here. Written on the loop thread before PMIx_server_init and after
// PMIx_server_finalize, when libpmix runs no upcalls.
PmixHostImpl* g_host = nullptr;

class PmixHostImpl final : public PmixHost {
 public:
  PmixHostImpl(PmixJob job, int event_fd) : job_(std::move(job)), event_fd_(event_fd) {}
  ~PmixHostImpl() override {
    if (poller_ != nullptr) poller_->Unwatch(event_fd_);
    if (registered_) PMIx_server_deregister_nspace(nspace_, nullptr, nullptr);
    if (initialized_) PMIx_server_finalize();
    // Upcalls still queued would reference a finalized library: drop them.
    close(event_fd_);
    g_host = nullptr;
  }

  Status Init();
  Result<std::vector<std::string>> RankEnvironment(int rank) override;
  void WatchEvents(Poller& poller, PmixEvents events) override {
    poller_ = &poller;
    events_ = std::move(events);
    poller.Watch(event_fd_, POLLIN, [this](short) { Drain(); });
  }
  std::string Namespace() const override { return nspace_; }
  bool ExitedWithoutFinalize(int rank) override {
    Drain();
    return connected_.contains(rank) && !finalized_.contains(rank);
  }

  void Post(Upcall upcall) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      queue_.push_back(std::move(upcall));
    }
    uint64_t one = 1;
    (void)!write(event_fd_, &one, sizeof(one));
  }

 private:
  void Drain();

  PmixJob job_;
  int event_fd_;
  pmix_nspace_t nspace_ = {};
  bool initialized_ = false;
  bool registered_ = false;
  Poller* poller_ = nullptr;
  PmixEvents events_;
  std::set<int> connected_;  // loop thread: ranks past PMIx_Init
  std::set<int> finalized_;  // loop thread: ranks past PMIx_Finalize
  std::mutex mu_;
  std::deque<Upcall> queue_;  // GUARDED_BY(mu_)
};

void ReleaseFenceData(void* cbdata) { delete static_cast<std::string*>(cbdata); }

pmix_status_t FenceUpcall(const pmix_proc_t[], size_t, const pmix_info_t[], size_t, char* data,
                          size_t ndata, pmix_modex_cbfunc_t cbfunc, void* cbdata) {
  if (g_host == nullptr) return PMIX_ERR_NOT_AVAILABLE;
  Upcall upcall{.kind = Upcall::Kind::kFence};
  if (data != nullptr) upcall.data.assign(data, ndata);
  upcall.modex_cb = cbfunc;
  upcall.cbdata = cbdata;
  g_host->Post(std::move(upcall));
  return PMIX_SUCCESS;
}

pmix_status_t AbortUpcall(const pmix_proc_t* proc, void*, int status, const char[],
                          pmix_proc_t[], size_t, pmix_op_cbfunc_t cbfunc, void* cbdata) {
  if (g_host == nullptr) return PMIX_ERR_NOT_AVAILABLE;
  g_host->Post(Upcall{.kind = Upcall::Kind::kAbort, .op_cb = cbfunc, .cbdata = cbdata,
                      .rank = static_cast<int>(proc->rank), .status = status});
  return PMIX_SUCCESS;
}

// PMIx_Init and PMIx_Finalize of a client (the client waits until op_cb is called).
template <Upcall::Kind kKind>
pmix_status_t ClientUpcall(const pmix_proc_t* proc, void*, pmix_op_cbfunc_t cbfunc,
                           void* cbdata) {
  if (g_host == nullptr) return PMIX_ERR_NOT_AVAILABLE;
  g_host->Post(Upcall{.kind = kKind, .op_cb = cbfunc, .cbdata = cbdata,
                      .rank = static_cast<int>(proc->rank)});
  return PMIX_SUCCESS;
}

// MPI_Comm_spawn. Unsupported: without this upcall libpmix refuses it to the root alone, and
// the other ranks wait in MPI_Comm_spawn for the root forever. The launcher ends the job.
pmix_status_t SpawnUpcall(const pmix_proc_t* proc, const pmix_info_t[], size_t,
                          const pmix_app_t[], size_t, pmix_spawn_cbfunc_t cbfunc,
                          void* cbdata) {
  if (g_host == nullptr) return PMIX_ERR_NOT_AVAILABLE;
  g_host->Post(Upcall{.kind = Upcall::Kind::kSpawn, .spawn_cb = cbfunc, .cbdata = cbdata,
                      .rank = static_cast<int>(proc->rank)});
  return PMIX_SUCCESS;
}

// Every rank is local: libpmix answers local direct-modex requests itself.
pmix_status_t DirectModexUpcall(const pmix_proc_t*, const pmix_info_t[], size_t,
                                pmix_modex_cbfunc_t, void*) {
  return PMIX_ERR_NOT_SUPPORTED;
}

void PmixHostImpl::Drain() {
  uint64_t count;
  (void)!read(event_fd_, &count, sizeof(count));
  std::deque<Upcall> work;
  {
    std::lock_guard<std::mutex> lock(mu_);
    work.swap(queue_);
  }
  for (Upcall& upcall : work) {
    if (upcall.kind == Upcall::Kind::kConnected || upcall.kind == Upcall::Kind::kFinalized) {
      (upcall.kind == Upcall::Kind::kConnected ? connected_ : finalized_).insert(upcall.rank);
      if (upcall.op_cb != nullptr) upcall.op_cb(PMIX_SUCCESS, upcall.cbdata);
    } else if (upcall.kind == Upcall::Kind::kSpawn) {
      if (upcall.spawn_cb != nullptr) {
        upcall.spawn_cb(PMIX_ERR_NOT_SUPPORTED, nullptr, upcall.cbdata);
      }
      if (events_.on_spawn) events_.on_spawn(upcall.rank);
    } else if (upcall.kind == Upcall::Kind::kFence) {
      // One node: every participant is local, so the node's contribution is the whole
      // exchange. Across nodes the JobExchange would concatenate every server's blob here.
      auto* copy = new std::string(std::move(upcall.data));
      if (upcall.modex_cb != nullptr) {
        upcall.modex_cb(PMIX_SUCCESS, copy->data(), copy->size(), upcall.cbdata,
                        ReleaseFenceData, copy);
      } else {
        delete copy;
      }
      if (events_.on_fence) events_.on_fence();
    } else {
      if (events_.on_abort) events_.on_abort(upcall.rank, upcall.status);
      // The rank stays blocked in PMIx_Abort until we release it; the launcher kills it.
      if (upcall.op_cb != nullptr) upcall.op_cb(PMIX_SUCCESS, upcall.cbdata);
    }
  }
}

Status PmixHostImpl::Init() {
  static pmix_server_module_t module = {};
  module.fence_nb = FenceUpcall;
  module.abort = AbortUpcall;
  module.direct_modex = DirectModexUpcall;
  module.client_connected = ClientUpcall<Upcall::Kind::kConnected>;
  module.client_finalized = ClientUpcall<Upcall::Kind::kFinalized>;
  module.spawn = SpawnUpcall;

  void* server_info = PMIx_Info_list_start();
  PMIx_Info_list_add(server_info, PMIX_SERVER_TMPDIR, job_.tmpdir.c_str(), PMIX_STRING);
  pmix_rank_t server_rank = 0;
  PMIx_Info_list_add(server_info, PMIX_SERVER_RANK, &server_rank, PMIX_PROC_RANK);
  bool no = false, yes = true;
  PMIx_Info_list_add(server_info, PMIX_SERVER_TOOL_SUPPORT, &no, PMIX_BOOL);
  pmix_topology_t topology = {const_cast<char*>("hwloc"), job_.hwloc_topology};
  if (job_.hwloc_topology != nullptr) {
    // Topology once per node: the server shares ours instead of discovering its own.
    PMIx_Info_list_add(server_info, PMIX_TOPOLOGY2, &topology, PMIX_TOPO);
    PMIx_Info_list_add(server_info, PMIX_SERVER_SHARE_TOPOLOGY, &yes, PMIX_BOOL);
  }
  pmix_data_array_t server_array;
  PMIx_Info_list_convert(server_info, &server_array);
  PMIx_Info_list_release(server_info);
  pmix_status_t rc = PMIx_server_init(&module, static_cast<pmix_info_t*>(server_array.array),
                                      server_array.size);
  PMIx_Data_array_destruct(&server_array);
  if (rc != PMIX_SUCCESS) return Fail(Unavailable(PmixError("PMIx_server_init", rc)));
  initialized_ = true;

  std::snprintf(nspace_, sizeof(nspace_), "gantry.%s", job_.job_id.c_str());
  char hostname[256] = "localhost";
  gethostname(hostname, sizeof(hostname) - 1);
  std::string peers;
  for (int r : job_.local_ranks) peers += (peers.empty() ? "" : ",") + std::to_string(r);
  char* node_map = nullptr;
  char* proc_map = nullptr;
  PMIx_generate_regex(hostname, &node_map);
  PMIx_generate_ppn(peers.c_str(), &proc_map);

  void* info = PMIx_Info_list_start();
  uint32_t size = static_cast<uint32_t>(job_.size);
  uint32_t local_size = static_cast<uint32_t>(job_.local_ranks.size());
  uint32_t zero = 0, one_app = 1;
  PMIx_Info_list_add(info, PMIX_JOBID, nspace_, PMIX_STRING);
  PMIx_Info_list_add(info, PMIX_UNIV_SIZE, &size, PMIX_UINT32);
  PMIx_Info_list_add(info, PMIX_JOB_SIZE, &size, PMIX_UINT32);
  PMIx_Info_list_add(info, PMIX_MAX_PROCS, &size, PMIX_UINT32);
  PMIx_Info_list_add(info, PMIX_LOCAL_SIZE, &local_size, PMIX_UINT32);
  PMIx_Info_list_add(info, PMIX_NODE_SIZE, &local_size, PMIX_UINT32);
  PMIx_Info_list_add(info, PMIX_LOCAL_PEERS, peers.c_str(), PMIX_STRING);
  PMIx_Info_list_add(info, PMIX_JOB_NUM_APPS, &one_app, PMIX_UINT32);
  PMIx_Info_list_add(info, PMIX_APPNUM, &zero, PMIX_UINT32);
  PMIx_Info_list_add(info, PMIX_TMPDIR, job_.tmpdir.c_str(), PMIX_STRING);
  PMIx_Info_list_add(info, PMIX_NSDIR, job_.tmpdir.c_str(), PMIX_STRING);
  PMIx_Info_list_add(info, PMIX_TDIR_RMCLEAN, &yes, PMIX_BOOL);
  if (node_map != nullptr) PMIx_Info_list_add(info, PMIX_NODE_MAP, node_map, PMIX_REGEX);
  if (proc_map != nullptr) PMIx_Info_list_add(info, PMIX_PROC_MAP, proc_map, PMIX_REGEX);
  pmix_rank_t leader = job_.local_ranks.empty() ? 0 : job_.local_ranks.front();
  PMIx_Info_list_add(info, PMIX_LOCALLDR, &leader, PMIX_PROC_RANK);
  for (size_t i = 0; i < job_.local_ranks.size(); ++i) {
    void* proc_info = PMIx_Info_list_start();
    pmix_rank_t rank = static_cast<pmix_rank_t>(job_.local_ranks[i]);
    uint16_t local_rank = static_cast<uint16_t>(i);
    PMIx_Info_list_add(proc_info, PMIX_RANK, &rank, PMIX_PROC_RANK);
    PMIx_Info_list_add(proc_info, PMIX_GLOBAL_RANK, &rank, PMIX_PROC_RANK);
    PMIx_Info_list_add(proc_info, PMIX_APP_RANK, &rank, PMIX_PROC_RANK);
    PMIx_Info_list_add(proc_info, PMIX_LOCAL_RANK, &local_rank, PMIX_UINT16);
    PMIx_Info_list_add(proc_info, PMIX_NODE_RANK, &local_rank, PMIX_UINT16);
    PMIx_Info_list_add(proc_info, PMIX_NODEID, &zero, PMIX_UINT32);
    PMIx_Info_list_add(proc_info, PMIX_APPNUM, &zero, PMIX_UINT32);
    PMIx_Info_list_add(proc_info, PMIX_HOSTNAME, hostname, PMIX_STRING);
    pmix_data_array_t proc_array;
    PMIx_Info_list_convert(proc_info, &proc_array);
    PMIx_Info_list_release(proc_info);
    PMIx_Info_list_add(info, PMIX_PROC_DATA, &proc_array, PMIX_DATA_ARRAY);
    PMIx_Data_array_destruct(&proc_array);
  }
  std::free(node_map);
  std::free(proc_map);
  pmix_data_array_t array;
  PMIx_Info_list_convert(info, &array);
  PMIx_Info_list_release(info);
  rc = PMIx_server_register_nspace(nspace_, static_cast<int>(local_size),
                                   static_cast<pmix_info_t*>(array.array), array.size, nullptr,
                                   nullptr);
  PMIx_Data_array_destruct(&array);
  if (rc != PMIX_SUCCESS && rc != PMIX_OPERATION_SUCCEEDED) {
    return Fail(Unavailable(PmixError("PMIx_server_register_nspace", rc)));
  }
  registered_ = true;
  return {};
}

Result<std::vector<std::string>> PmixHostImpl::RankEnvironment(int rank) {
  pmix_proc_t proc;
  PMIX_LOAD_PROCID(&proc, nspace_, static_cast<pmix_rank_t>(rank));
  pmix_status_t rc = PMIx_server_register_client(&proc, getuid(), getgid(), nullptr, nullptr,
                                                 nullptr);
  if (rc != PMIX_SUCCESS && rc != PMIX_OPERATION_SUCCEEDED) {
    return Fail(Unavailable(PmixError("PMIx_server_register_client", rc)));
  }
  char** env = nullptr;
  rc = PMIx_server_setup_fork(&proc, &env);
  if (rc != PMIX_SUCCESS) return Fail(Unavailable(PmixError("PMIx_server_setup_fork", rc)));
  std::vector<std::string> out;
  for (char** e = env; e != nullptr && *e != nullptr; ++e) {
    out.emplace_back(*e);
    std::free(*e);
  }
  std::free(env);
  // Open MPI 4.1 direct-launches only under a resource manager it recognizes; without a
  // marker every rank runs alone as a singleton (docs/run.md).
  out.push_back("SLURM_JOBID=" + job_.job_id);
  out.push_back("SLURM_JOB_ID=" + job_.job_id);
  out.push_back("SLURM_STEP_ID=0");
  out.push_back("SLURM_NODELIST=localhost");
  out.push_back("OMPI_MCA_pmix=ext3x");
  return out;
}

}  // namespace

Result<std::unique_ptr<PmixHost>> PmixHost::Create(const PmixJob& job) {
  if (g_host != nullptr) return Fail(FailedPrecondition("a PMIx server is already running"));
  int event_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (event_fd < 0) return Fail(ErrnoError("eventfd for the PMIx server", errno));
  auto host = std::make_unique<PmixHostImpl>(job, event_fd);
  g_host = host.get();
  GANTRY_RETURN_IF_ERROR(host->Init());
  return host;
}

}  // namespace gantry::launch
