// gantry root ls|scan: look into ROOT files without ROOT (src/root). Exit status: 0 ok, 1 the
// file could not be read (not ROOT, truncated, unknown streamer, no such branch), 2 bad usage.
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/flags.h"
#include "root/file.h"
#include "root/scan.h"
#include "root/tree.h"

namespace gantry::cli {
namespace {

constexpr char kUsage[] =
    "Usage: gantry root ls FILE [--json]\n"
    "       gantry root scan FILE --tree NAME [--branch B]... [--json]\n\n"
    "Reads ROOT files (TTrees of plain and jagged numeric branches, zlib/LZMA/LZ4/ZSTD)\n"
    "without a ROOT installation. FILE is a path, file://path or root://host//path.\n";

int ReportError(std::string_view what, const Error& e) {
  std::fprintf(stderr, "gantry root %.*s: %s\n", static_cast<int>(what.size()), what.data(),
               e.message().c_str());
  return 1;
}

std::string TypeText(const root::Branch& b) {
  if (!b.type) return "-";
  std::string t(root::ScalarTypeName(*b.type));
  if (b.jagged()) return t + "[" + b.count_leaf + "]";
  if (b.fixed_length > 1) return t + "[" + std::to_string(b.fixed_length) + "]";
  return t;
}

int RunLs(int argc, char** argv) {
  bool as_json = false;
  std::vector<std::string> files;
  Flags f("gantry root ls FILE [--json]",
          "Lists the file's keys, and for each TTree its entries and branches (name, type,\n"
          "baskets, compressed and uncompressed bytes). Branches this reader cannot decode\n"
          "are shown with the reason.");
  f.Bool("--json", &as_json, "print JSON");
  f.Positionals(&files, "FILE", 1, 1);
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  auto file = root::File::Open(files[0]);
  if (!file) return ReportError("ls", file.error());
  auto keys = (*file)->AllKeys();
  if (!keys) return ReportError("ls", keys.error());
  nlohmann::json out = {{"file", files[0]},
                        {"version", (*file)->header().version},
                        {"compression", (*file)->header().compress},
                        {"keys", nlohmann::json::array()},
                        {"trees", nlohmann::json::array()}};
  for (const auto& [dir, key] : *keys) {
    out["keys"].push_back({{"path", dir.empty() ? key.name : dir + "/" + key.name},
                           {"class", key.class_name},
                           {"cycle", key.cycle},
                           {"bytes", key.nbytes},
                           {"object_bytes", key.object_length}});
  }
  auto trees = root::ListTrees(**file);
  if (!trees) return ReportError("ls", trees.error());
  for (const std::string& path : *trees) {
    auto tree = root::ReadTree(**file, path);
    if (!tree) return ReportError("ls", tree.error());
    nlohmann::json branches = nlohmann::json::array();
    for (const root::Branch& b : tree->branches) {
      nlohmann::json j = {{"name", b.name},
                          {"type", TypeText(b)},
                          {"leaf", b.leaf_class},
                          {"entries", b.entries},
                          {"baskets", b.baskets.size() + b.embedded.size()},
                          {"zip_bytes", b.zip_bytes},
                          {"total_bytes", b.total_bytes}};
      if (!b.unsupported.empty()) j["unsupported"] = b.unsupported;
      branches.push_back(std::move(j));
    }
    out["trees"].push_back({{"path", path},
                            {"title", tree->title},
                            {"entries", tree->entries},
                            {"branches", std::move(branches)}});
  }
  if (as_json) {
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
  }
  std::printf("%s: ROOT %d, compression %d\n", files[0].c_str(), (*file)->header().version,
              (*file)->header().compress);
  for (const auto& k : out["keys"]) {
    std::printf("  %-40s %-20s %10lld bytes\n", k["path"].get<std::string>().c_str(),
                k["class"].get<std::string>().c_str(),
                static_cast<long long>(k["bytes"].get<int64_t>()));
  }
  for (const auto& t : out["trees"]) {
    std::printf("\nTTree %s: %lld entries, %zu branches\n", t["path"].get<std::string>().c_str(),
                static_cast<long long>(t["entries"].get<int64_t>()), t["branches"].size());
    std::printf("  %-40s %-22s %7s %12s %12s\n", "BRANCH", "TYPE", "BASKETS", "ZIP_BYTES",
                "BYTES");
    for (const auto& b : t["branches"]) {
      std::printf("  %-40s %-22s %7lld %12lld %12lld%s%s\n", b["name"].get<std::string>().c_str(),
                  b["type"].get<std::string>().c_str(),
                  static_cast<long long>(b["baskets"].get<int64_t>()),
                  static_cast<long long>(b["zip_bytes"].get<int64_t>()),
                  static_cast<long long>(b["total_bytes"].get<int64_t>()),
                  b.contains("unsupported") ? "  unsupported: " : "",
                  b.contains("unsupported") ? b["unsupported"].get<std::string>().c_str() : "");
    }
  }
  return 0;
}

int RunScan(int argc, char** argv) {
  bool as_json = false;
  std::string tree = "Events";
  std::vector<std::string> branches, files;
  int64_t threads = 0, start = 0, stop = -1;
  Flags f("gantry root scan FILE --tree NAME [--branch B]... [--json]",
          "Reads the branches (all readable ones when none is named) and prints the tree's\n"
          "entry count and, per branch, how many values it holds and their sum:\n"
          "{\"entries\": N, \"branches\": {\"Jet_pt\": {\"count\": C, \"sum\": S}, ...}}.\n"
          "Only the named branches' baskets are read; they are decompressed in parallel.");
  f.String("--tree", &tree, "NAME", "the TTree (default Events; dir/name inside directories)");
  f.Strings("--branch,-b", &branches, "B", "a branch to read (repeatable)");
  f.Int("--threads", &threads, "N", "decompression threads (default: one per core)");
  f.Int("--entry-start", &start, "E", "first entry (default 0)");
  f.Int("--entry-stop", &stop, "E", "one past the last entry (default: all)");
  f.Bool("--json", &as_json, "print the JSON object only");
  f.Positionals(&files, "FILE", 1, 1);
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  auto file = root::File::Open(files[0]);
  if (!file) return ReportError("scan", file.error());
  root::ReadOptions options;
  options.threads = static_cast<int>(threads);
  options.entry_start = start;
  options.entry_stop = stop;
  auto result = root::ScanTree(**file, tree, branches, options);
  if (!result) return ReportError("scan", result.error());
  if (as_json) {
    std::printf("%s\n", root::ScanJson(*result).c_str());
    return 0;
  }
  std::printf("%s %s: %lld entries\n", files[0].c_str(), tree.c_str(),
              static_cast<long long>(result->entries));
  std::printf("  %-40s %14s %24s\n", "BRANCH", "COUNT", "SUM");
  for (const root::BranchSummary& b : result->branches) {
    std::printf("  %-40s %14lld %24.17g\n", b.name.c_str(), static_cast<long long>(b.count),
                b.sum);
  }
  for (const auto& [name, why] : result->skipped) {
    std::printf("  %-40s skipped: %s\n", name.c_str(), why.c_str());
  }
  const root::ReadStats& s = result->stats;
  std::printf("read %llu baskets, %llu bytes (%llu uncompressed) in %llu vector reads\n",
              static_cast<unsigned long long>(s.baskets),
              static_cast<unsigned long long>(s.bytes_read),
              static_cast<unsigned long long>(s.bytes_uncompressed),
              static_cast<unsigned long long>(s.vector_reads));
  return 0;
}

}  // namespace

int RunRoot(int argc, char** argv) {
  if (argc < 2 || std::string_view(argv[1]) == "--help" || std::string_view(argv[1]) == "-h") {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  std::string_view verb = argv[1];
  if (verb == "ls") return RunLs(argc - 1, argv + 1);
  if (verb == "scan") return RunScan(argc - 1, argv + 1);
  std::fprintf(stderr, "gantry root: unknown command '%s'\n%s", argv[1], kUsage);
  return 2;
}

}  // namespace gantry::cli
