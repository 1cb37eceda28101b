// gantry transfers: the server's transfer queue (FTS-like): list with progress, -f follows
// until nothing is queued or active; submit, show (with every attempt's events), cancel,
// links (the optimizer's per-link limits and why).
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <thread>

#include "base/strings.h"
#include "roles/data_common.h"
#include "cli/flags.h"

namespace gantry::cli {
namespace {

using nlohmann::json;

std::string Progress(const json& t) {
  if (!t.contains("done_bytes")) return "";
  int64_t done = t["done_bytes"].get<int64_t>(), total = t["bytes"].get<int64_t>();
  std::string s = HumanBytes(done) + "/" + HumanBytes(total) + " " +
                  HumanBytes(static_cast<int64_t>(t["rate"].get<double>())) + "/s";
  if (t.contains("eta_seconds")) {
    s += " " + FormatDuration(static_cast<int64_t>(t["eta_seconds"].get<double>())) + " left";
  }
  return s;
}

void PrintTable(const json& transfers) {
  std::printf("%-6s %-9s %-34s %-22s %-8s %-34s %s\n", "ID", "STATE", "WHAT", "LINK", "ATTEMPT",
              "PROGRESS", "ERROR");
  for (const auto& t : transfers) {
    std::string what = t["did"].get<std::string>();
    if (what.empty()) what = t["source"].get<std::string>();
    std::string attempts = std::to_string(t["attempts"].get<int64_t>()) + "/" +
                           std::to_string(t["max_attempts"].get<int64_t>());
    std::printf("%-6lld %-9s %-34s %-22s %-8s %-34s %s\n",
                static_cast<long long>(t["id"].get<int64_t>()), t["state"].get<std::string>().c_str(),
                what.c_str(), t["link"].get<std::string>().c_str(), attempts.c_str(),
                Progress(t).c_str(), t["error"].get<std::string>().c_str());
  }
}

int List(int argc, char** argv) {
  bool follow = false, as_json = false, all = false;
  std::string state;
  Flags f("gantry transfers [-f] [--all | --state S[,S]] [--json]",
          "Lists the server's transfers (yours; admins see all): queued and active ones by\n"
          "default, with bytes done, rate and time left for active ones. -f refreshes every\n"
          "second until none is queued or active. Subcommands: submit, show, cancel, links.");
  f.Bool("--follow,-f", &follow, "follow until done");
  f.Bool("--all,-a", &all, "every state, newest first");
  f.String("--state", &state, "S", "queued, active, done, failed, cancelled (comma-separated)");
  f.Bool("--json", &as_json, "print JSON");
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  if (state.empty() && !all) state = "queued,active";
  auto client = Client::Connect();
  if (!client) return Report("transfers", client.error());
  bool tty = isatty(STDOUT_FILENO);
  while (true) {
    auto r = client->Call("GET", "/v1/transfers?state=" + QueryEscape(state));
    if (!r) return Report("transfers", r.error());
    const json& list = (*r)["transfers"];
    if (as_json) {
      std::printf("%s\n", list.dump(follow ? -1 : 2).c_str());
    } else {
      if (follow && tty) std::printf("\033[H\033[2J");
      PrintTable(list);
    }
    std::fflush(stdout);
    bool pending = false;
    for (const auto& t : list) {
      std::string s = t["state"].get<std::string>();
      if (s == "queued" || s == "active") pending = true;
    }
    if (!follow || !pending) return 0;
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
}

int Submit(int argc, char** argv) {
  std::vector<std::string> words;
  std::string rse;
  int64_t priority = 3;
  bool as_json = false;
  Flags f("gantry transfers submit SCOPE:NAME --rse RSE [--priority 1-5] | "
          "gantry transfers submit SRC_URL DST_URL",
          "Queues the replication of a file (or each file of a dataset or container) to an\n"
          "RSE, from an available replica; or, for admins, a copy of one URL to another.");
  f.String("--rse", &rse, "RSE", "the destination RSE");
  f.Int("--priority", &priority, "P", "1 (lowest) to 5 (highest), default 3");
  f.Bool("--json", &as_json, "print JSON");
  f.Positionals(&words, "DID | SRC DST", 1, 2);
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  json body = {{"priority", priority}};
  if (words.size() == 2) {
    body["source"] = words[0];
    body["destination"] = words[1];
  } else {
    if (rse.empty()) return Report("transfers submit", InvalidArgument("name the destination --rse"));
    body["did"] = words[0];
    body["rse"] = rse;
  }
  auto client = Client::Connect();
  if (!client) return Report("transfers submit", client.error());
  auto r = client->Call("POST", "/v1/transfers", body.dump());
  if (!r) return Report("transfers submit", r.error());
  if (as_json) {
    std::printf("%s\n", r->dump(2).c_str());
  } else {
    for (const auto& id : (*r)["transfers"]) std::printf("%lld\n", static_cast<long long>(id.get<int64_t>()));
  }
  return 0;
}

int Show(int argc, char** argv) {
  std::vector<std::string> words;
  bool as_json = false;
  Flags f("gantry transfers show ID [--json]", "One transfer with every event of every attempt.");
  f.Bool("--json", &as_json, "print JSON");
  f.Positionals(&words, "ID", 1, 1);
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  auto client = Client::Connect();
  if (!client) return Report("transfers show", client.error());
  auto r = client->Call("GET", "/v1/transfers/" + QueryEscape(words[0]));
  if (!r) return Report("transfers show", r.error());
  if (as_json) {
    std::printf("%s\n", r->dump(2).c_str());
    return 0;
  }
  PrintTable(json::array({*r}));
  std::printf("\n");
  for (const auto& e : (*r)["events"]) {
    std::printf("%3lld %s %-10s %s\n", static_cast<long long>(e["seq"].get<int64_t>()),
                FormatTime(e["time"].get<int64_t>()).c_str(), e["type"].get<std::string>().c_str(),
                e["details"].get<std::string>().c_str());
  }
  return 0;
}

int Cancel(int argc, char** argv) {
  std::vector<std::string> words;
  Flags f("gantry transfers cancel ID...", "Cancels queued or active transfers.");
  f.Positionals(&words, "ID", 1, 100000);
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  auto client = Client::Connect();
  if (!client) return Report("transfers cancel", client.error());
  for (const auto& w : words) {
    auto r = client->Call("POST", "/v1/transfers/" + QueryEscape(w) + "/cancel");
    if (!r) return Report("transfers cancel", r.error());
  }
  return 0;
}

int Links(int argc, char** argv) {
  bool as_json = false;
  Flags f("gantry transfers links [--json]",
          "Each link (source -> destination) with its concurrency limit, as the optimizer set\n"
          "it from the link's recent success rate and throughput, and why.");
  f.Bool("--json", &as_json, "print JSON");
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  auto client = Client::Connect();
  if (!client) return Report("transfers links", client.error());
  auto r = client->Call("GET", "/v1/links");
  if (!r) return Report("transfers links", r.error());
  if (as_json) {
    std::printf("%s\n", (*r)["links"].dump(2).c_str());
    return 0;
  }
  std::printf("%-30s %5s %6s %8s %12s %s\n", "LINK", "LIMIT", "ACTIVE", "SUCCESS", "RATE", "REASON");
  for (const auto& l : (*r)["links"]) {
    std::printf("%-30s %5lld %6lld %7.0f%% %10s/s %s\n", l["link"].get<std::string>().c_str(),
                static_cast<long long>(l["limit"].get<int64_t>()),
                static_cast<long long>(l["active"].get<int64_t>()),
                l["success_rate"].get<double>() * 100,
                HumanBytes(static_cast<int64_t>(l["throughput"].get<double>())).c_str(),
                l["reason"].get<std::string>().c_str());
  }
  return 0;
}

}  // namespace

int RunTransfers(int argc, char** argv) {
  if (argc > 1) {
    std::string_view sub = argv[1];
    if (sub == "submit") return Submit(argc - 1, argv + 1);
    if (sub == "show") return Show(argc - 1, argv + 1);
    if (sub == "cancel") return Cancel(argc - 1, argv + 1);
    if (sub == "links") return Links(argc - 1, argv + 1);
  }
  return List(argc, argv);
}

}  // namespace gantry::cli
