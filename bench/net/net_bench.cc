// net_bench: requests/s and latency of HttpServer + HttpClient over a Unix socket.
// Scenarios: 1 and 50 keep-alive clients issuing small GETs back to back, and 50 clients
// while 100 more connections sit in a long-poll handler (the agent-polling shape).
// Usage: net_bench [seconds per scenario, default 3]. Built by src/net/CMakeLists.txt.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "net/http_client.h"
#include "net/http_server.h"

namespace {

using Clock = std::chrono::steady_clock;
using gantry::net::HttpClient;
using gantry::net::HttpRequest;
using gantry::net::HttpResponse;
using gantry::net::HttpServer;

// Long-polls wait here until the bench ends (or 1 s passes), like an agent asking for work.
struct PollGate {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
};

HttpResponse Handle(const HttpRequest& request, PollGate& gate) {
  HttpResponse response;
  if (request.path == "/v1/poll") {
    std::unique_lock lock(gate.mu);
    gate.cv.wait_for(lock, std::chrono::seconds(1), [&] { return gate.done; });
    response.status = 204;
    return response;
  }
  response.body = R"({"id": 42, "state": "RUNNING", "owner": "alice"})";
  return response;
}

struct Result {
  size_t requests = 0;
  size_t errors = 0;
  double seconds = 0;
  std::vector<double> latencies_us;
};

Result Run(const std::string& url, int clients, int pollers, double seconds, PollGate& gate) {
  {
    std::lock_guard lock(gate.mu);
    gate.done = false;
  }
  std::atomic<bool> stop{false};
  std::atomic<size_t> errors{0};
  std::vector<std::thread> poll_threads;
  for (int p = 0; p < pollers; ++p) {
    poll_threads.emplace_back([&] {
      auto client = *HttpClient::Create(url);
      while (!stop) {
        if (!client->Request("GET", "/v1/poll")) ++errors;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(pollers > 0 ? 200 : 0));
  std::vector<std::vector<double>> per_thread(clients);
  std::vector<std::thread> threads;
  std::atomic<bool> measuring{false};
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      auto client = *HttpClient::Create(url);
      per_thread[c].reserve(1 << 20);
      while (!stop) {
        auto start = Clock::now();
        auto response = client->Request("GET", "/v1/jobs/42?fields=state");
        auto end = Clock::now();
        if (!response || response->status != 200) {
          ++errors;
          continue;
        }
        if (measuring) {
          per_thread[c].push_back(std::chrono::duration<double, std::micro>(end - start).count());
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // warm-up
  measuring = true;
  auto start = Clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  measuring = false;
  Result result;
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  stop = true;
  {
    std::lock_guard lock(gate.mu);
    gate.done = true;
  }
  gate.cv.notify_all();
  for (auto& thread : threads) thread.join();
  for (auto& thread : poll_threads) thread.join();
  for (auto& latencies : per_thread) {
    result.latencies_us.insert(result.latencies_us.end(), latencies.begin(), latencies.end());
  }
  result.requests = result.latencies_us.size();
  result.errors = errors;
  std::sort(result.latencies_us.begin(), result.latencies_us.end());
  return result;
}

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  return sorted[std::min(sorted.size() - 1, static_cast<size_t>(p * sorted.size()))];
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = argc > 1 ? std::atof(argv[1]) : 3.0;
  char pattern[] = "/tmp/gnet-bench.XXXXXX";
  std::string dir = mkdtemp(pattern);
  PollGate gate;
  auto server = HttpServer::Start({.unix_socket_path = dir + "/bench.sock"},
                                  [&](const HttpRequest& r) { return Handle(r, gate); });
  if (!server) {
    std::fprintf(stderr, "net_bench: %s\n", server.error().ToString().c_str());
    return 1;
  }
  std::printf(
      "net_bench: HttpServer+HttpClient, Unix socket, keep-alive, %.0f s per row, "
      "%u cores\n",
      seconds, std::thread::hardware_concurrency());
  std::printf("%-8s %-8s %10s %10s %8s %8s %8s %7s\n", "clients", "pollers", "requests", "req/s",
              "p50_us", "p99_us", "max_us", "errors");
  struct Scenario {
    int clients;
    int pollers;
  };
  for (Scenario s : {Scenario{1, 0}, Scenario{50, 0}, Scenario{50, 100}}) {
    Result r = Run((*server)->unix_url(), s.clients, s.pollers, seconds, gate);
    std::printf("%-8d %-8d %10zu %10.0f %8.0f %8.0f %8.0f %7zu\n", s.clients, s.pollers, r.requests,
                r.requests / r.seconds, Percentile(r.latencies_us, 0.50),
                Percentile(r.latencies_us, 0.99),
                r.latencies_us.empty() ? 0.0 : r.latencies_us.back(), r.errors);
  }
  (*server)->Stop();
  std::filesystem::remove_all(dir);
  return 0;
}
