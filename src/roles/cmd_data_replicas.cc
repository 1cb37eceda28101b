// gantry data list-replicas | set-replica-state | delete-replica | usage | add-scope |
// list-scopes | set-acl: where files are, how much space they take, who may touch a scope.
#include <cstdio>

#include "roles/data_common.h"
#include "cli/flags.h"

namespace gantry::cli {
namespace {

using nlohmann::json;

int ListReplicas(int argc, char** argv) {
  std::vector<std::string> words;
  std::string state, protocol;
  bool as_json = false;
  Flags f("gantry data list-replicas SCOPE:NAME... [--state S] [--protocol P] [--json]",
          "Lists the replicas of files, or of every file of a dataset or container: for\n"
          "each file its size and adler32, and each replica's RSE, state (available,\n"
          "copying, bad) and URL (one per protocol the RSE offers). As rucio\n"
          "list-file-replicas.");
  f.String("--state", &state, "S", "only replicas in this state");
  f.String("--protocol", &protocol, "P", "only this protocol's URL (file, root, https)");
  f.Bool("--json", &as_json, "print JSON");
  f.Positionals(&words, "SCOPE:NAME", 1, 100000);
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  auto client = Client::Connect();
  if (!client) return Report("data list-replicas", client.error());
  json all = json::array();
  for (const auto& w : words) {
    auto did = catalog::ParseDid(w);
    if (!did) return Report("data list-replicas", did.error());
    auto r = client->Call("GET", DidPath(*did, "/replicas?state=" + QueryEscape(state)));
    if (!r) return Report("data list-replicas", r.error());
    for (auto& file : (*r)["files"]) all.push_back(file);
  }
  if (as_json) {
    std::printf("%s\n", all.dump(2).c_str());
    return 0;
  }
  std::printf("%-40s %12s %-9s %-16s %-9s %s\n", "SCOPE:NAME", "SIZE", "ADLER32", "RSE", "STATE",
              "URL");
  for (const auto& file : all) {
    std::string did = file["did"].get<std::string>();
    std::string size = HumanBytes(file["bytes"].get<int64_t>());
    std::string adler = file.value("adler32", "");
    if (file["replicas"].empty()) {
      std::printf("%-40s %12s %-9s %-16s %-9s %s\n", did.c_str(), size.c_str(), adler.c_str(),
                  "-", "-", "(no replica)");
    }
    for (const auto& r : file["replicas"]) {
      std::string url;
      for (const auto& [scheme, pfn] : r["pfns"].items()) {
        if (!protocol.empty() && scheme != protocol) continue;
        url += (url.empty() ? "" : " ") + pfn.get<std::string>();
      }
      std::printf("%-40s %12s %-9s %-16s %-9s %s\n", did.c_str(), size.c_str(), adler.c_str(),
                  r["rse"].get<std::string>().c_str(), r["state"].get<std::string>().c_str(),
                  url.c_str());
    }
  }
  return 0;
}

int SetReplicaState(int argc, char** argv) {
  std::vector<std::string> words;
  Flags f("gantry data set-replica-state RSE SCOPE:NAME STATE",
          "Marks a replica available, copying or bad (a bad one is repaired by its rules).");
  f.Positionals(&words, "RSE SCOPE:NAME STATE", 3, 3);
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  auto client = Client::Connect();
  if (!client) return Report("data set-replica-state", client.error());
  auto r = client->Call("POST", "/v1/replicas/state",
                        json{{"rse", words[0]}, {"did", words[1]}, {"state", words[2]}}.dump());
  if (!r) return Report("data set-replica-state", r.error());
  return 0;
}

int DeleteReplica(int argc, char** argv) {
  std::vector<std::string> words;
  Flags f("gantry data delete-replica RSE SCOPE:NAME",
          "Removes a replica's record from the catalog (the file on the storage stays).");
  f.Positionals(&words, "RSE SCOPE:NAME", 2, 2);
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  auto client = Client::Connect();
  if (!client) return Report("data delete-replica", client.error());
  auto r = client->Call("POST", "/v1/replicas/delete",
                        json{{"rse", words[0]}, {"did", words[1]}}.dump());
  if (!r) return Report("data delete-replica", r.error());
  return 0;
}

int Usage(int argc, char** argv) {
  std::string by = "rse";
  bool as_json = false;
  Flags f("gantry data usage [--by rse|user|vo] [--json]",
          "Storage used by available replicas: per RSE, per user and RSE, or per VO and RSE.\n"
          "Non-admins see their own user's and VO's rows.");
  f.String("--by", &by, "K", "rse (default), user or vo");
  f.Bool("--json", &as_json, "print JSON");
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  auto client = Client::Connect();
  if (!client) return Report("data usage", client.error());
  auto r = client->Call("GET", "/v1/usage?by=" + QueryEscape(by));
  if (!r) return Report("data usage", r.error());
  if (as_json) {
    std::printf("%s\n", (*r)["usage"].dump(2).c_str());
    return 0;
  }
  if (by != "rse") std::printf("%-30s ", by == "user" ? "USER" : "VO");
  std::printf("%-20s %10s %14s %16s\n", "RSE", "FILES", "SIZE", "BYTES");
  for (const auto& row : (*r)["usage"]) {
    if (by != "rse") std::printf("%-30s ", row.value("account", "").c_str());
    std::printf("%-20s %10lld %14s %16lld\n", row["rse"].get<std::string>().c_str(),
                static_cast<long long>(row["files"].get<int64_t>()),
                HumanBytes(row["bytes"].get<int64_t>()).c_str(),
                static_cast<long long>(row["bytes"].get<int64_t>()));
  }
  return 0;
}

int AddScope(int argc, char** argv) {
  std::vector<std::string> words;
  std::string vo;
  Flags f("gantry data add-scope SCOPE [--vo VO]",
          "Makes a scope owned by you, in your VO (or --vo, for admins). A scope is also\n"
          "made by the first DID written into it.");
  f.String("--vo", &vo, "VO", "the scope's VO");
  f.Positionals(&words, "SCOPE", 1, 1);
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  auto client = Client::Connect();
  if (!client) return Report("data add-scope", client.error());
  auto r = client->Call("POST", "/v1/scopes", json{{"scope", words[0]}, {"vo", vo}}.dump());
  if (!r) return Report("data add-scope", r.error());
  std::printf("scope %s: owner %s, VO %s\n", words[0].c_str(),
              (*r)["owner"].get<std::string>().c_str(),
              (*r)["vo"].get<std::string>().empty() ? "none" : (*r)["vo"].get<std::string>().c_str());
  return 0;
}

int ListScopes(int argc, char** argv) {
  bool as_json = false;
  Flags f("gantry data list-scopes [--json]", "Lists scopes with their owner, VO and ACL.");
  f.Bool("--json", &as_json, "print JSON");
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  auto client = Client::Connect();
  if (!client) return Report("data list-scopes", client.error());
  auto r = client->Call("GET", "/v1/scopes");
  if (!r) return Report("data list-scopes", r.error());
  if (as_json) {
    std::printf("%s\n", (*r)["scopes"].dump(2).c_str());
    return 0;
  }
  std::printf("%-24s %-30s %-10s %s\n", "SCOPE", "OWNER", "VO", "ACL");
  for (const auto& s : (*r)["scopes"]) {
    std::string acl;
    for (const auto& e : s["acl"]) {
      acl += (acl.empty() ? "" : " ") + e["principal"].get<std::string>() + ":" +
             e["right"].get<std::string>();
    }
    std::printf("%-24s %-30s %-10s %s\n", s["scope"].get<std::string>().c_str(),
                s["owner"].get<std::string>().c_str(),
                s["vo"].get<std::string>().empty() ? "-" : s["vo"].get<std::string>().c_str(),
                acl.empty() ? "-" : acl.c_str());
  }
  return 0;
}

int SetAcl(int argc, char** argv) {
  std::vector<std::string> words;
  bool revoke = false;
  Flags f("gantry data set-acl SCOPE PRINCIPAL read|write [--revoke]",
          "Grants (or with --revoke takes back) a right on a scope. PRINCIPAL is vo:NAME,\n"
          "group:/VO/GROUP, role:/VO/Role=ROLE, user:SUBJECT@ISSUER or any. Without\n"
          "grants, the owner writes and the scope's VO reads. Owner or admins only.");
  f.Bool("--revoke", &revoke, "take the right back");
  f.Positionals(&words, "SCOPE PRINCIPAL RIGHT", 3, 3);
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  auto client = Client::Connect();
  if (!client) return Report("data set-acl", client.error());
  auto r = client->Call("POST", "/v1/scopes/" + QueryEscape(words[0]) + "/acl",
                        json{{"principal", words[1]}, {"right", words[2]},
                             {"granted", !revoke}}.dump());
  if (!r) return Report("data set-acl", r.error());
  return 0;
}

}  // namespace

std::vector<DataCommand> ReplicaCommands() {
  return {
      {"list-replicas", "replicas of files, datasets or containers (RSE, state, URL)",
       ListReplicas},
      {"set-replica-state", "mark a replica available, copying or bad", SetReplicaState},
      {"delete-replica", "remove a replica's record", DeleteReplica},
      {"usage", "storage used per RSE, user or VO", Usage},
      {"add-scope", "make a scope", AddScope},
      {"list-scopes", "scopes with owners, VOs and ACLs", ListScopes},
      {"set-acl", "grant or revoke read/write on a scope to a VO, group, role or user", SetAcl},
  };
}

}  // namespace gantry::cli
