#include "acct/scheduling_policy.h"

#include <algorithm>
#include <charconv>

#include "base/strings.h"

namespace gantry::acct {
namespace {

Result<double> Number(std::string_view text, std::string_view what) {
  double v = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || r.ec != std::errc() || r.ptr != text.data() + text.size() || v < 0) {
    return Fail(InvalidArgument(std::string(what) + " must be a number >= 0, not '" +
                                std::string(text) + "'"));
  }
  return v;
}

std::vector<std::string_view> Words(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

Result<Limit::Scope> ScopeOf(std::string_view w) {
  if (w == "user") return Limit::Scope::kUser;
  if (w == "group") return Limit::Scope::kGroup;
  if (w == "vo") return Limit::Scope::kVo;
  return Fail(InvalidArgument("a limit is on a user, group or vo, not '" + std::string(w) + "'"));
}

Status Directive(const std::vector<std::string_view>& w, int line, std::string_view text,
                 SchedulingPolicy& p) {
  std::string_view verb = w[0];
  auto need = [&](size_t n, std::string_view form) -> Status {
    if (w.size() != n) {
      return Fail(InvalidArgument("'" + std::string(verb) + "' is written: " + std::string(form)));
    }
    return {};
  };
  if (verb == "weight") {
    GANTRY_RETURN_IF_ERROR(need(3, "weight age|fairshare|jobsize|qos NUMBER"));
    GANTRY_ASSIGN_OR_RETURN(double v, Number(w[2], "a weight"));
    if (w[1] == "age") {
      p.weight_age = v;
    } else if (w[1] == "fairshare") {
      p.weight_fairshare = v;
    } else if (w[1] == "jobsize") {
      p.weight_jobsize = v;
    } else if (w[1] == "qos") {
      p.weight_qos = v;
    } else {
      return Fail(InvalidArgument("unknown weight '" + std::string(w[1]) +
                                  "'; the weights are age, fairshare, jobsize and qos"));
    }
    return {};
  }
  if (verb == "half-life" || verb == "max-age") {
    GANTRY_RETURN_IF_ERROR(need(2, std::string(verb) + " DURATION (e.g. 7d)"));
    GANTRY_ASSIGN_OR_RETURN(int64_t s, ParseDuration(w[1]));
    if (s <= 0) return Fail(InvalidArgument(std::string(verb) + " must be longer than 0"));
    (verb == "half-life" ? p.half_life_seconds : p.max_age_seconds) = s;
    return {};
  }
  if (verb == "share") {
    GANTRY_RETURN_IF_ERROR(need(4, "share vo NAME NUMBER | share group /VO/GROUP NUMBER"));
    GANTRY_ASSIGN_OR_RETURN(double v, Number(w[3], "a share"));
    if (w[1] == "vo") {
      p.vo_shares[std::string(w[2])] = v;
    } else if (w[1] == "group" && w[2].starts_with("/")) {
      p.group_shares[std::string(w[2])] = v;
    } else {
      return Fail(InvalidArgument("a share is of a 'vo NAME' or a 'group /VO/GROUP'"));
    }
    return {};
  }
  if (verb == "qos") {
    GANTRY_RETURN_IF_ERROR(need(3, "qos NAME PRIORITY"));
    GANTRY_ASSIGN_OR_RETURN(double v, Number(w[2], "a QOS priority"));
    p.qos[std::string(w[1])] = v;
    return {};
  }
  if (verb == "limit") {
    if (w.size() != 5 && w.size() != 6) {
      return Fail(InvalidArgument(
          "'limit' is written: limit user|group|vo NAME running-cores|running-gpus|queued-jobs "
          "NUMBER, or limit user|group|vo NAME core-hours NUMBER day|week|month"));
    }
    Limit l;
    GANTRY_ASSIGN_OR_RETURN(l.scope, ScopeOf(w[1]));
    l.who = std::string(w[2]);
    if (w[3] == "running-cores") {
      l.kind = Limit::Kind::kRunningCores;
    } else if (w[3] == "running-gpus") {
      l.kind = Limit::Kind::kRunningGpus;
    } else if (w[3] == "queued-jobs") {
      l.kind = Limit::Kind::kQueuedJobs;
    } else if (w[3] == "core-hours") {
      l.kind = Limit::Kind::kCoreHours;
    } else {
      return Fail(InvalidArgument("unknown limit '" + std::string(w[3]) +
                                  "'; the limits are running-cores, running-gpus, queued-jobs "
                                  "and core-hours"));
    }
    GANTRY_ASSIGN_OR_RETURN(l.value, Number(w[4], "a limit"));
    if (l.kind == Limit::Kind::kCoreHours) {
      if (w.size() != 6) return Fail(InvalidArgument("core-hours needs a period: day, week or month"));
      if (w[5] == "day") {
        l.period_seconds = 86400;
      } else if (w[5] == "week") {
        l.period_seconds = 7 * 86400;
      } else if (w[5] == "month") {
        l.period_seconds = 30 * 86400;
      } else {
        return Fail(InvalidArgument("the period of core-hours is day, week or month, not '" +
                                    std::string(w[5]) + "'"));
      }
    } else if (w.size() != 5) {
      return Fail(InvalidArgument("only core-hours takes a period"));
    }
    l.line = line;
    l.text = std::string(Trim(text));
    p.limits.push_back(std::move(l));
    return {};
  }
  return Fail(InvalidArgument("unknown directive '" + std::string(verb) +
                              "'; the directives are weight, half-life, max-age, share, qos and "
                              "limit"));
}

}  // namespace

Result<int64_t> ParseDuration(std::string_view text) {
  if (text.empty()) return Fail(InvalidArgument("empty duration"));
  int64_t unit = 1;
  switch (text.back()) {
    case 's': unit = 1; break;
    case 'm': unit = 60; break;
    case 'h': unit = 3600; break;
    case 'd': unit = 86400; break;
    case 'w': unit = 7 * 86400; break;
    default: unit = 0;
  }
  std::string_view digits = unit ? text.substr(0, text.size() - 1) : text;
  if (!unit) unit = 1;
  int64_t v = 0;
  auto r = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (digits.empty() || r.ec != std::errc() || r.ptr != digits.data() + digits.size() || v < 0 ||
      v > 1'000'000'000) {
    return Fail(InvalidArgument("'" + std::string(text) +
                                "' is not a duration: a whole number with s, m, h, d or w"));
  }
  return v * unit;
}

Result<SchedulingPolicy> SchedulingPolicy::Parse(std::string_view text, std::string_view name) {
  SchedulingPolicy p;
  int number = 0;
  for (const std::string& raw : Split(text, '\n')) {
    ++number;
    std::string_view line = raw;
    if (size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    std::vector<std::string_view> words = Words(line);
    if (words.empty()) continue;
    if (auto s = Directive(words, number, line, p); !s) {
      return Fail(s.error().Wrap(std::string(name) + ":" + std::to_string(number)));
    }
  }
  return p;
}

double SchedulingPolicy::VoShare(std::string_view vo) const {
  auto it = vo_shares.find(std::string(vo));
  return it == vo_shares.end() ? 1.0 : it->second;
}

double SchedulingPolicy::QosPriority(std::string_view name) const {
  auto it = qos.find(std::string(name.empty() ? "normal" : name));
  return it == qos.end() ? 0.0 : it->second;
}

double SchedulingPolicy::MaxQosPriority() const {
  double m = 0;
  for (const auto& [name, v] : qos) m = std::max(m, v);
  return m;
}

}  // namespace gantry::acct
