// gantry data add-rule | list-rules: replication rules, as rucio add-rule / list-rules.
#include <cstdio>

#include "base/strings.h"
#include "roles/data_common.h"
#include "cli/flags.h"

namespace gantry::cli {
namespace {

using nlohmann::json;

// "30d", "12h", "90m", "45s" or plain seconds.
Result<int64_t> ParseLifetime(const std::string& text) {
  if (text.empty()) return 0;
  int64_t unit = 1;
  std::string digits = text;
  switch (text.back()) {
    case 'd': unit = 86400; digits.pop_back(); break;
    case 'h': unit = 3600; digits.pop_back(); break;
    case 'm': unit = 60; digits.pop_back(); break;
    case 's': digits.pop_back(); break;
    default: break;
  }
  auto n = ParseInt(digits);
  if (!n || *n < 0) {
    return Fail(InvalidArgument("--lifetime '" + text + "': write it as 30d, 12h, 90m or seconds"));
  }
  return *n * unit;
}

int AddRule(int argc, char** argv) {
  std::vector<std::string> words;
  std::string lifetime;
  bool as_json = false;
  Flags f("gantry data add-rule SCOPE:NAME COPIES RSE_EXPRESSION [--lifetime D]",
          "Asks for COPIES copies of every file of a DID on RSEs the expression selects\n"
          "(e.g. 'tier=2\\site=T2_EE'), for D (30d, 12h, 90m; default: for ever). The server\n"
          "queues the transfers, follows them, and repairs a copy that goes bad.");
  f.String("--lifetime", &lifetime, "D", "how long the rule holds");
  f.Bool("--json", &as_json, "print JSON");
  f.Positionals(&words, "DID COPIES EXPRESSION", 3, 3);
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  auto copies = ParseInt(words[1]);
  if (!copies || *copies < 1) {
    return Report("data add-rule", InvalidArgument("COPIES '" + words[1] + "' is not a number >= 1"));
  }
  auto seconds = ParseLifetime(lifetime);
  if (!seconds) return Report("data add-rule", seconds.error());
  auto client = Client::Connect();
  if (!client) return Report("data add-rule", client.error());
  auto r = client->Call("POST", "/v1/rules",
                        json{{"did", words[0]}, {"copies", *copies}, {"rse_expression", words[2]},
                             {"lifetime", *seconds}}.dump());
  if (!r) return Report("data add-rule", r.error());
  if (as_json) {
    std::printf("%s\n", r->dump(2).c_str());
  } else {
    std::printf("%lld\n", static_cast<long long>((*r)["id"].get<int64_t>()));
  }
  return 0;
}

int ListRules(int argc, char** argv) {
  bool as_json = false;
  Flags f("gantry data list-rules [--json]",
          "Replication rules: DID, copies, RSE expression, state (replicating, ok, stuck,\n"
          "expired) and why.");
  f.Bool("--json", &as_json, "print JSON");
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  auto client = Client::Connect();
  if (!client) return Report("data list-rules", client.error());
  auto r = client->Call("GET", "/v1/rules");
  if (!r) return Report("data list-rules", r.error());
  if (as_json) {
    std::printf("%s\n", (*r)["rules"].dump(2).c_str());
    return 0;
  }
  std::printf("%-5s %-30s %6s %-24s %-12s %s\n", "ID", "DID", "COPIES", "RSE_EXPRESSION", "STATE",
              "REASON");
  for (const auto& rule : (*r)["rules"]) {
    std::printf("%-5lld %-30s %6lld %-24s %-12s %s\n",
                static_cast<long long>(rule["id"].get<int64_t>()),
                rule["did"].get<std::string>().c_str(),
                static_cast<long long>(rule["copies"].get<int64_t>()),
                rule["rse_expression"].get<std::string>().c_str(),
                rule["state"].get<std::string>().c_str(), rule["reason"].get<std::string>().c_str());
  }
  return 0;
}

int Verify(int argc, char** argv) {
  std::vector<std::string> words;
  std::string rse;
  bool as_json = false;
  Flags f("gantry data verify SCOPE:NAME... [--rse RSE] [--json]",
          "Re-checksums (adler32) the replicas of every file of the DIDs at their storage, as\n"
          "the server reaches it, and marks bad those whose bytes differ from the catalog (or\n"
          "are gone); their rules then repair them. Exits 1 if any is bad.");
  f.String("--rse", &rse, "RSE", "only replicas on this RSE");
  f.Bool("--json", &as_json, "print JSON");
  f.Positionals(&words, "SCOPE:NAME", 1, 100000);
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  auto client = Client::Connect();
  if (!client) return Report("data verify", client.error());
  json all = json::array();
  for (const auto& w : words) {
    auto r = client->Call("POST", "/v1/replicas/verify", json{{"did", w}, {"rse", rse}}.dump());
    if (!r) return Report("data verify", r.error());
    for (auto& v : (*r)["replicas"]) all.push_back(v);
  }
  int bad = 0;
  if (as_json) std::printf("%s\n", all.dump(2).c_str());
  for (const auto& v : all) {
    if (v["state"] == "bad") ++bad;
    if (!as_json) {
      std::printf("%-40s %-16s %-12s %s\n", v["did"].get<std::string>().c_str(),
                  v["rse"].get<std::string>().c_str(), v["state"].get<std::string>().c_str(),
                  v["detail"].get<std::string>().c_str());
    }
  }
  return bad > 0 ? 1 : 0;
}

}  // namespace

std::vector<DataCommand> RuleCommands() {
  return {
      {"add-rule", "N copies of a DID on RSEs matching an expression, for a lifetime", AddRule},
      {"list-rules", "replication rules and their state", ListRules},
      {"verify", "re-checksum replicas at their storage; mark bad ones", Verify},
  };
}

}  // namespace gantry::cli
