#include "metrics/registry.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace gantry::metrics {
namespace {

void AppendNumber(double v, std::string& out) {
  if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
    return;
  }
  if (std::isnan(v)) {
    out += "NaN";
    return;
  }
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

// Labels with one more appended: {a="x",le="0.5"}.
std::string WithLabel(const std::string& rendered, std::string_view name,
                      const std::string& value) {
  std::string extra = std::string(name) + "=\"" + value + "\"";
  if (rendered.empty()) return "{" + extra + "}";
  return rendered.substr(0, rendered.size() - 1) + "," + extra + "}";
}

}  // namespace

std::string RenderLabels(const Labels& labels) {
  if (labels.empty()) return "";
  std::string out = "{";
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i) out += ",";
    out += labels[i].first + "=\"";
    for (char c : labels[i].second) {
      if (c == '\\') {
        out += "\\\\";
      } else if (c == '"') {
        out += "\\\"";
      } else if (c == '\n') {
        out += "\\n";
      } else {
        out += c;
      }
    }
    out += "\"";
  }
  return out + "}";
}

void Registry::DeclareCounter(std::string name, std::string help) {
  std::lock_guard lock(mu_);
  families_[std::move(name)] = Family{Kind::kCounter, std::move(help), {}, {}, {}};
}

void Registry::DeclareGauge(std::string name, std::string help) {
  std::lock_guard lock(mu_);
  families_[std::move(name)] = Family{Kind::kGauge, std::move(help), {}, {}, {}};
}

void Registry::DeclareHistogram(std::string name, std::string help, std::vector<double> buckets) {
  std::sort(buckets.begin(), buckets.end());
  std::lock_guard lock(mu_);
  families_[std::move(name)] =
      Family{Kind::kHistogram, std::move(help), std::move(buckets), {}, {}};
}

Registry::Family* Registry::FindLocked(std::string_view name, Kind kind) {
  auto it = families_.find(name);
  if (it == families_.end() || it->second.kind != kind) return nullptr;
  return &it->second;
}

void Registry::Add(std::string_view name, const Labels& labels, double delta) {
  std::lock_guard lock(mu_);
  Family* f = FindLocked(name, Kind::kCounter);
  if (!f) f = FindLocked(name, Kind::kGauge);
  if (f) f->values[RenderLabels(labels)] += delta;
}

void Registry::Set(std::string_view name, const Labels& labels, double value) {
  std::lock_guard lock(mu_);
  if (Family* f = FindLocked(name, Kind::kGauge)) f->values[RenderLabels(labels)] = value;
}

void Registry::ReplaceGauge(std::string_view name,
                            const std::vector<std::pair<Labels, double>>& series) {
  std::lock_guard lock(mu_);
  Family* f = FindLocked(name, Kind::kGauge);
  if (!f) return;
  f->values.clear();
  for (const auto& [labels, value] : series) f->values[RenderLabels(labels)] = value;
}

void Registry::Observe(std::string_view name, const Labels& labels, double value) {
  std::lock_guard lock(mu_);
  Family* f = FindLocked(name, Kind::kHistogram);
  if (!f) return;
  Histogram& h = f->histograms[RenderLabels(labels)];
  if (h.counts.empty()) h.counts.assign(f->buckets.size() + 1, 0);
  size_t i = static_cast<size_t>(std::lower_bound(f->buckets.begin(), f->buckets.end(), value) -
                                 f->buckets.begin());
  h.counts[i]++;
  h.sum += value;
  h.count++;
}

std::string Registry::Render() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& [name, f] : families_) {
    out += "# HELP " + name + " " + f.help + "\n";
    out += "# TYPE " + name + " " +
           (f.kind == Kind::kCounter ? "counter"
            : f.kind == Kind::kGauge ? "gauge"
                                     : "histogram") +
           "\n";
    for (const auto& [labels, value] : f.values) {
      out += name + labels + " ";
      AppendNumber(value, out);
      out += "\n";
    }
    for (const auto& [labels, h] : f.histograms) {
      uint64_t cumulative = 0;
      for (size_t i = 0; i < h.counts.size(); ++i) {
        cumulative += h.counts[i];
        std::string le;
        AppendNumber(i < f.buckets.size() ? f.buckets[i] : INFINITY, le);
        out += name + "_bucket" + WithLabel(labels, "le", le) + " " + std::to_string(cumulative) +
               "\n";
      }
      out += name + "_sum" + labels + " ";
      AppendNumber(h.sum, out);
      out += "\n" + name + "_count" + labels + " " + std::to_string(h.count) + "\n";
    }
  }
  return out;
}

}  // namespace gantry::metrics
