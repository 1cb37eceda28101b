#include "pmi/simple_server.h"

#include <string>

#include "base/check.h"
#include "base/strings.h"
#include "pmi/wire.h"

namespace gantry::pmi {
namespace {

constexpr std::string_view kAllgatherPrefix = "-gantry-allgather-";

}  // namespace

SimpleServer::SimpleServer(SimpleServerConfig config, SimpleServerHost& host, KvsSink* sink)
    : config_(std::move(config)), host_(host), sink_(sink) {
  for (const auto& [k, v] : config_.preput) {
    kvs_[k] = v;
    // Sink errors here only lose the shared-memory fast path: gets still work on the wire.
    if (sink_ != nullptr) (void)sink_->Insert(k, v);
  }
}

int SimpleServer::AddClient(std::optional<int> rank) {
  clients_.push_back(Client{.rank = rank});
  return static_cast<int>(clients_.size()) - 1;
}

std::optional<int> SimpleServer::RankOf(int client) const {
  if (client < 0 || client >= static_cast<int>(clients_.size())) return std::nullopt;
  return clients_[client].rank;
}

bool SimpleServer::AllFinalized() const { return finalized_ == config_.local_clients; }

std::optional<std::string_view> SimpleServer::LookupForTest(std::string_view key) const {
  auto it = kvs_.find(std::string(key));
  if (it == kvs_.end()) return std::nullopt;
  return it->second;
}

std::string SimpleServer::Who(const Client& c) const {
  return c.rank ? "rank " + std::to_string(*c.rank) : std::string("a PMI client");
}

void SimpleServer::Reply(int client, std::string_view cmd,
                         const std::vector<std::pair<std::string_view, std::string_view>>& fields) {
  host_.Send(client, FormatLine(cmd, fields));
}

Status SimpleServer::HandleLine(int client, std::string_view line) {
  GANTRY_CHECK(client >= 0 && client < static_cast<int>(clients_.size()));
  Client& c = clients_[client];
  if (c.phase == Phase::kClosed) return {};
  if (line.size() >= kMaxRequestBytes) {
    return Fail(InvalidArgument(Who(c) + " sent a PMI line of " + std::to_string(line.size()) +
                                " bytes (limit " + std::to_string(kMaxRequestBytes) + ")"));
  }
  auto message = ParseLine(line);
  if (!message) return Fail(message.error().Wrap(Who(c) + " broke the PMI protocol"));
  return Dispatch(client, c, message->cmd, *message);
}

Status SimpleServer::Dispatch(int client, Client& c, std::string_view cmd, const WireMessage& m) {
  const std::string size = std::to_string(config_.size);
  if (cmd == "initack") {
    auto id = ParseInt(m.Get("pmiid").value_or(""));
    if (!id || *id < 0 || *id >= config_.size) {
      return Fail(InvalidArgument(Who(c) + " sent initack with a bad pmiid"));
    }
    for (const Client& other : clients_) {
      if (&other != &c && other.rank == *id && other.phase != Phase::kClosed) {
        return Fail(InvalidArgument("two PMI clients claim rank " + std::to_string(*id)));
      }
    }
    c.rank = static_cast<int>(*id);
    const std::string rank = std::to_string(*id);
    Reply(client, "initack", {{"rc", "0"}});
    Reply(client, "set", {{"size", size}});
    Reply(client, "set", {{"rank", rank}});
    Reply(client, "set", {{"debug", "0"}});
    return {};
  }
  if (!c.rank) return Fail(InvalidArgument("PMI client sent '" + std::string(cmd) +
                                           "' before identifying itself with initack"));
  if (cmd == "init") {
    if (m.Get("pmi_version").value_or("") != "1") {
      Reply(client, "response_to_init", {{"pmi_version", "1"}, {"pmi_subversion", "1"},
                                         {"rc", "-1"}});
      return Fail(InvalidArgument(Who(c) + " asked for PMI version " +
                                  std::string(m.Get("pmi_version").value_or("?")) +
                                  "; this server speaks PMI-1 only"));
    }
    c.phase = Phase::kInitialized;
    Reply(client, "response_to_init", {{"pmi_version", "1"}, {"pmi_subversion", "1"},
                                       {"rc", "0"}});
    return {};
  }
  if (c.phase == Phase::kConnected) {
    return Fail(InvalidArgument(Who(c) + " sent '" + std::string(cmd) + "' before init"));
  }
  if (c.phase == Phase::kFinalized) {
    return Fail(InvalidArgument(Who(c) + " sent '" + std::string(cmd) + "' after finalize"));
  }
  if (cmd == "get_maxes") {
    Reply(client, "maxes", {{"kvsname_max", std::to_string(kKvsNameMax)},
                            {"keylen_max", std::to_string(kKeyLengthMax)},
                            {"vallen_max", std::to_string(kValueLengthMax)},
                            {"rc", "0"}});
  } else if (cmd == "get_appnum") {
    Reply(client, "appnum", {{"appnum", std::to_string(config_.appnum)}, {"rc", "0"}});
  } else if (cmd == "get_my_kvsname") {
    Reply(client, "my_kvsname", {{"kvsname", config_.kvsname}, {"rc", "0"}});
  } else if (cmd == "get_universe_size") {
    Reply(client, "universe_size",
          {{"size", std::to_string(config_.universe_size)}, {"rc", "0"}});
  } else if (cmd == "put") {
    auto key = m.Get("key");
    auto value = m.Get("value");
    if (!key || !value) return Fail(InvalidArgument(Who(c) + " sent put without key= or value="));
    if (key->size() > kKeyLengthMax || value->size() > kValueLengthMax) {
      Reply(client, "put_result", {{"rc", "-1"}, {"msg", "key_or_value_too_long"}});
      return {};
    }
    if (kvs_.contains(std::string(*key))) {
      Reply(client, "put_result", {{"rc", "-1"}, {"msg", "duplicate_key"}});
      return {};
    }
    kvs_.emplace(std::string(*key), std::string(*value));
    pending_puts_.emplace_back(std::string(*key), std::string(*value));
    Reply(client, "put_result", {{"rc", "0"}, {"msg", "success"}});
  } else if (cmd == "get") {
    auto key = m.Get("key");
    if (!key) return Fail(InvalidArgument(Who(c) + " sent get without key="));
    auto it = kvs_.find(std::string(*key));
    if (it == kvs_.end()) {
      Reply(client, "get_result", {{"rc", "-1"}, {"msg", "key_not_found"}});
    } else {
      Reply(client, "get_result", {{"rc", "0"}, {"msg", "success"}, {"value", it->second}});
    }
  } else if (cmd == "barrier_in") {
    return EnterBarrier(client, c);
  } else if (cmd == "allgather_in") {
    // Gantry extension: the contribution is stored under a per-epoch, per-rank key and the
    // barrier publishes it with everything else (docs/protocols/pmi.md).
    auto value = m.Get("value");
    if (!value || value->size() > kValueLengthMax) {
      return Fail(InvalidArgument(Who(c) + " sent allgather_in without a valid value="));
    }
    std::string key = std::string(kAllgatherPrefix) + std::to_string(epoch_) + "-" +
                      std::to_string(*c.rank);
    kvs_[key] = std::string(*value);
    pending_puts_.emplace_back(std::move(key), std::string(*value));
    c.allgather = true;
    return EnterBarrier(client, c);
  } else if (cmd == "finalize") {
    c.phase = Phase::kFinalized;
    ++finalized_;
    Reply(client, "finalize_ack", {{"rc", "0"}});
  } else if (cmd == "abort") {
    auto code = ParseInt(m.Get("exitcode").value_or("1"));
    host_.OnAbort(*c.rank, code ? static_cast<int>(*code) : 1);
  } else if (cmd == "spawn") {
    // mcmd=spawn (MPI_Comm_spawn), from a PMI-1 client or libgantry-spawn-guard.so.
    return Fail(FailedPrecondition(Who(c) +
                                   " called MPI_Comm_spawn, which gantry run does not support"));
  } else if (cmd == "publish_name" || cmd == "unpublish_name" || cmd == "lookup_name") {
    std::string result = std::string(cmd.substr(0, cmd.find('_'))) + "_result";
    Reply(client, result, {{"rc", "-1"}, {"msg", "not_supported"}});
  } else {
    return Fail(InvalidArgument(Who(c) + " sent unsupported PMI command '" +
                                std::string(cmd.substr(0, 64)) + "'"));
  }
  return {};
}

Status SimpleServer::EnterBarrier(int /*client*/, Client& c) {
  if (c.phase == Phase::kInBarrier) {
    return Fail(InvalidArgument(Who(c) + " entered a barrier twice"));
  }
  c.phase = Phase::kInBarrier;
  if (++in_barrier_ == config_.local_clients) {
    host_.OnLocalBarrier(epoch_, std::exchange(pending_puts_, {}));
  }
  return {};
}

Status SimpleServer::CompleteBarrier(uint64_t epoch, const std::vector<KeyValue>& pairs) {
  if (epoch != epoch_ || in_barrier_ != config_.local_clients) {
    return Fail(FailedPrecondition("barrier " + std::to_string(epoch) + " is not pending"));
  }
  for (const auto& [k, v] : pairs) {
    kvs_.try_emplace(k, v);
    if (sink_ != nullptr) {
      // A full shared-memory store only costs speed: clients fall back to wire gets.
      (void)sink_->Insert(k, v);
    }
  }
  const std::string epoch_text = std::to_string(epoch_);
  ++epoch_;
  in_barrier_ = 0;
  for (size_t i = 0; i < clients_.size(); ++i) {
    Client& c = clients_[i];
    if (c.phase != Phase::kInBarrier) continue;
    c.phase = Phase::kInitialized;
    if (c.allgather) {
      c.allgather = false;
      Reply(static_cast<int>(i), "allgather_out", {{"rc", "0"}, {"epoch", epoch_text}});
    } else {
      Reply(static_cast<int>(i), "barrier_out", {{"rc", "0"}});
    }
  }
  return {};
}

Status SimpleServer::HandleDisconnect(int client) {
  GANTRY_CHECK(client >= 0 && client < static_cast<int>(clients_.size()));
  Client& c = clients_[client];
  Phase phase = std::exchange(c.phase, Phase::kClosed);
  switch (phase) {
    case Phase::kConnected:
    case Phase::kFinalized:
    case Phase::kClosed:
      return {};
    case Phase::kInBarrier:
      return Fail(Unavailable(Who(c) + " closed its PMI connection in the middle of barrier " +
                              std::to_string(epoch_)));
    case Phase::kInitialized:
      break;
  }
  return Fail(Unavailable(Who(c) + " closed its PMI connection without PMI_Finalize"));
}

}  // namespace gantry::pmi
