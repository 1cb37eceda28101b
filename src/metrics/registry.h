// Registry: the server's metrics (counters, gauges, histograms with labels) and their
// Prometheus text exposition (format 0.0.4; docs/metrics.md). Families are declared once,
// then updated from any thread. Thread-safe (one mutex; updates are a map lookup).
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gantry::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Registry {
 public:
  void DeclareCounter(std::string name, std::string help);
  void DeclareGauge(std::string name, std::string help);
  // buckets: upper bounds, ascending (+Inf is added).
  void DeclareHistogram(std::string name, std::string help, std::vector<double> buckets);

  // Updates of a family never declared are ignored (a bug, but not worth a crash).
  void Add(std::string_view name, const Labels& labels, double delta = 1);
  void Set(std::string_view name, const Labels& labels, double value);
  void Observe(std::string_view name, const Labels& labels, double value);
  // Sets every series of a gauge family at once (the others are dropped): for gauges read
  // from a snapshot, where a series that vanished must not linger.
  void ReplaceGauge(std::string_view name, const std::vector<std::pair<Labels, double>>& series);

  // Every family, sorted by name, in the Prometheus text format.
  std::string Render() const;

 private:
  enum class Kind { kCounter, kGauge, kHistogram };
  struct Histogram {
    std::vector<uint64_t> counts;  // per bucket, not cumulative; last is +Inf
    double sum = 0;
    uint64_t count = 0;
  };
  struct Family {
    Kind kind;
    std::string help;
    std::vector<double> buckets;
    std::map<std::string, double> values;         // by rendered labels
    std::map<std::string, Histogram> histograms;  // by rendered labels
  };
  Family* FindLocked(std::string_view name, Kind kind);

  mutable std::mutex mu_;
  std::map<std::string, Family, std::less<>> families_;  // GUARDED_BY(mu_)
};

// {a="x",b="y"} with values escaped as the format asks; "" for no labels.
std::string RenderLabels(const Labels& labels);

}  // namespace gantry::metrics
