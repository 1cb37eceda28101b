#include "server/server.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <optional>

#include <nlohmann/json.hpp>

#include "api/routes.h"
#include "api/routes_data.h"
#include "api/routes_transfers.h"
#include "base/file.h"
#include "base/log.h"
#include "base/strings.h"
#include "identity/jwt.h"
#include "identity/mint.h"
#include "transfer/queue.h"
#include "transfer/service.h"

namespace gantry::server {

namespace {

// The pid in server.json, if that process is alive.
std::optional<pid_t> LiveServerPid(const HomeLayout& layout) {
  auto text = ReadFile(layout.server_info());
  if (!text) return std::nullopt;
  auto json = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.contains("pid") || !json["pid"].is_number_integer()) {
    return std::nullopt;
  }
  pid_t pid = json["pid"].get<pid_t>();
  if (pid <= 0 || pid == getpid() || kill(pid, 0) != 0) return std::nullopt;
  return pid;
}

// One server per GANTRY_HOME. A server killed with SIGKILL can leave its lock held for a
// moment by a child it was starting (the child shares the open file until it execs), so
// when the recorded server is gone the lock is retried for a few seconds.
Status LockHome(int fd, const HomeLayout& layout) {
  auto busy = [&] {
    return Fail(AlreadyExists("another Gantry server is already using " + layout.home +
                              " (see " + layout.server_info() + ")"));
  };
  for (int i = 0; i < 100; ++i) {
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) return {};
    if (errno != EWOULDBLOCK && errno != EINTR) {
      return Fail(ErrnoError("cannot lock " + layout.lock(), errno));
    }
    if (LiveServerPid(layout)) return busy();
    usleep(50'000);
  }
  return busy();
}

constexpr int64_t kTokenLifetime = 30 * 86400;

// Writes a fresh token for request to path (0600) unless the one there still verifies, is
// for the same subject and scope, and has more than half its lifetime left.
Status KeepToken(const identity::Site& site, const std::string& path,
                 const identity::MintRequest& request, const Clock& clock) {
  if (auto existing = ReadFile(path)) {
    std::string token(Trim(*existing));
    auto identity = site.verifier.Verify(token, clock);
    auto decoded = identity::DecodeToken(token);
    if (identity && decoded && identity->subject == request.subject &&
        decoded->claims.scope == request.scope && decoded->claims.exp &&
        *decoded->claims.exp - clock.Now() / kMicrosPerSecond > request.lifetime_seconds / 2) {
      return {};
    }
  }
  GANTRY_ASSIGN_OR_RETURN(std::string token,
                          identity::MintToken(site.key, site.issuer, request, clock));
  return WriteFileAtomic(path, token + "\n", 0600);
}

}  // namespace

Result<std::unique_ptr<Server>> Server::Start(ServerOptions options) {
  if (options.tls_cert_file.empty() != options.tls_key_file.empty()) {
    return Fail(InvalidArgument("TLS needs both a certificate (--tls-cert) and its key (--tls-key)"));
  }
  std::shared_ptr<const net::TlsContext> tls;
  if (!options.tls_cert_file.empty()) {
    if (options.tcp_address.empty()) {
      return Fail(InvalidArgument("--tls-cert and --tls-key need TCP (drop --no-tcp)"));
    }
    GANTRY_ASSIGN_OR_RETURN(tls, net::TlsContext::ForServer(options.tls_cert_file,
                                                            options.tls_key_file));
  }
  std::unique_ptr<Server> s(new Server());
  s->options_ = options;
  HomeLayout layout(options.home);
  GANTRY_RETURN_IF_ERROR(MakeDirs(options.home, 0755));
  // One server per GANTRY_HOME.
  s->lock_fd_ = open(layout.lock().c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (s->lock_fd_ < 0) return Fail(ErrnoError("cannot open " + layout.lock(), errno));
  GANTRY_RETURN_IF_ERROR(LockHome(s->lock_fd_, layout));
  // The built-in issuer's key is made on first start; `gantry token issue` mints with it.
  GANTRY_ASSIGN_OR_RETURN(identity::Site site,
                          identity::LoadSite(options.home, identity::KeyMode::kCreate));
  s->site_ = std::make_unique<identity::Site>(std::move(site));
  GANTRY_ASSIGN_OR_RETURN(s->store_, store::OpenSqliteStore(layout.database(), options.durability));
  broker::BrokerOptions broker_options;
  if (geteuid() != 0) broker_options.only_uid = geteuid();
  broker_options.agent_timeout_seconds = options.agent_timeout_seconds;
  broker_options.partitions = options.partitions;
  GANTRY_ASSIGN_OR_RETURN(s->broker_, broker::Broker::Create(*s->store_, s->clock_, broker_options));
  GANTRY_ASSIGN_OR_RETURN(s->catalog_, catalog::Catalog::Open(layout.data_database(), s->clock_));
  GANTRY_ASSIGN_OR_RETURN(s->transfer_queue_,
                          transfer::TransferQueue::Open(layout.transfers_database(), s->clock_));
  {
    std::map<std::string, std::unique_ptr<transfer::Storage>> storages;
    storages["file"] = transfer::NewFileStorage();
    storages["root"] = transfer::NewXrootdStorage();
    transfer::ServiceOptions transfer_options;
    transfer_options.workers = options.transfer_workers;
    GANTRY_ASSIGN_OR_RETURN(s->transfers_, transfer::TransferService::Start(
                                               *s->catalog_, *s->transfer_queue_, s->clock_,
                                               std::move(storages), transfer_options));
  }

  // The tokens: one for this server's own user (not a shared secret that makes any holder
  // admin) and one credential for agents that may only poll and report. Both are kept across
  // restarts while they have more than half their life left.
  const std::string user = api::UserName(geteuid());
  // The server user's own token also holds every storage scope, for the catalog over TCP.
  const std::string all = identity::ScopeSet::All().ToString() +
                          " storage.read:/ storage.create:/ storage.modify:/";
  const std::string agent(identity::ScopeName(identity::Scope::kAgent));
  GANTRY_RETURN_IF_ERROR(KeepToken(*s->site_, layout.token(),
                                   {user, {}, all, kTokenLifetime, {}}, s->clock_));
  GANTRY_RETURN_IF_ERROR(KeepToken(*s->site_, layout.agent_token(),
                                   {"agent:" + user, {}, agent, kTokenLifetime, {}}, s->clock_));
  // Credentials revoked while the server runs (gantry token revoke), kept across restarts.
  GANTRY_ASSIGN_OR_RETURN(s->revocations_, identity::Revocations::Open(layout.home + "/revoked"));
  s->auth_.revocations = s->revocations_.get();
  GANTRY_ASSIGN_OR_RETURN(s->pools_, identity::AccountPools::Open(layout.home + "/pool-leases"));
  s->auth_.pools = s->pools_.get();
  s->auth_.site = s->site_.get();
  s->auth_.clock = &s->clock_;
  s->auth_.server_uid = geteuid();
  s->auth_.server_gid = getegid();
  api::AddRoutes(s->router_, *s->broker_, s->auth_, &s->peeks_);
  api::AddDataRoutes(s->router_, *s->catalog_, s->auth_);
  api::AddTransferRoutes(s->router_, *s->transfers_, s->auth_);

  net::HttpServerOptions http;
  http.unix_socket_path = layout.socket();
  http.tcp_address = options.tcp_address;
  http.tls = tls;
  if (!tls && !options.tcp_address.empty() &&
      !net::IsLoopbackHost(options.tcp_address.substr(0, options.tcp_address.rfind(':')))) {
    LogWarning("serving plain HTTP on " + options.tcp_address +
               ": clients refuse to send tokens to a non-loopback address without TLS; "
               "give --tls-cert and --tls-key");
  }
  GANTRY_ASSIGN_OR_RETURN(s->http_, net::HttpServer::Start(http, s->router_.AsHandler()));

  nlohmann::json info = {{"unix", s->http_->unix_url()},
                         {"tcp", s->http_->tcp_url()},
                         {"pid", getpid()},
                         {"uid", geteuid()}};
  GANTRY_RETURN_IF_ERROR(WriteFileAtomic(layout.server_info(), info.dump(2) + "\n", 0644));
  s->ticker_ = std::thread([raw = s.get()] { raw->TickLoop(); });
  LogInfo("gantry server listening on " + s->http_->unix_url() +
          (s->http_->tcp_url().empty() ? "" : " and " + s->http_->tcp_url()));
  return s;
}

void Server::TickLoop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    cv_.wait_for(lock, std::chrono::seconds(1));
    if (stopping_) break;
    lock.unlock();
    broker_->Tick();
    lock.lock();
  }
}

void Server::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
    cv_.notify_all();
  }
  broker_->Shutdown();  // wakes long-polls so the HTTP threads can finish
  peeks_.Shutdown();
  http_->Stop();
  if (ticker_.joinable()) ticker_.join();
  if (transfers_) transfers_->Stop();  // running copies stop; recovered at the next start
}

Server::~Server() {
  if (http_) Stop();
  if (lock_fd_ >= 0) close(lock_fd_);
}

}  // namespace gantry::server
