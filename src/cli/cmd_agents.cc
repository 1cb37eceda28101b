// gantry agents: list agents (as sinfo / scontrol show node), drain and resume them.
// Needs the policy's steer-agents (or admin) rule; root and the server's own user have it.
#include <cstdio>
#include <ctime>
#include <string_view>

#include "base/strings.h"
#include "cli/flags.h"
#include "cli/jobs.h"

namespace gantry::cli {
namespace {

std::string LastSeen(int64_t micros) {
  if (micros == 0) return "never";
  int64_t ago = static_cast<int64_t>(std::time(nullptr)) - micros / 1'000'000;
  return FormatDuration(ago < 0 ? 0 : ago) + " ago";
}

int List(int argc, char** argv) {
  bool as_json = false;
  Flags f("gantry agents [--json] | gantry agents drain NAME [--reason R] | "
          "gantry agents resume NAME",
          "Lists the agents the server knows: name, instance, host, free/total CPUs and\n"
          "memory, state (idle, mixed, allocated, draining, drained, lost) and when each was\n"
          "last heard from. 'drain' lets an agent finish what it runs and gives it no new work\n"
          "(until 'resume'; a drain survives a server restart). Needs an 'admin' or\n"
          "'steer-agents' rule of the policy (docs/security.md).");
  f.Bool("--json", &as_json, "print JSON");
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  auto client = Client::Connect();
  if (!client) return Report("agents", client.error());
  auto r = client->Call("GET", "/v1/agents");
  if (!r) return Report("agents", r.error());
  if (as_json) {
    std::printf("%s\n", (*r)["agents"].dump(2).c_str());
    return 0;
  }
  std::printf("%-16s %-18s %-20s %9s %13s %-9s %-12s %s\n", "NAME", "INSTANCE", "HOST", "CPUS(F/T)",
              "MEM_MB(F/T)", "STATE", "LAST_SEEN", "REASON");
  for (const auto& a : (*r)["agents"]) {
    std::string cpus = std::to_string(a["free_cpus"].get<int64_t>()) + "/" +
                       std::to_string(a["total_cpus"].get<int64_t>());
    std::string memory = std::to_string(a["free_memory_mb"].get<int64_t>()) + "/" +
                         std::to_string(a["total_memory_mb"].get<int64_t>());
    std::string reason = a["drain_reason"].get<std::string>();
    if (!reason.empty()) reason += " (" + a["drained_by"].get<std::string>() + ")";
    std::printf("%-16s %-18lld %-20s %9s %13s %-9s %-12s %s\n",
                a["name"].get<std::string>().c_str(),
                static_cast<long long>(a["instance"].get<int64_t>()),
                a["hostname"].get<std::string>().c_str(), cpus.c_str(), memory.c_str(),
                a["state"].get<std::string>().c_str(),
                LastSeen(a["last_seen"].get<int64_t>()).c_str(), reason.c_str());
  }
  return 0;
}

int Steer(std::string_view verb, int argc, char** argv) {
  std::vector<std::string> names;
  std::string reason;
  bool drain = verb == "drain";
  Flags f(drain ? "gantry agents drain [--reason R] NAME" : "gantry agents resume NAME",
          drain ? "Drains an agent: it finishes the work it runs and is given no new work."
                : "Resumes a drained agent: it is given work again.");
  if (drain) f.String("--reason", &reason, "R", "why (shown by 'gantry agents')");
  f.Positionals(&names, "NAME", 1, 1);
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  auto client = Client::Connect();
  std::string command = "agents " + std::string(verb);
  if (!client) return Report(command, client.error());
  nlohmann::json body = nlohmann::json::object();
  if (!reason.empty()) body["reason"] = reason;
  auto r = client->Call("POST", "/v1/agents/" + QueryEscape(names[0]) + "/" + std::string(verb),
                        body.dump());
  if (!r) return Report(command, r.error());
  std::printf("agent %s: %s\n", names[0].c_str(), (*r)["state"].get<std::string>().c_str());
  return 0;
}

}  // namespace

int RunAgents(int argc, char** argv) {
  if (argc > 1 && (std::string_view(argv[1]) == "drain" || std::string_view(argv[1]) == "resume")) {
    return Steer(argv[1], argc - 1, argv + 1);
  }
  return List(argc, argv);
}

}  // namespace gantry::cli
