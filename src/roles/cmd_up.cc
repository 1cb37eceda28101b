// gantry up / gantry server / gantry agent.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <thread>

#include "agent/agent.h"
#include "agent/modules.h"
#include "base/file.h"
#include "base/log.h"
#include "base/strings.h"
#include "broker/partitions.h"
#include "cli/client.h"
#include "cli/flags.h"
#include "exec/gpus.h"
#include "roles/signals.h"
#include "server/in_process_link.h"
#include "server/server.h"

namespace gantry::roles {
namespace {

using cli::Flags;
using cli::ParseOrExit;
using cli::Report;

struct RoleFlags {
  std::string home;
  std::string tcp = "127.0.0.1:0";
  std::string server_url;
  std::string token_file;
  std::string tls_cert;
  std::string tls_key;
  std::string ca_file = getenv("GANTRY_CA_FILE") ? getenv("GANTRY_CA_FILE") : "";
  std::string name = "local";
  std::string site = "local";
  std::string ad_file;
  std::string gpus;                     // --gpus N or ids; "" = nvidia-smi
  std::vector<std::string> partitions;  // --partition (comma lists too)
  std::string partitions_file;          // --partitions FILE
  std::vector<std::string> features;    // --feature (comma lists too)
  int64_t cores = 0;
  int64_t memory_mb = 0;
  int64_t agent_timeout = 60;
  int64_t kill_grace = 5;
  int64_t queue_cores = -1;
  bool no_tcp = false;
  bool sync_normal = false;
  bool no_shared_fs = false;
};

void AddServerFlags(Flags& f, RoleFlags& r) {
  f.String("--home", &r.home, "DIR", "state directory (default $GANTRY_HOME or ~/.gantry)");
  f.String("--listen", &r.tcp, "HOST:PORT", "TCP address for the API (default 127.0.0.1:0)");
  f.Bool("--no-tcp", &r.no_tcp, "serve only on the Unix socket");
  f.String("--tls-cert", &r.tls_cert, "FILE",
           "serve TLS (https://) on TCP with this PEM certificate chain (needs --tls-key)");
  f.String("--tls-key", &r.tls_key, "FILE", "the private key of --tls-cert (PEM)");
  f.Int("--agent-timeout", &r.agent_timeout, "SECONDS",
        "declare a silent agent lost after this long (default 60)");
  f.Bool("--sync-normal", &r.sync_normal,
         "fsync the database at checkpoints only (survives a crash of gantry, not of the OS)");
  f.String("--partitions", &r.partitions_file, "FILE",
           "the server's partitions, one per line, 'NAME default' for the default (else the "
           "first); jobs naming another partition are refused");
}

// Comma lists and repeated flags alike: --partition a,b --partition c.
std::vector<std::string> Words(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const std::string& value : values) {
    for (const std::string& word : Split(value, ',')) {
      if (!Trim(word).empty()) out.emplace_back(Trim(word));
    }
  }
  return out;
}

void AddAgentFlags(Flags& f, RoleFlags& r) {
  f.String("--name", &r.name, "NAME", "agent name (default local)");
  f.String("--site", &r.site, "SITE", "the Site attribute of the agent's ClassAd (default local)");
  f.String("--ad", &r.ad_file, "FILE",
           "ClassAd file with custom attributes, START/Requirements and Rank for this agent");
  f.Int("--cores", &r.cores, "N", "offer N cores instead of what hwloc finds");
  f.String("--gpus", &r.gpus, "N|IDS",
           "offer GPUs 0..N-1, or the device ids listed (0,1,3 or 2-3), instead of what "
           "nvidia-smi finds");
  f.Strings("--partition", &r.partitions, "NAME[,NAME]",
            "the partitions this agent belongs to (default: the server's default partition)");
  f.Strings("--feature", &r.features, "NAME[,NAME]",
            "node features to advertise, matched by -C/--constraint");
  f.Int("--memory", &r.memory_mb, "MB", "offer this much memory instead of what hwloc finds");
  f.Int("--kill-grace", &r.kill_grace, "SECONDS",
        "between SIGTERM and SIGKILL at a time limit or cancel (default 5)");
  f.Int("--queue-cores", &r.queue_cores, "N",
        "accept array tasks for N cores beyond the free ones, started as cores free up "
        "(default: ~100 ms of recent tasks, 1-16x the node's cores; 0: none)");
}

// The server's partitions: the file's, then those named with --partition (in `gantry up`, the
// local agent's) that the file does not list.
Result<std::vector<std::string>> ServerPartitions(const RoleFlags& r) {
  std::vector<std::string> names;
  if (!r.partitions_file.empty()) {
    GANTRY_ASSIGN_OR_RETURN(std::string text, ReadFile(r.partitions_file));
    auto parsed = broker::ParsePartitionsFile(text);
    if (!parsed) return Fail(parsed.error().Wrap(r.partitions_file));
    names = std::move(*parsed);
  }
  for (const std::string& name : Words(r.partitions)) {
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  return names;
}

Result<std::unique_ptr<server::Server>> StartServer(const RoleFlags& r) {
  server::ServerOptions options;
  GANTRY_ASSIGN_OR_RETURN(options.partitions, ServerPartitions(r));
  options.home = r.home.empty() ? server::DefaultHome() : r.home;
  options.tcp_address = r.no_tcp ? "" : r.tcp;
  options.tls_cert_file = r.tls_cert;
  options.tls_key_file = r.tls_key;
  options.agent_timeout_seconds = r.agent_timeout;
  if (r.sync_normal) options.durability = store::Durability::kNormal;
  return server::Server::Start(options);
}

// server: in `gantry up`, the broker in this process (no wire); else the agent dials url.
Result<std::unique_ptr<agent::Agent>> StartAgent(const RoleFlags& r, server::Server* server,
                                                 const std::string& url,
                                                 const std::string& token,
                                                 const std::string& home) {
  std::unique_ptr<agent::ServerLink> link, waker;
  if (server) {
    link = server::NewInProcessLink(server->broker());
    waker = server::NewInProcessLink(server->broker());
  } else {
    GANTRY_ASSIGN_OR_RETURN(link, agent::ConnectHttp(url, token, r.ca_file));
    GANTRY_ASSIGN_OR_RETURN(waker, agent::ConnectHttp(url, token, r.ca_file));
  }
  agent::AgentOptions options;
  options.name = r.name;
  options.site = r.site;
  if (!r.ad_file.empty()) {
    GANTRY_ASSIGN_OR_RETURN(options.ad_extra, ReadFile(r.ad_file));
  }
  options.work_dir = server::HomeLayout(home).agent_dir();
  if (r.cores > 0) options.resources.cores = static_cast<int>(r.cores);
  if (r.memory_mb > 0) options.resources.memory_mb = r.memory_mb;
  if (!r.gpus.empty()) {
    auto gpus = exec::ParseGpuDeclaration(r.gpus);
    if (!gpus) return Fail(gpus.error().Wrap("--gpus"));
    options.resources.gpus = std::move(*gpus);
  }
  options.partitions = Words(r.partitions);
  options.features = Words(r.features);
  // Lmod as the agent's environment has it (docs/resources.md, "Environment modules").
  const char* lmod_pkg = getenv("LMOD_PKG");
  const char* modulepath = getenv("MODULEPATH");
  options.lmod_init = agent::FindLmodInit(lmod_pkg ? lmod_pkg : "");
  options.modulepath = modulepath ? modulepath : "";
  options.kill_grace_seconds = r.kill_grace;
  options.queue_cores = r.queue_cores;
  options.no_shared_fs = r.no_shared_fs;
  GANTRY_ASSIGN_OR_RETURN(auto agent,
                          agent::Agent::Create(options, std::move(link), std::move(waker)));
  if (!server) {
    // On another host the job's files may not be here: sandboxes (docs/sandbox.md).
    GANTRY_ASSIGN_OR_RETURN(auto returns, agent::ConnectSandboxHttp(url, token, r.ca_file));
    GANTRY_ASSIGN_OR_RETURN(auto peeks, agent::ConnectSandboxHttp(url, token, r.ca_file));
    agent->EnableSandboxes(std::move(returns), std::move(peeks));
  }
  return agent;
}

// ", GPUs 0,1,3" for the start-up line; "" without GPUs.
std::string GpuWords(const exec::NodeResources& total) {
  return total.gpus.empty() ? "" : ", GPUs " + exec::GpuList(total.gpus);
}

// Runs the agent loop on a thread until a signal (or the loop fails: then exits 1).
int RunUntilSignal(server::Server* server, agent::Agent* agent) {
  std::thread loop;
  std::atomic<bool> failed = false;
  if (agent) {
    loop = std::thread([agent, &failed] {
      auto r = agent->Run();
      if (!r) {
        LogError("agent stopped: " + r.error().message());
        failed = true;
        kill(getpid(), SIGTERM);
      }
    });
  }
  int sig = WaitForTerminationSignal();
  LogInfo("received signal " + std::to_string(sig) + ", shutting down");
  if (agent) agent->Stop();
  if (loop.joinable()) loop.join();
  if (server) server->Stop();
  return failed ? 1 : 0;
}

}  // namespace

int RunUp(int argc, char** argv) {
  RoleFlags r;
  Flags f("gantry up [OPTIONS]",
          "Runs the Gantry server and a local agent in one process, with state in SQLite under\n"
          "GANTRY_HOME. Stop it with Ctrl-C or SIGTERM; queued jobs survive a restart.");
  AddServerFlags(f, r);
  AddAgentFlags(f, r);
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  BlockTerminationSignals();
  auto server = StartServer(r);
  if (!server) return Report("up", server.error());
  std::string home = r.home.empty() ? server::DefaultHome() : r.home;
  auto agent = StartAgent(r, server->get(), "", "", home);
  if (!agent) {
    (*server)->Stop();
    return Report("up", agent.error());
  }
  std::printf("gantry up: serving on %s and %s (token in %s); agent '%s' offers %d cores, %lld MB%s\n",
              (*server)->unix_url().c_str(), (*server)->tcp_url().c_str(),
              server::HomeLayout(home).token().c_str(), r.name.c_str(), (*agent)->total().cores,
              static_cast<long long>((*agent)->total().memory_mb),
              GpuWords((*agent)->total()).c_str());
  std::fflush(stdout);
  return RunUntilSignal(server->get(), agent->get());
}

int RunServer(int argc, char** argv) {
  RoleFlags r;
  Flags f("gantry server [OPTIONS]",
          "Runs the Gantry server (broker, store, API) without a local agent; start agents with\n"
          "'gantry agent --server URL'.");
  AddServerFlags(f, r);
  f.Strings("--partition", &r.partitions, "NAME[,NAME]",
            "partitions this server has, besides those of --partitions (default: local)");
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  BlockTerminationSignals();
  auto server = StartServer(r);
  if (!server) return Report("server", server.error());
  std::printf("gantry server: serving on %s and %s\n", (*server)->unix_url().c_str(),
              (*server)->tcp_url().c_str());
  std::fflush(stdout);
  return RunUntilSignal(server->get(), nullptr);
}

int RunAgent(int argc, char** argv) {
  RoleFlags r;
  Flags f("gantry agent --server URL [OPTIONS]",
          "Runs a Gantry agent: pulls work from the server at URL (unix:///path/gantry.sock or\n"
          "http(s)://HOST:PORT; TCP needs --token-file) and runs it on this node.");
  f.String("--server", &r.server_url, "URL", "the server to pull work from (required)");
  f.String("--token-file", &r.token_file, "FILE",
           "the agent credential: the server's $GANTRY_HOME/agent.token, or one from "
           "gantry token issue --scope gantry.agent");
  f.String("--ca-file", &r.ca_file, "FILE",
           "PEM CA certificates that an https:// server's certificate must chain to "
           "(default $GANTRY_CA_FILE, else the system's)");
  f.String("--home", &r.home, "DIR", "scratch directory root (default $GANTRY_HOME or ~/.gantry)");
  f.Bool("--no-shared-fs", &r.no_shared_fs,
         "this host shares no filesystem with the submit hosts: every job runs in a sandbox, "
         "its input files sent with it, its output returned at its end (default: only jobs "
         "whose working directory is missing here)");
  AddAgentFlags(f, r);
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  if (r.server_url.empty()) {
    std::fprintf(stderr, "gantry agent: --server URL is required\n");
    return 2;
  }
  std::string token;
  if (!r.token_file.empty()) {
    auto t = ReadFile(r.token_file);
    if (!t) return Report("agent", t.error());
    token = std::string(Trim(*t));
  }
  BlockTerminationSignals();
  std::string home = r.home.empty() ? server::DefaultHome() : r.home;
  auto agent = StartAgent(r, nullptr, r.server_url, token, home);
  if (!agent) return Report("agent", agent.error());
  std::printf("gantry agent '%s': pulling work from %s with %d cores, %lld MB%s\n",
              r.name.c_str(), r.server_url.c_str(), (*agent)->total().cores,
              static_cast<long long>((*agent)->total().memory_mb),
              GpuWords((*agent)->total()).c_str());
  std::fflush(stdout);
  return RunUntilSignal(nullptr, agent->get());
}

}  // namespace gantry::roles
