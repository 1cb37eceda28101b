#include "transfer/transfer_json.h"

namespace gantry::transfer {

using nlohmann::json;

json TransferToJson(const Transfer& t, const std::optional<ProgressInfo>& progress,
                    TimeMicros now) {
  json j = {{"id", t.id},
            {"state", TransferStateName(t.state)},
            {"did", t.Did()},
            {"source_rse", t.source_rse_used.empty() ? t.request.source_rse : t.source_rse_used},
            {"dest_rse", t.request.dest_rse},
            {"source", t.request.source_url},
            {"destination", t.request.dest_url},
            {"bytes", t.request.bytes},
            {"priority", t.request.priority},
            {"attempts", t.attempts},
            {"max_attempts", t.request.max_attempts},
            {"rule", t.request.rule_id},
            {"owner", t.request.owner},
            {"error", t.last_error},
            {"created", t.created},
            {"updated", t.updated},
            {"link", t.Link()}};
  if (t.not_before > now && t.state == TransferState::kQueued) j["next_attempt"] = t.not_before;
  if (progress) {
    double seconds = static_cast<double>(now - progress->started) / kMicrosPerSecond;
    double rate = seconds > 0 ? static_cast<double>(progress->done) / seconds : 0;
    j["done_bytes"] = progress->done;
    if (progress->total > 0) j["bytes"] = progress->total;
    j["rate"] = rate;  // bytes/s since the attempt started
    int64_t total = progress->total > 0 ? progress->total : t.request.bytes;
    if (rate > 0 && total >= progress->done) {
      j["eta_seconds"] = static_cast<double>(total - progress->done) / rate;
    }
  }
  return j;
}

json EventToJson(const TransferEvent& e) {
  return {{"seq", e.seq}, {"time", e.time}, {"type", e.type}, {"details", e.details}};
}

json LinkToJson(const LinkInfo& l) {
  return {{"link", l.link},         {"limit", l.limit},
          {"active", l.active},     {"success_rate", l.success_rate},
          {"throughput", l.throughput}, {"reason", l.reason}};
}

json RuleToJson(const Rule& r) {
  return {{"id", r.id},           {"did", r.scope + ":" + r.name}, {"copies", r.copies},
          {"rse_expression", r.expression}, {"expires", r.expires}, {"owner", r.owner},
          {"vo", r.vo},           {"state", r.state},              {"reason", r.reason},
          {"created", r.created}, {"updated", r.updated}};
}

}  // namespace gantry::transfer
