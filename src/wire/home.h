// Where a server keeps its files under GANTRY_HOME (docs/operations.md): the socket and the
// token a local client finds there, the database and keys only the server opens. Shared by
// the server and its clients. Pure.
#pragma once

#include <string>

namespace gantry::wire {

struct HomeLayout {
  explicit HomeLayout(std::string home) : home(std::move(home)) {}
  std::string home;
  std::string database() const { return home + "/gantry.db"; }
  std::string data_database() const { return home + "/data.db"; }  // the file catalog
  std::string transfers_database() const { return home + "/transfers.db"; }  // the queue
  std::string socket() const { return home + "/gantry.sock"; }
  std::string token() const { return home + "/token"; }  // the server user's own token
  std::string agent_token() const { return home + "/agent.token"; }  // agents' credential
  std::string server_info() const { return home + "/server.json"; }
  std::string lock() const { return home + "/lock"; }
  std::string agent_dir() const { return home + "/agent"; }
};

// GANTRY_HOME, or ~/.gantry.
std::string DefaultHome();

}  // namespace gantry::wire
