// latency_bench: how long `gantry q` and `gantry status ID` take to answer while the server is
// busy. N client threads, each with its own keep-alive HttpClient (as N people or scripts
// polling), alternate the two requests those commands send and record each one's latency.
// Prints count, requests/s, p50/p90/p99/max per request kind. bench/latency/run.sh applies
// the job load beside it. A benchmark: it measures, it asserts nothing.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "net/http_client.h"

namespace {

using SteadyClock = std::chrono::steady_clock;
using gantry::net::HttpClient;

constexpr double kTargetP99Ms = 20.0;

constexpr char kUsage[] =
    "usage: latency_bench --job ID [OPTIONS]\n"
    "Polls a running Gantry server the way `gantry q` and `gantry status ID` do, from many\n"
    "concurrent keep-alive clients, and prints p50/p90/p99/max latency of each.\n"
    "  --server URL      server socket (default unix://$GANTRY_HOME/gantry.sock)\n"
    "  --job ID          job (or task) id for the status requests (required)\n"
    "  --clients N       concurrent clients, one thread and connection each (default 100)\n"
    "  --seconds S       measuring window (default 20)\n"
    "  --warmup S        requests before the window are not recorded (default 1)\n"
    "  --think-ms MS     mean pause after each request per client, drawn uniformly from\n"
    "                    [MS/2, 3MS/2], clients starting at random offsets so they do not poll\n"
    "                    in lockstep (default 0: closed loop)\n"
    "  --q-path PATH     the queue request (default /v1/jobs?all=0, what plain `gantry q` sends)\n"
    "  --label TEXT      a name for this run, echoed in the output\n"
    "  --json            print one JSON object instead of text\n";

struct Options {
  std::string server;
  std::string job;
  std::string q_path = "/v1/jobs?all=0";
  std::string label;
  int clients = 100;
  double seconds = 20;
  double warmup = 1;
  int think_ms = 0;
  bool json = false;
};

// Latencies of one request kind, in microseconds.
struct Samples {
  std::vector<double> micros;
  size_t errors = 0;
  size_t bytes = 0;
};

struct Stats {
  size_t count = 0;
  size_t errors = 0;
  double per_second = 0;
  double p50 = 0, p90 = 0, p99 = 0, max = 0;  // milliseconds
  double mean_bytes = 0;
};

Stats Summarize(Samples& s, double seconds) {
  std::sort(s.micros.begin(), s.micros.end());
  auto at = [&](double p) {
    if (s.micros.empty()) return 0.0;
    size_t rank = static_cast<size_t>(p * static_cast<double>(s.micros.size()));
    return s.micros[std::min(s.micros.size() - 1, rank)] / 1000.0;
  };
  Stats out;
  out.count = s.micros.size();
  out.errors = s.errors;
  out.per_second = static_cast<double>(out.count) / seconds;
  out.p50 = at(0.50);
  out.p90 = at(0.90);
  out.p99 = at(0.99);
  out.max = s.micros.empty() ? 0 : s.micros.back() / 1000.0;
  out.mean_bytes = out.count ? static_cast<double>(s.bytes) / static_cast<double>(out.count) : 0;
  return out;
}

bool ParseArgs(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    }
    if (arg == "--json") {
      o.json = true;
      continue;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "latency_bench: %s needs a value\n%s", argv[i], kUsage);
      return false;
    }
    const char* value = argv[++i];
    if (arg == "--server") o.server = value;
    else if (arg == "--job") o.job = value;
    else if (arg == "--clients") o.clients = std::atoi(value);
    else if (arg == "--seconds") o.seconds = std::atof(value);
    else if (arg == "--warmup") o.warmup = std::atof(value);
    else if (arg == "--think-ms") o.think_ms = std::atoi(value);
    else if (arg == "--q-path") o.q_path = value;
    else if (arg == "--label") o.label = value;
    else {
      std::fprintf(stderr, "latency_bench: unknown option %s\n%s", argv[i - 1], kUsage);
      return false;
    }
  }
  if (o.job.empty() || o.clients < 1 || o.seconds <= 0 || o.think_ms < 0) {
    std::fprintf(stderr, "latency_bench: need --job, --clients >= 1, --seconds > 0\n%s", kUsage);
    return false;
  }
  if (o.server.empty()) {
    const char* home = std::getenv("GANTRY_HOME");
    const char* user_home = std::getenv("HOME");
    o.server = "unix://" + (home && *home ? std::string(home)
                                          : std::string(user_home ? user_home : "/tmp") +
                                                "/.gantry") +
               "/gantry.sock";
  }
  return true;
}

void PrintText(const Options& o, double seconds, const Stats& q, const Stats& status) {
  std::printf("latency_bench%s%s: %d clients, think %d ms, %.1f s, %u cores, %s\n",
              o.label.empty() ? "" : " ", o.label.c_str(), o.clients, o.think_ms, seconds,
              std::thread::hardware_concurrency(), o.server.c_str());
  std::printf("%-8s %8s %8s %8s %8s %8s %8s %8s %9s\n", "request", "count", "req/s", "p50_ms",
              "p90_ms", "p99_ms", "max_ms", "errors", "avg_bytes");
  auto row = [](const char* name, const Stats& s) {
    std::printf("%-8s %8zu %8.0f %8.2f %8.2f %8.2f %8.1f %8zu %9.0f\n", name, s.count,
                s.per_second, s.p50, s.p90, s.p99, s.max, s.errors, s.mean_bytes);
  };
  row("q", q);
  row("status", status);
  bool ok = q.p99 < kTargetP99Ms && status.p99 < kTargetP99Ms && q.count && status.count;
  std::printf("p99 under %.0f ms: %s\n", kTargetP99Ms, ok ? "yes" : "no");
}

void PrintJson(const Options& o, double seconds, const Stats& q, const Stats& status) {
  auto obj = [](const Stats& s) {
    char buffer[320];
    std::snprintf(buffer, sizeof buffer,
                  "{\"count\": %zu, \"errors\": %zu, \"per_second\": %.1f, \"p50_ms\": %.3f, "
                  "\"p90_ms\": %.3f, \"p99_ms\": %.3f, \"max_ms\": %.3f, \"mean_bytes\": %.0f}",
                  s.count, s.errors, s.per_second, s.p50, s.p90, s.p99, s.max, s.mean_bytes);
    return std::string(buffer);
  };
  bool ok = q.p99 < kTargetP99Ms && status.p99 < kTargetP99Ms && q.count && status.count;
  // The label and path come from our own command line; they hold no characters JSON escapes.
  std::printf(
      "{\"label\": \"%s\", \"clients\": %d, \"think_ms\": %d, \"seconds\": %.3f, "
      "\"q\": %s, \"status\": %s, \"p99_under_20ms\": %s}\n",
      o.label.c_str(), o.clients, o.think_ms, seconds, obj(q).c_str(), obj(status).c_str(),
      ok ? "true" : "false");
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!ParseArgs(argc, argv, o)) return 2;
  const std::string status_path = "/v1/jobs/" + o.job;  // what `gantry status ID` sends

  // Fail fast on a wrong socket or job id rather than measuring error replies.
  {
    auto probe = HttpClient::Create(o.server);
    if (!probe) {
      std::fprintf(stderr, "latency_bench: %s\n", probe.error().ToString().c_str());
      return 1;
    }
    for (const std::string& path : {o.q_path, status_path}) {
      auto r = (*probe)->Request("GET", path);
      if (!r || r->status != 200) {
        std::fprintf(stderr, "latency_bench: GET %s: %s\n", path.c_str(),
                     r ? r->body.c_str() : r.error().ToString().c_str());
        return 1;
      }
    }
  }

  std::atomic<bool> measuring{false};
  std::atomic<bool> stop{false};
  std::vector<Samples> q(o.clients), status(o.clients);
  std::vector<std::thread> threads;
  for (int c = 0; c < o.clients; ++c) {
    threads.emplace_back([&, c] {
      auto client = HttpClient::Create(o.server);
      if (!client) return;
      // Clients start on alternate requests so both kinds are in flight all the time.
      bool ask_q = c % 2 == 0;
      std::mt19937 random(static_cast<unsigned>(c));  // seeded: runs are repeatable
      std::uniform_real_distribution<double> think(0.5 * o.think_ms, 1.5 * o.think_ms);
      std::uniform_real_distribution<double> offset(0, o.think_ms);
      if (o.think_ms) {
        std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(offset(random)));
      }
      while (!stop.load(std::memory_order_relaxed)) {
        Samples& samples = ask_q ? q[c] : status[c];
        auto start = SteadyClock::now();
        auto r = (*client)->Request("GET", ask_q ? o.q_path : status_path);
        auto end = SteadyClock::now();
        if (measuring.load(std::memory_order_relaxed)) {
          if (!r || r->status != 200) {
            ++samples.errors;
          } else {
            std::chrono::duration<double, std::micro> took = end - start;
            samples.micros.push_back(took.count());
            samples.bytes += r->body.size();
          }
        }
        ask_q = !ask_q;
        if (o.think_ms) {
          std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(think(random)));
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(o.warmup));
  measuring = true;
  auto start = SteadyClock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(o.seconds));
  measuring = false;
  double seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
  stop = true;
  for (auto& thread : threads) thread.join();

  Samples all_q, all_status;
  for (int c = 0; c < o.clients; ++c) {
    for (auto [from, to] : {std::pair{&q[c], &all_q}, std::pair{&status[c], &all_status}}) {
      to->micros.insert(to->micros.end(), from->micros.begin(), from->micros.end());
      to->errors += from->errors;
      to->bytes += from->bytes;
    }
  }
  Stats q_stats = Summarize(all_q, seconds);
  Stats status_stats = Summarize(all_status, seconds);
  if (o.json) PrintJson(o, seconds, q_stats, status_stats);
  else PrintText(o, seconds, q_stats, status_stats);
  return 0;
}
