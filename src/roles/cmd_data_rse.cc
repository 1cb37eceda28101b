// gantry data add-rse | set-rse | list-rses: storage endpoints.
#include <cstdio>

#include "catalog/catalog.h"
#include "roles/data_common.h"
#include "cli/flags.h"

namespace gantry::cli {
namespace {

using nlohmann::json;

int AddRse(int argc, char** argv) {
  std::vector<std::string> names, attrs, prefixes;
  std::string site;
  Flags f("gantry data add-rse NAME --prefix URL... [--site S] [--attr k=v]...",
          "Adds a storage endpoint (an RSE, as Rucio calls it). NAME is upper case\n"
          "(T2_EE_DISK); each --prefix is where its files live for one protocol:\n"
          "file:///data/rse, root://host:1094//data/rse, https://host:8443/data. A file\n"
          "scope:name is at PREFIX/scope/name. Attributes select RSEs in expressions\n"
          "(site=T2_EE|tier=1). Admins only.");
  f.String("--site", &site, "S", "the site it belongs to (default: NAME)");
  f.Strings("--attr", &attrs, "k=v", "an attribute (repeatable)");
  f.Strings("--prefix", &prefixes, "URL", "a URL prefix, one per protocol (repeatable)");
  f.Positionals(&names, "NAME", 1, 1);
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  auto attributes = KeyValues(attrs, "--attr");
  if (!attributes) return Report("data add-rse", attributes.error());
  json body = {{"name", names[0]}, {"site", site.empty() ? names[0] : site},
               {"attributes", *attributes}, {"protocols", prefixes}};
  auto client = Client::Connect();
  if (!client) return Report("data add-rse", client.error());
  auto r = client->Call("POST", "/v1/rses", body.dump());
  if (!r) return Report("data add-rse", r.error());
  std::printf("added RSE %s\n", names[0].c_str());
  return 0;
}

int SetRse(int argc, char** argv) {
  std::vector<std::string> names, attrs, prefixes;
  Flags f("gantry data set-rse NAME [--attr k=v]... [--prefix URL]...",
          "Changes an RSE: sets attributes (k= removes one; site=S moves it) and adds or\n"
          "replaces the URL prefix of a protocol. Admins only.");
  f.Strings("--attr", &attrs, "k=v", "an attribute (repeatable)");
  f.Strings("--prefix", &prefixes, "URL", "a URL prefix (repeatable)");
  f.Positionals(&names, "NAME", 1, 1);
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  auto attributes = KeyValues(attrs, "--attr");
  if (!attributes) return Report("data set-rse", attributes.error());
  auto client = Client::Connect();
  if (!client) return Report("data set-rse", client.error());
  std::string base = "/v1/rses/" + QueryEscape(names[0]);
  for (const auto& [k, v] : *attributes) {
    auto r = client->Call("POST", base + "/attributes", json{{"key", k}, {"value", v}}.dump());
    if (!r) return Report("data set-rse", r.error());
  }
  for (const auto& p : prefixes) {
    auto r = client->Call("POST", base + "/protocols", json{{"prefix", p}}.dump());
    if (!r) return Report("data set-rse", r.error());
  }
  return 0;
}

int ListRses(int argc, char** argv) {
  std::string expression;
  bool as_json = false;
  std::vector<std::string> positional;
  Flags f("gantry data list-rses [--rses EXPR] [--json]",
          "Lists the RSEs, or those an RSE expression selects: names, key=value and\n"
          "key<N / key>N attributes, '*', and | (union), & (intersection), \\ (difference)\n"
          "with parentheses; & binds tighter. Example: --rses 'site=T2_EE|tier=1'.");
  f.String("--rses,--expression", &expression, "EXPR", "an RSE expression");
  f.Bool("--json", &as_json, "print JSON");
  f.Positionals(&positional, "EXPR", 0, 1);
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  if (!positional.empty()) expression = positional[0];
  auto client = Client::Connect();
  if (!client) return Report("data list-rses", client.error());
  auto r = client->Call("GET", "/v1/rses?expression=" + QueryEscape(expression));
  if (!r) return Report("data list-rses", r.error());
  if (as_json) {
    std::printf("%s\n", (*r)["rses"].dump(2).c_str());
    return 0;
  }
  std::printf("%-20s %-12s %-30s %s\n", "RSE", "SITE", "ATTRIBUTES", "PREFIXES");
  for (const auto& rse : (*r)["rses"]) {
    std::string attrs, prefixes;
    for (const auto& [k, v] : rse["attributes"].items()) {
      if (k == "site") continue;
      attrs += (attrs.empty() ? "" : ",") + k + "=" + v.get<std::string>();
    }
    for (const auto& [k, v] : rse["protocols"].items()) {
      prefixes += (prefixes.empty() ? "" : " ") + v.get<std::string>();
    }
    std::printf("%-20s %-12s %-30s %s\n", rse["name"].get<std::string>().c_str(),
                rse["site"].get<std::string>().c_str(), attrs.empty() ? "-" : attrs.c_str(),
                prefixes.c_str());
  }
  return 0;
}

}  // namespace

std::vector<DataCommand> RseCommands() {
  return {
      {"add-rse", "add a storage endpoint (admins)", AddRse},
      {"set-rse", "change an RSE's attributes or URL prefixes (admins)", SetRse},
      {"list-rses", "list RSEs, or those an RSE expression selects", ListRses},
  };
}

}  // namespace gantry::cli
