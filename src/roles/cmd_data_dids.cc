// gantry data add-file | add-dataset | add-container | attach | detach | list-dids |
// list-content | get-metadata | set-metadata | erase: data identifiers.
#include <cstdio>

#include "catalog/checksum.h"
#include "roles/data_common.h"
#include "cli/flags.h"

namespace gantry::cli {
namespace {

using nlohmann::json;

Result<catalog::Did> ParseDidArg(const std::string& text) { return catalog::ParseDid(text); }

int AddFile(int argc, char** argv) {
  std::vector<std::string> dids, meta;
  std::string file, adler32, md5, rse, path, dataset;
  int64_t bytes = -1;
  bool with_md5 = false;
  Flags f("gantry data add-file SCOPE:NAME (--file PATH | --bytes N --adler32 X) "
          "[--rse RSE [--path P]] [--dataset SCOPE:NAME] [--meta k=v]...",
          "Registers a file: its size and adler32 (read from --file, or given), metadata, and,\n"
          "with --rse, a replica on that RSE (at PREFIX/scope/name unless --path says where).\n"
          "For a file the catalog already has, --rse adds a replica (size and checksum must\n"
          "agree). --dataset attaches it. A name is never reused, even after erase.");
  f.String("--file", &file, "PATH", "compute size and adler32 from this local file");
  f.Int("--bytes", &bytes, "N", "the size");
  f.String("--adler32", &adler32, "X", "the adler32, 8 hex digits");
  f.String("--md5", &md5, "X", "the md5 (32 hex digits)");
  f.Bool("--with-md5", &with_md5, "with --file, compute the md5 too");
  f.String("--rse", &rse, "RSE", "register a replica on this RSE");
  f.String("--path", &path, "P", "the replica's path under the RSE's prefixes");
  f.String("--dataset", &dataset, "SCOPE:NAME", "attach the file to this dataset");
  f.Strings("--meta", &meta, "k=v", "a metadata key-value (repeatable)");
  f.Positionals(&dids, "SCOPE:NAME", 1, 1);
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  const char* cmd = "data add-file";
  auto did = ParseDidArg(dids[0]);
  if (!did) return Report(cmd, did.error());
  if (!file.empty()) {
    auto sum = catalog::ChecksumFile(file, with_md5 ? catalog::WithMd5::kYes
                                                    : catalog::WithMd5::kNo);
    if (!sum) return Report(cmd, sum.error());
    if (bytes >= 0 && bytes != sum->bytes) {
      return Report(cmd, InvalidArgument("--bytes " + std::to_string(bytes) + " but " + file +
                                         " has " + std::to_string(sum->bytes)));
    }
    bytes = sum->bytes;
    if (!adler32.empty() && adler32 != sum->adler32) {
      return Report(cmd, InvalidArgument("--adler32 " + adler32 + " but " + file + " has " +
                                         sum->adler32));
    }
    adler32 = sum->adler32;
    if (md5.empty()) md5 = sum->md5;
  }
  if (bytes < 0 || adler32.empty()) {
    return Report(cmd, InvalidArgument("give --file PATH, or --bytes and --adler32"));
  }
  auto kv = KeyValues(meta, "--meta");
  if (!kv) return Report(cmd, kv.error());
  json entry = {{"scope", did->scope}, {"name", did->name}, {"type", "file"}, {"bytes", bytes},
                {"adler32", adler32}, {"meta", *kv}};
  if (!md5.empty()) entry["md5"] = md5;
  auto client = Client::Connect();
  if (!client) return Report(cmd, client.error());
  Result<json> r;
  if (rse.empty()) {
    r = client->Call("POST", "/v1/dids", entry.dump());
  } else {
    if (!path.empty()) entry["path"] = path;
    r = client->Call("POST", "/v1/replicas",
                     json{{"rse", rse}, {"files", json::array({entry})}}.dump());
  }
  if (!r) return Report(cmd, r.error());
  if (!dataset.empty()) {
    auto ds = ParseDidArg(dataset);
    if (!ds) return Report(cmd, ds.error());
    auto a = client->Call("POST", DidPath(*ds, "/attach"),
                          json{{"dids", {did->ToString()}}}.dump());
    if (!a) return Report(cmd, a.error());
  }
  std::printf("%s  %lld bytes  adler32 %s%s\n", did->ToString().c_str(),
              static_cast<long long>(bytes), adler32.c_str(),
              rse.empty() ? "" : ("  on " + rse).c_str());
  return 0;
}

int AddCollection(const char* type, int argc, char** argv) {
  std::vector<std::string> dids, meta;
  std::string usage = std::string("gantry data add-") + type + " SCOPE:NAME [--meta k=v]...";
  Flags f(usage, std::string("Adds an empty ") + type +
                     (std::string_view(type) == "dataset"
                          ? " (it holds files: gantry data attach)."
                          : " (it holds datasets and containers: gantry data attach)."));
  f.Strings("--meta", &meta, "k=v", "a metadata key-value (repeatable)");
  f.Positionals(&dids, "SCOPE:NAME", 1, 1);
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  std::string cmd = std::string("data add-") + type;
  auto did = ParseDidArg(dids[0]);
  if (!did) return Report(cmd, did.error());
  auto kv = KeyValues(meta, "--meta");
  if (!kv) return Report(cmd, kv.error());
  auto client = Client::Connect();
  if (!client) return Report(cmd, client.error());
  auto r = client->Call("POST", "/v1/dids",
                        json{{"scope", did->scope}, {"name", did->name}, {"type", type},
                             {"meta", *kv}}.dump());
  if (!r) return Report(cmd, r.error());
  std::printf("added %s %s\n", type, did->ToString().c_str());
  return 0;
}

int AddDataset(int argc, char** argv) { return AddCollection("dataset", argc, argv); }
int AddContainer(int argc, char** argv) { return AddCollection("container", argc, argv); }

int AttachOrDetach(bool attach, int argc, char** argv) {
  std::vector<std::string> words;
  std::string verb = attach ? "attach" : "detach";
  Flags f("gantry data " + verb + " PARENT CHILD...",
          attach ? "Attaches DIDs to a dataset (files) or a container (datasets, containers)."
                 : "Detaches DIDs from a dataset or container.");
  f.Positionals(&words, "DID", 2, 100000);
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  std::string cmd = "data " + verb;
  auto parent = ParseDidArg(words[0]);
  if (!parent) return Report(cmd, parent.error());
  json children = json::array();
  for (size_t i = 1; i < words.size(); ++i) {
    auto c = ParseDidArg(words[i]);
    if (!c) return Report(cmd, c.error());
    children.push_back(c->ToString());
  }
  auto client = Client::Connect();
  if (!client) return Report(cmd, client.error());
  auto r = client->Call("POST", DidPath(*parent, "/" + verb), json{{"dids", children}}.dump());
  if (!r) return Report(cmd, r.error());
  return 0;
}

int Attach(int argc, char** argv) { return AttachOrDetach(true, argc, argv); }
int Detach(int argc, char** argv) { return AttachOrDetach(false, argc, argv); }

void PrintDids(const json& dids) {
  std::printf("%-50s %-10s %14s\n", "SCOPE:NAME", "TYPE", "SIZE");
  for (const auto& d : dids) {
    std::printf("%-50s %-10s %14s\n", d["did"].get<std::string>().c_str(),
                d["type"].get<std::string>().c_str(),
                HumanBytes(d["bytes"].get<int64_t>()).c_str());
  }
}

int ListDids(int argc, char** argv) {
  std::vector<std::string> words;
  std::string type = "all", filter;
  bool as_json = false;
  Flags f("gantry data list-dids SCOPE[:PATTERN] [--type T] [--filter F] [--json]",
          "Lists the DIDs of a scope whose name matches PATTERN ('*' wildcards) and whose\n"
          "metadata pass --filter: comma-separated key=value, key!=value, key>N, key<N,\n"
          "key>=N, key<=N, all of which must hold (type= and name= test the DID itself).\n"
          "Example: gantry data list-dids 'cms:run*' --filter 'events>1000,datatype=AOD'.");
  f.String("--type", &type, "T", "file, dataset, container or all (default)");
  f.String("--filter", &filter, "F", "metadata conditions");
  f.Bool("--json", &as_json, "print JSON");
  f.Positionals(&words, "SCOPE[:PATTERN]", 1, 1);
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  std::string scope = words[0], pattern = "*";
  if (size_t colon = scope.find(':'); colon != std::string::npos) {
    pattern = scope.substr(colon + 1);
    scope = scope.substr(0, colon);
  }
  auto client = Client::Connect();
  if (!client) return Report("data list-dids", client.error());
  auto r = client->Call("GET", "/v1/dids/" + QueryEscape(scope) + "?name=" + QueryEscape(pattern) +
                                   "&type=" + QueryEscape(type) + "&filter=" + QueryEscape(filter));
  if (!r) return Report("data list-dids", r.error());
  if (as_json) {
    std::printf("%s\n", (*r)["dids"].dump(2).c_str());
    return 0;
  }
  PrintDids((*r)["dids"]);
  return 0;
}

int ListContent(int argc, char** argv) {
  std::vector<std::string> words;
  bool as_json = false;
  Flags f("gantry data list-content SCOPE:NAME [--json]",
          "Lists what a dataset or container holds (one level).");
  f.Bool("--json", &as_json, "print JSON");
  f.Positionals(&words, "SCOPE:NAME", 1, 1);
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  auto did = ParseDidArg(words[0]);
  if (!did) return Report("data list-content", did.error());
  auto client = Client::Connect();
  if (!client) return Report("data list-content", client.error());
  auto r = client->Call("GET", DidPath(*did, "/content"));
  if (!r) return Report("data list-content", r.error());
  if (as_json) {
    std::printf("%s\n", (*r)["dids"].dump(2).c_str());
    return 0;
  }
  PrintDids((*r)["dids"]);
  return 0;
}

int GetMetadata(int argc, char** argv) {
  std::vector<std::string> words;
  bool as_json = false;
  Flags f("gantry data get-metadata SCOPE:NAME [--json]",
          "Shows a DID: type, owner, VO, size, checksums and its metadata.");
  f.Bool("--json", &as_json, "print JSON");
  f.Positionals(&words, "SCOPE:NAME", 1, 1);
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  auto did = ParseDidArg(words[0]);
  if (!did) return Report("data get-metadata", did.error());
  auto client = Client::Connect();
  if (!client) return Report("data get-metadata", client.error());
  auto r = client->Call("GET", DidPath(*did));
  if (!r) return Report("data get-metadata", r.error());
  if (as_json) {
    std::printf("%s\n", r->dump(2).c_str());
    return 0;
  }
  for (const char* k : {"did", "type", "owner", "vo", "bytes", "adler32", "md5"}) {
    if (!r->contains(k)) continue;
    const json& v = (*r)[k];
    std::printf("%-10s %s\n", (std::string(k) + ":").c_str(),
                v.is_string() ? v.get<std::string>().c_str() : v.dump().c_str());
  }
  for (const auto& [k, v] : (*r)["meta"].items()) {
    std::printf("%-10s %s\n", (k + ":").c_str(), v.get<std::string>().c_str());
  }
  return 0;
}

int SetMetadata(int argc, char** argv) {
  std::vector<std::string> words;
  Flags f("gantry data set-metadata SCOPE:NAME KEY=VALUE...",
          "Sets metadata key-values on a DID (KEY= removes one); list-dids --filter finds them.");
  f.Positionals(&words, "SCOPE:NAME KEY=VALUE", 2, 1000);
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  auto did = ParseDidArg(words[0]);
  if (!did) return Report("data set-metadata", did.error());
  auto kv = KeyValues({words.begin() + 1, words.end()}, "set-metadata");
  if (!kv) return Report("data set-metadata", kv.error());
  auto client = Client::Connect();
  if (!client) return Report("data set-metadata", client.error());
  for (const auto& [k, v] : *kv) {
    auto r = client->Call("POST", DidPath(*did, "/meta"), json{{"key", k}, {"value", v}}.dump());
    if (!r) return Report("data set-metadata", r.error());
  }
  return 0;
}

// `meta DID` shows, `meta DID k=v...` sets.
int Meta(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view w = argv[i];
    if (!w.starts_with("-") && w.find('=') != std::string_view::npos) {
      return SetMetadata(argc, argv);
    }
  }
  return GetMetadata(argc, argv);
}

int Erase(int argc, char** argv) {
  std::vector<std::string> words;
  Flags f("gantry data erase SCOPE:NAME...",
          "Erases DIDs from the catalog: their replicas' records and attachments go; the\n"
          "names stay taken and are never given to a new DID.");
  f.Positionals(&words, "SCOPE:NAME", 1, 100000);
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  auto client = Client::Connect();
  if (!client) return Report("data erase", client.error());
  for (const auto& w : words) {
    auto did = ParseDidArg(w);
    if (!did) return Report("data erase", did.error());
    auto r = client->Call("DELETE", DidPath(*did));
    if (!r) return Report("data erase", r.error());
  }
  return 0;
}

}  // namespace

std::vector<DataCommand> DidCommands() {
  return {
      {"add-file", "register a file (size, adler32) and optionally its replica", AddFile},
      {"add-dataset", "add a dataset (holds files)", AddDataset},
      {"add-container", "add a container (holds datasets and containers)", AddContainer},
      {"attach", "attach DIDs to a dataset or container", Attach},
      {"detach", "detach DIDs from a dataset or container", Detach},
      {"list-dids", "list a scope's DIDs by name pattern and metadata filter", ListDids},
      {"ls", "the same as list-dids", ListDids},
      {"list-content", "what a dataset or container holds", ListContent},
      {"get-metadata", "a DID's type, owner, size, checksums and metadata", GetMetadata},
      {"set-metadata", "set metadata key-values on a DID", SetMetadata},
      {"meta", "the same as set-metadata with KEY=VALUE, get-metadata without", Meta},
      {"erase", "erase DIDs (their names are never reused)", Erase},
  };
}

}  // namespace gantry::cli
