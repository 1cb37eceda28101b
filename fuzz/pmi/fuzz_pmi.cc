// libFuzzer target for the PMI-1 wire (src/pmi/wire.h) and the engine that answers it
// (src/pmi/simple_server.h): the lines MPI ranks, programs Gantry does not control, send
// the launcher. Each input line goes to one of three clients, picked by its first byte;
// some clients arrive with their rank known, one as a PMI_PORT client that names itself.
// Anything may be refused; nothing may crash, hang or leak, and every reply the engine
// sends must itself parse as a wire line.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "pmi/simple_server.h"
#include "pmi/wire.h"

namespace pmi = gantry::pmi;

namespace {

class Host : public pmi::SimpleServerHost {
 public:
  void Send(int /*client*/, std::string_view line) override {
    if (line.size() < 2 || line.back() != '\n') std::abort();
    if (!pmi::ParseLine(line.substr(0, line.size() - 1))) std::abort();
  }
  void OnLocalBarrier(uint64_t epoch, std::vector<pmi::KeyValue> puts) override {
    barriers.emplace_back(epoch, std::move(puts));
  }
  void OnAbort(int, int) override {}

  std::vector<std::pair<uint64_t, std::vector<pmi::KeyValue>>> barriers;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  pmi::SimpleServerConfig config;
  config.kvsname = "kvs_1";
  config.size = 3;
  config.universe_size = 3;
  config.local_clients = 3;
  config.preput = {{"PMI_process_mapping", "(vector,(0,1,3))"}};
  Host host;
  pmi::SimpleServer server(config, host);
  int clients[3] = {server.AddClient(0), server.AddClient(1), server.AddClient(std::nullopt)};
  bool dropped[3] = {false, false, false};
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (line.empty()) continue;
    // The wire parser on its own: a line it accepts must format and parse back the same.
    if (auto m = pmi::ParseLine(line)) {
      std::vector<std::pair<std::string_view, std::string_view>> fields(m->fields.begin(),
                                                                        m->fields.end());
      std::string again = pmi::FormatLine(m->cmd, fields);
      auto reparsed = pmi::ParseLine(std::string_view(again).substr(0, again.size() - 1));
      bool has_cmd = line.starts_with("cmd=") || line.starts_with("mcmd=");
      if (has_cmd && (!reparsed || reparsed->cmd != m->cmd)) std::abort();
    }
    int who = static_cast<uint8_t>(line[0]) % 3;
    if (dropped[who]) continue;
    if (!server.HandleLine(clients[who], line.substr(1))) {
      (void)server.HandleDisconnect(clients[who]);
      dropped[who] = true;
    }
    // The host finishes every barrier the engine asks for, with the node's own puts.
    while (!host.barriers.empty()) {
      auto [epoch, puts] = std::move(host.barriers.front());
      host.barriers.erase(host.barriers.begin());
      (void)server.CompleteBarrier(epoch, puts);
    }
  }
  for (int i = 0; i < 3; ++i) {
    if (!dropped[i]) (void)server.HandleDisconnect(clients[i]);
  }
  return 0;
}
