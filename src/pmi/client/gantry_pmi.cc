// libgantry-pmi.so: the PMI-1 C API over Gantry's wire protocol and shared-memory store.
// One process-wide Client, as the PMI-1 API has no handle; created by PMI_Init.
#include "pmi/client/gantry_pmi.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>

#include "pmi/shm_kvs.h"
#include "pmi/wire.h"

#define GANTRY_PMI_EXPORT extern "C" __attribute__((visibility("default")))

namespace gantry::pmi {
namespace {

int EnvInt(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::atoi(v) : fallback;
}

// Thread-compatible: PMI-1 callers serialize their calls.
class Client {
 public:
  int Connect();
  int Call(const std::string& line, std::string_view expect, WireMessage* reply);
  int Send(const std::string& line);
  int ReadReply(std::string_view expect, WireMessage* reply);
  int DrainPuts();
  int FenceStart();
  int FenceWait();
  bool FenceReady();
  int Get(std::string_view key, char* value, int length);

  int fd = -1;
  int rank = 0;
  int size = 1;
  int appnum = 0;
  std::string kvsname;
  std::unique_ptr<ShmKvsReader> shm;
  std::unordered_map<std::string, std::string> local_puts;
  int outstanding_puts = 0;
  bool fence_pending = false;
  std::string in;
};

Client* g_client = nullptr;

int Client::Send(const std::string& line) {
  size_t done = 0;
  while (done < line.size()) {
    ssize_t n = write(fd, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return PMI_FAIL;
    done += static_cast<size_t>(n);
  }
  return PMI_SUCCESS;
}

// Reads one reply line; put_result lines for pipelined puts are consumed on the way.
int Client::ReadReply(std::string_view expect, WireMessage* reply) {
  for (;;) {
    size_t newline = in.find('\n');
    while (newline == std::string::npos) {
      char buffer[4096];
      ssize_t n = read(fd, buffer, sizeof(buffer));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return PMI_FAIL;
      in.append(buffer, static_cast<size_t>(n));
      newline = in.find('\n');
    }
    auto message = ParseLine(std::string_view(in).substr(0, newline));
    in.erase(0, newline + 1);
    if (!message) return PMI_FAIL;
    if (message->cmd == "put_result" && outstanding_puts > 0 && expect != "put_result") {
      --outstanding_puts;
      if (message->Get("rc").value_or("0") != "0") return PMI_FAIL;
      continue;
    }
    if (message->cmd != expect) return PMI_FAIL;
    if (reply != nullptr) *reply = std::move(*message);
    return PMI_SUCCESS;
  }
}

int Client::Call(const std::string& line, std::string_view expect, WireMessage* reply) {
  if (Send(line) != PMI_SUCCESS) return PMI_FAIL;
  return ReadReply(expect, reply);
}

int Client::Connect() {
  if (const char* pmi_fd = std::getenv("PMI_FD"); pmi_fd != nullptr) {
    fd = std::atoi(pmi_fd);
    rank = EnvInt("PMI_RANK", 0);
    size = EnvInt("PMI_SIZE", 1);
  } else if (const char* port = std::getenv("PMI_PORT"); port != nullptr) {
    std::string host_port = port;
    size_t colon = host_port.rfind(':');
    if (colon == std::string::npos) return PMI_FAIL;
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* result = nullptr;
    if (getaddrinfo(host_port.substr(0, colon).c_str(), host_port.substr(colon + 1).c_str(),
                    &hints, &result) != 0) {
      return PMI_FAIL;
    }
    fd = socket(result->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int rc = fd < 0 ? -1 : connect(fd, result->ai_addr, result->ai_addrlen);
    freeaddrinfo(result);
    if (rc != 0) return PMI_FAIL;
    WireMessage m;
    if (Call("cmd=initack pmiid=" + std::to_string(EnvInt("PMI_ID", 0)) + "\n", "initack",
             nullptr) != PMI_SUCCESS) {
      return PMI_FAIL;
    }
    for (int i = 0; i < 3; ++i) {
      if (ReadReply("set", &m) != PMI_SUCCESS) return PMI_FAIL;
      if (auto v = m.Get("size")) size = std::atoi(std::string(*v).c_str());
      if (auto v = m.Get("rank")) rank = std::atoi(std::string(*v).c_str());
    }
  } else {
    // Singleton: no launcher. PMI-1 clients are expected to work alone as rank 0 of 1.
    return PMI_SUCCESS;
  }
  WireMessage m;
  if (Call("cmd=init pmi_version=1 pmi_subversion=1\n", "response_to_init", &m) !=
          PMI_SUCCESS ||
      m.Get("rc").value_or("0") != "0") {
    return PMI_FAIL;
  }
  if (Call("cmd=get_my_kvsname\n", "my_kvsname", &m) != PMI_SUCCESS) return PMI_FAIL;
  kvsname = std::string(m.Get("kvsname").value_or("kvs"));
  if (Call("cmd=get_appnum\n", "appnum", &m) == PMI_SUCCESS) {
    appnum = std::atoi(std::string(m.Get("appnum").value_or("0")).c_str());
  }
  const char* shm_fd = std::getenv("GANTRY_PMI_SHM_FD");
  const char* no_shm = std::getenv("GANTRY_PMI_NO_SHM");
  if (shm_fd != nullptr && (no_shm == nullptr || std::strcmp(no_shm, "1") != 0)) {
    auto reader = ShmKvsReader::Open(std::atoi(shm_fd));
    if (reader) shm = std::move(*reader);  // without it, gets go over the wire
  }
  return PMI_SUCCESS;
}

int Client::FenceStart() {
  if (fence_pending) return PMI_FAIL;
  if (fd < 0) return PMI_SUCCESS;
  fence_pending = true;
  return Send("cmd=barrier_in\n");
}

bool Client::FenceReady() {
  if (!fence_pending || in.find('\n') != std::string::npos) return true;
  pollfd p{fd, POLLIN, 0};
  return poll(&p, 1, 0) > 0;
}

int Client::FenceWait() {
  if (!fence_pending) return PMI_SUCCESS;
  fence_pending = false;
  return ReadReply("barrier_out", nullptr);
}

int Client::Get(std::string_view key, char* value, int length) {
  auto copy = [&](std::string_view v) {
    if (static_cast<int>(v.size()) >= length) return PMI_ERR_INVALID_LENGTH;
    std::memcpy(value, v.data(), v.size());
    value[v.size()] = '\0';
    return PMI_SUCCESS;
  };
  if (shm) {
    if (auto v = shm->Lookup(key)) return copy(*v);
  }
  if (auto it = local_puts.find(std::string(key)); it != local_puts.end()) {
    return copy(it->second);
  }
  if (fd < 0) return PMI_ERR_INVALID_KEY;
  WireMessage m;
  std::string line = "cmd=get kvsname=" + kvsname + " key=" + std::string(key) + "\n";
  if (Call(line, "get_result", &m) != PMI_SUCCESS) return PMI_FAIL;
  if (m.Get("rc").value_or("-1") != "0") return PMI_ERR_INVALID_KEY;
  return copy(m.Get("value").value_or(""));
}

}  // namespace
}  // namespace gantry::pmi

using gantry::pmi::g_client;

GANTRY_PMI_EXPORT int PMI_Init(int* spawned) {
  if (spawned != nullptr) *spawned = 0;
  if (g_client != nullptr) return PMI_SUCCESS;
  auto* client = new gantry::pmi::Client();
  if (client->Connect() != PMI_SUCCESS) {
    delete client;
    return PMI_FAIL;
  }
  g_client = client;
  return PMI_SUCCESS;
}

GANTRY_PMI_EXPORT int PMI_Initialized(int* initialized) {
  if (initialized == nullptr) return PMI_ERR_INVALID_ARG;
  *initialized = g_client != nullptr ? 1 : 0;
  return PMI_SUCCESS;
}

GANTRY_PMI_EXPORT int PMI_Finalize(void) {
  if (g_client == nullptr) return PMI_ERR_INIT;
  int rc = PMI_SUCCESS;
  if (g_client->fd >= 0) {
    rc = g_client->Call("cmd=finalize\n", "finalize_ack", nullptr);
    close(g_client->fd);
  }
  delete g_client;
  g_client = nullptr;
  return rc;
}

#define GANTRY_PMI_REQUIRE_INIT(arg) \
  if (g_client == nullptr) return PMI_ERR_INIT; \
  if ((arg) == nullptr) return PMI_ERR_INVALID_ARG

GANTRY_PMI_EXPORT int PMI_Get_size(int* size) {
  GANTRY_PMI_REQUIRE_INIT(size);
  *size = g_client->size;
  return PMI_SUCCESS;
}
GANTRY_PMI_EXPORT int PMI_Get_rank(int* rank) {
  GANTRY_PMI_REQUIRE_INIT(rank);
  *rank = g_client->rank;
  return PMI_SUCCESS;
}
GANTRY_PMI_EXPORT int PMI_Get_universe_size(int* size) { return PMI_Get_size(size); }
GANTRY_PMI_EXPORT int PMI_Get_appnum(int* appnum) {
  GANTRY_PMI_REQUIRE_INIT(appnum);
  *appnum = g_client->appnum;
  return PMI_SUCCESS;
}
GANTRY_PMI_EXPORT int PMI_Get_clique_size(int* size) {
  GANTRY_PMI_REQUIRE_INIT(size);
  *size = gantry::pmi::EnvInt("GANTRY_LOCAL_SIZE", 1);
  return PMI_SUCCESS;
}
GANTRY_PMI_EXPORT int PMI_Get_clique_ranks(int ranks[], int length) {
  GANTRY_PMI_REQUIRE_INIT(ranks);
  int local_size = gantry::pmi::EnvInt("GANTRY_LOCAL_SIZE", 1);
  if (length < local_size) return PMI_ERR_INVALID_LENGTH;
  // Gantry places ranks in blocks: a node's ranks are consecutive.
  int first = g_client->rank - gantry::pmi::EnvInt("GANTRY_LOCAL_RANK", 0);
  for (int i = 0; i < local_size; ++i) ranks[i] = first + i;
  return PMI_SUCCESS;
}

GANTRY_PMI_EXPORT int GANTRY_PMI_Fence_start(void) {
  if (g_client == nullptr) return PMI_ERR_INIT;
  return g_client->FenceStart();
}
GANTRY_PMI_EXPORT int GANTRY_PMI_Fence_test(int* done) {
  GANTRY_PMI_REQUIRE_INIT(done);
  *done = g_client->FenceReady() ? 1 : 0;
  return PMI_SUCCESS;
}
GANTRY_PMI_EXPORT int GANTRY_PMI_Fence_wait(void) {
  if (g_client == nullptr) return PMI_ERR_INIT;
  return g_client->FenceWait();
}
GANTRY_PMI_EXPORT int PMI_Barrier(void) {
  int rc = GANTRY_PMI_Fence_start();
  return rc == PMI_SUCCESS ? GANTRY_PMI_Fence_wait() : rc;
}

GANTRY_PMI_EXPORT int PMI_Abort(int exit_code, const char* error_msg) {
  if (error_msg != nullptr) std::fprintf(stderr, "PMI_Abort(%d): %s\n", exit_code, error_msg);
  if (g_client != nullptr && g_client->fd >= 0) {
    g_client->Send("cmd=abort exitcode=" + std::to_string(exit_code) + "\n");
    // The launcher kills the job; wait for it rather than racing it.
    char c;
    for (;;) {
      ssize_t n = read(g_client->fd, &c, 1);
      if (n == 0 || (n < 0 && errno != EINTR)) break;
    }
  }
  _exit(exit_code);
}

GANTRY_PMI_EXPORT int PMI_KVS_Get_my_name(char* kvsname, int length) {
  GANTRY_PMI_REQUIRE_INIT(kvsname);
  if (static_cast<int>(g_client->kvsname.size()) >= length) return PMI_ERR_INVALID_LENGTH;
  std::memcpy(kvsname, g_client->kvsname.c_str(), g_client->kvsname.size() + 1);
  return PMI_SUCCESS;
}
GANTRY_PMI_EXPORT int PMI_KVS_Get_name_length_max(int* length) {
  if (length == nullptr) return PMI_ERR_INVALID_ARG;
  *length = gantry::pmi::kKvsNameMax;
  return PMI_SUCCESS;
}
GANTRY_PMI_EXPORT int PMI_KVS_Get_key_length_max(int* length) {
  if (length == nullptr) return PMI_ERR_INVALID_ARG;
  *length = gantry::pmi::kKeyLengthMax;
  return PMI_SUCCESS;
}
GANTRY_PMI_EXPORT int PMI_KVS_Get_value_length_max(int* length) {
  if (length == nullptr) return PMI_ERR_INVALID_ARG;
  *length = gantry::pmi::kValueLengthMax;
  return PMI_SUCCESS;
}

GANTRY_PMI_EXPORT int PMI_KVS_Put(const char* kvsname, const char* key, const char* value) {
  GANTRY_PMI_REQUIRE_INIT(key);
  if (value == nullptr || kvsname == nullptr) return PMI_ERR_INVALID_ARG;
  size_t key_len = std::strlen(key), value_len = std::strlen(value);
  if (key_len == 0 || key_len > gantry::pmi::kKeyLengthMax || std::strchr(key, ' ') ||
      std::strchr(key, '=')) {
    return PMI_ERR_INVALID_KEY;
  }
  if (value_len > gantry::pmi::kValueLengthMax || std::strchr(value, '\n')) {
    return PMI_ERR_INVALID_VAL;
  }
  g_client->local_puts[key] = value;
  if (g_client->fd < 0) return PMI_SUCCESS;
  // Pipelined: the put_result is consumed before the next reply we wait for.
  ++g_client->outstanding_puts;
  return g_client->Send("cmd=put kvsname=" + g_client->kvsname + " key=" + key +
                        " value=" + value + "\n");
}

GANTRY_PMI_EXPORT int PMI_KVS_Commit(const char*) {
  return g_client == nullptr ? PMI_ERR_INIT : PMI_SUCCESS;
}

GANTRY_PMI_EXPORT int PMI_KVS_Get(const char* kvsname, const char* key, char* value,
                                  int length) {
  GANTRY_PMI_REQUIRE_INIT(key);
  if (value == nullptr || kvsname == nullptr || length <= 0) return PMI_ERR_INVALID_ARG;
  return g_client->Get(key, value, length);
}

GANTRY_PMI_EXPORT int GANTRY_PMI_Allgather(const char* value, int* epoch) {
  GANTRY_PMI_REQUIRE_INIT(value);
  if (epoch == nullptr || std::strlen(value) > gantry::pmi::kValueLengthMax) {
    return PMI_ERR_INVALID_ARG;
  }
  if (g_client->fd < 0) {
    *epoch = 0;
    g_client->local_puts["-gantry-allgather-0-0"] = value;
    return PMI_SUCCESS;
  }
  gantry::pmi::WireMessage m;
  if (g_client->Call("cmd=allgather_in value=" + std::string(value) + "\n", "allgather_out",
                     &m) != PMI_SUCCESS) {
    return PMI_FAIL;
  }
  *epoch = std::atoi(std::string(m.Get("epoch").value_or("0")).c_str());
  return PMI_SUCCESS;
}

GANTRY_PMI_EXPORT int GANTRY_PMI_Allgather_get(int epoch, int rank, char* value, int length) {
  GANTRY_PMI_REQUIRE_INIT(value);
  std::string key =
      "-gantry-allgather-" + std::to_string(epoch) + "-" + std::to_string(rank);
  return g_client->Get(key, value, length);
}

GANTRY_PMI_EXPORT int GANTRY_PMI_Uses_shared_memory(void) {
  return g_client != nullptr && g_client->shm != nullptr ? 1 : 0;
}
