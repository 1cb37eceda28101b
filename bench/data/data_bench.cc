// data_bench: the in-process halves of bench/data/run.sh.
//   data_bench adler32 MB      adler32 throughput of gantry's Adler32 over an MB buffer (GB/s)
//   data_bench catalog N DIR   registers N files with a replica each in a catalog under DIR
//                              (batches of 10,000, one transaction each), then looks up random
//                              replicas for 3 s; prints seconds to register and lookups/s
// Output: one "key value" line per figure, for run.sh to compare with its peers.
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "base/clock.h"
#include "catalog/catalog.h"
#include "catalog/checksum.h"

namespace {

using Clock = std::chrono::steady_clock;
using namespace gantry;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

int Adler(size_t mb) {
  std::vector<char> buf(mb << 20);
  for (size_t i = 0; i < buf.size(); ++i) buf[i] = static_cast<char>(i * 2654435761u >> 13);
  catalog::Adler32 warm;
  warm.Update(buf);
  int rounds = 0;
  auto start = Clock::now();
  uint32_t sink = 0;
  while (Seconds(start) < 2.0) {
    catalog::Adler32 a;
    a.Update(buf);
    sink ^= a.value();
    ++rounds;
  }
  double gbps = static_cast<double>(buf.size()) * rounds / Seconds(start) / 1e9;
  std::printf("adler32_gbps %.3f\nadler32_check %08x\n", gbps, sink);
  return 0;
}

int CatalogBench(int64_t n, const std::string& dir) {
  SystemClock clock;
  auto c = catalog::Catalog::Open(dir + "/data.db", clock);
  if (!c) {
    std::fprintf(stderr, "%s\n", c.error().message().c_str());
    return 1;
  }
  model::Identity admin;
  admin.subject = "bench";
  admin.issuer = "local";
  admin.grants.admin = true;
  if (auto s = (*c)->AddRse(admin, {"BENCH_DISK", "BENCH", {}, {{"file", "file:///bench"}}}); !s) {
    std::fprintf(stderr, "%s\n", s.error().message().c_str());
    return 1;
  }
  auto start = Clock::now();
  const int64_t batch = 10000;
  for (int64_t base = 0; base < n; base += batch) {
    std::vector<catalog::NewReplica> files;
    for (int64_t i = base; i < std::min(n, base + batch); ++i) {
      files.push_back({{{"bench", "file." + std::to_string(i)}, catalog::DidType::kFile, 1000 + i,
                        "0a0b0c0d", "", {}},
                       "",
                       catalog::ReplicaState::kAvailable});
    }
    if (auto s = (*c)->AddReplicas(admin, "BENCH_DISK", files); !s) {
      std::fprintf(stderr, "%s\n", s.error().message().c_str());
      return 1;
    }
  }
  double register_seconds = Seconds(start);
  std::mt19937_64 random(1);
  std::uniform_int_distribution<int64_t> pick(0, n - 1);
  int64_t lookups = 0;
  start = Clock::now();
  while (Seconds(start) < 3.0) {
    auto r = (*c)->ListReplicas(admin, {"bench", "file." + std::to_string(pick(random))});
    if (!r || r->size() != 1 || (*r)[0].replicas.size() != 1) {
      std::fprintf(stderr, "lookup failed\n");
      return 1;
    }
    ++lookups;
  }
  std::printf("register_seconds %.3f\nlookups_per_second %.0f\n", register_seconds,
              static_cast<double>(lookups) / Seconds(start));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "adler32" && argc == 3) return Adler(std::stoul(argv[2]));
  if (mode == "catalog" && argc == 4) return CatalogBench(std::stoll(argv[2]), argv[3]);
  std::fprintf(stderr, "usage: data_bench adler32 MB | data_bench catalog N DIR\n");
  return 2;
}
