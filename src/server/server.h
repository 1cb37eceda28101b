// Server: the broker role wired up: the SQLite store under GANTRY_HOME, the Broker, the
// HTTP API on a Unix socket and on 127.0.0.1, the access token file and the timer thread.
// Thread-safe: Stop() may be called from any thread (e.g. a signal-watching one).
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "api/auth.h"
#include "api/peek_hub.h"
#include "base/error.h"
#include "broker/broker.h"
#include "catalog/catalog.h"
#include "identity/site.h"
#include "net/http_server.h"
#include "net/router.h"
#include "store/store.h"
#include "wire/home.h"

namespace gantry::transfer {
class TransferQueue;
class TransferService;
}  // namespace gantry::transfer

namespace gantry::server {

struct ServerOptions {
  std::string home;          // GANTRY_HOME
  std::string tcp_address = "127.0.0.1:0";  // "" disables TCP
  // Both or neither: serve TLS on TCP with this PEM certificate chain and key.
  std::string tls_cert_file;
  std::string tls_key_file;
  store::Durability durability = store::Durability::kFull;
  int64_t agent_timeout_seconds = 60;
  int transfer_workers = 8;  // concurrent transfers, over all links
  // The partitions, the first the default; none: just "local" (broker/partitions.h).
  std::vector<std::string> partitions;
};

// Where things live under GANTRY_HOME (docs/operations.md); DefaultHome: GANTRY_HOME, or
// ~/.gantry. The clients find the socket and the token there too (wire/home.h).
using wire::DefaultHome;
using wire::HomeLayout;

class Server {
 public:
  static Result<std::unique_ptr<Server>> Start(ServerOptions options);
  ~Server();

  void Stop();
  std::string unix_url() const { return http_->unix_url(); }
  std::string tcp_url() const { return http_->tcp_url(); }
  broker::Broker& broker() { return *broker_; }

 private:
  Server() = default;
  void TickLoop();

  ServerOptions options_;
  int lock_fd_ = -1;
  std::unique_ptr<identity::Revocations> revocations_;  // $GANTRY_HOME/revoked
  std::unique_ptr<identity::AccountPools> pools_;       // $GANTRY_HOME/pool-leases
  std::unique_ptr<identity::Site> site_;  // issuer key, trusted issuers, VO/policy files
  std::unique_ptr<store::Store> store_;
  SystemClock clock_;
  std::unique_ptr<broker::Broker> broker_;
  std::unique_ptr<catalog::Catalog> catalog_;  // its own file: data.db
  std::unique_ptr<transfer::TransferQueue> transfer_queue_;  // transfers.db
  std::unique_ptr<transfer::TransferService> transfers_;  // stopped before the above go
  api::AuthConfig auth_;
  api::PeekHub peeks_;  // gantry logs of attempts on agents without a shared filesystem
  net::Router router_;
  std::unique_ptr<net::HttpServer> http_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // GUARDED_BY(mu_)
  std::thread ticker_;
};

}  // namespace gantry::server
