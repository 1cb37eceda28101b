// data_bench: the in-process halves of bench/data/run.sh.
//   data_bench adler32 MB      adler32 throughput of gantry's Adler32 over an MB buffer (GB/s)
//   data_bench catalog N DIR   registers N files with a replica each in a catalog under DIR
//                              (batches of 10,000, one transaction each), then looks up random
//                              replicas for 3 s; prints seconds to register and lookups/s
//   data_bench queue N KB DIR  N files of KB KiB on a file:// RSE, each replicated to another
//                              through the transfer service (its durable queue, 8 workers,
//                              verified copies); prints files/s from the first request to the
//                              last file done
// Output: one "key value" line per figure, for run.sh to compare with its peers.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <thread>
#include <random>
#include <string>
#include <vector>

#include "base/clock.h"
#include "catalog/catalog.h"
#include "catalog/checksum.h"
#include "transfer/service.h"

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

int QueueBench(int64_t n, int64_t kb, const std::string& dir) {
  SystemClock clock;
  auto c = catalog::Catalog::Open(dir + "/data.db", clock);
  auto q = transfer::TransferQueue::Open(dir + "/transfers.db", clock);
  if (!c || !q) {
    std::fprintf(stderr, "%s\n", (!c ? c.error() : q.error()).message().c_str());
    return 1;
  }
  model::Identity admin;
  admin.subject = "bench";
  admin.issuer = "local";
  admin.grants.admin = true;
  std::string src = dir + "/src", dst = dir + "/dst";
  for (const auto& [name, path] : {std::pair{"SRC", src}, std::pair{"DST", dst}}) {
    std::filesystem::create_directories(path + "/bench");
    if (auto s = (*c)->AddRse(admin, {name, name, {}, {{"file", "file://" + path}}}); !s) {
      std::fprintf(stderr, "%s\n", s.error().message().c_str());
      return 1;
    }
  }
  std::vector<char> data(kb << 10);
  std::vector<catalog::NewReplica> files;
  for (int64_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < data.size(); ++j) data[j] = static_cast<char>((i * 131 + j) % 251);
    std::string name = "small." + std::to_string(i);
    std::FILE* f = std::fopen((src + "/bench/" + name).c_str(), "wb");
    if (!f || std::fwrite(data.data(), 1, data.size(), f) != data.size() || std::fclose(f) != 0) {
      std::fprintf(stderr, "cannot write %s/bench/%s\n", src.c_str(), name.c_str());
      return 1;
    }
    catalog::Adler32 a;
    a.Update(data);
    files.push_back({{{"bench", name}, catalog::DidType::kFile, static_cast<int64_t>(data.size()),
                      a.Hex(), "", {}},
                     "",
                     catalog::ReplicaState::kAvailable});
  }
  if (auto s = (*c)->AddReplicas(admin, "SRC", files); !s) {
    std::fprintf(stderr, "%s\n", s.error().message().c_str());
    return 1;
  }
  std::map<std::string, std::unique_ptr<transfer::Storage>> storages;
  storages["file"] = transfer::NewFileStorage();
  transfer::ServiceOptions options;  // the server's defaults: 8 workers
  auto service = transfer::TransferService::Start(**c, **q, clock, std::move(storages), options);
  if (!service) {
    std::fprintf(stderr, "%s\n", service.error().message().c_str());
    return 1;
  }
  auto start = Clock::now();
  for (const auto& f : files) {
    if (auto ids = (*service)->Replicate(admin, f.file.did, "DST", 3); !ids) {
      std::fprintf(stderr, "%s\n", ids.error().message().c_str());
      return 1;
    }
  }
  while (true) {
    auto pending =
        (*q)->List({transfer::TransferState::kQueued, transfer::TransferState::kActive}, 1);
    if (!pending) {
      std::fprintf(stderr, "%s\n", pending.error().message().c_str());
      return 1;
    }
    if (pending->empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  double seconds = Seconds(start);
  (*service)->Stop();
  auto done = (*q)->List({transfer::TransferState::kDone}, n + 1);
  int64_t copied = done ? static_cast<int64_t>(done->size()) : 0;
  if (copied != n) {
    std::fprintf(stderr, "%lld of %lld transfers done\n", static_cast<long long>(copied),
                 static_cast<long long>(n));
    return 1;
  }
  std::printf("queue_seconds %.3f\nqueue_files_per_second %.1f\n", seconds,
              static_cast<double>(n) / seconds);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "adler32" && argc == 3) return Adler(std::stoul(argv[2]));
  if (mode == "catalog" && argc == 4) return CatalogBench(std::stoll(argv[2]), argv[3]);
  if (mode == "queue" && argc == 5) {
    return QueueBench(std::stoll(argv[2]), std::stoll(argv[3]), argv[4]);
  }
  std::fprintf(stderr,
               "usage: data_bench adler32 MB | data_bench catalog N DIR | "
               "data_bench queue N KB DIR\n");
  return 2;
}
