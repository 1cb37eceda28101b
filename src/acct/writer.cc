#include "acct/writer.h"

#include <algorithm>
#include <cstdlib>
#include <vector>

namespace gantry::acct {

AcctWriter::AcctWriter(const AcctRequest& request)
    : request_(request), dates_(request.tz_offset_seconds) {}

model::UsageColumns AcctWriter::Columns(const AcctRequest& request) {
  if (request.mode == OutputMode::kJson || request.allocations) return model::UsageColumns::All();
  model::UsageColumns columns{model::UsageColumn::kJobId, model::UsageColumn::kArrayIndex};
  for (const Field& f : request.fields) columns.Add(ColumnsOf(f.id));
  return columns;
}

void AcctWriter::Begin(std::string& out) {
  if (request_.mode == OutputMode::kJson) {
    out += "{\"jobs\":[";
    return;
  }
  if (request_.no_header) return;
  const auto& fields = request_.fields;
  if (request_.mode != OutputMode::kTable) {
    for (size_t i = 0; i < fields.size(); ++i) {
      out += fields[i].name;
      if (i + 1 < fields.size() || request_.mode == OutputMode::kParsable) out.push_back('|');
    }
    out.push_back('\n');
    return;
  }
  // As SLURM's print_fields: each cell padded to |width| (right-justified unless the width is
  // negative), cut with a '+' when longer, and followed by a space; then a line of dashes.
  for (const Field& f : fields) {
    size_t width = static_cast<size_t>(std::abs(f.width));
    std::string_view name = f.name.substr(0, width);
    if (f.width > 0) out.append(width - name.size(), ' ');
    out += name;
    if (f.width < 0) out.append(width - name.size(), ' ');
    out.push_back(' ');
  }
  out.push_back('\n');
  for (const Field& f : fields) {
    out.append(static_cast<size_t>(std::abs(f.width)), '-');
    out.push_back(' ');
  }
  out.push_back('\n');
}

bool AcctWriter::Selected(const model::UsageRecord& r) const {
  if (request_.jobs.empty()) return true;
  for (const model::JobSelector& sel : request_.jobs) {
    if (sel.id != r.job_id) continue;
    if (!sel.HasIndexes() || (r.array_index >= 0 && sel.HasIndex(r.array_index))) return true;
  }
  return false;
}

void AcctWriter::Owned::Point() {
  record.user = user;
  record.group = group;
  record.vo = vo;
  record.account = account;
  record.partition = partition;
  record.job_name = job_name;
  record.agent = agent;
  record.state = state;
}

void AcctWriter::Add(const model::UsageRecord& r, std::string& out) {
  if (!Selected(r)) return;
  if (!request_.allocations) {
    Write(r, out);
    return;
  }
  auto [it, fresh] = allocations_.try_emplace(r.task_id);
  Owned& a = it->second;
  if (fresh) {
    a.record = r;
    a.user = r.user;
    a.group = r.group;
    a.vo = r.vo;
    a.account = r.account;
    a.partition = r.partition;
    a.job_name = r.job_name;
    a.agent = r.agent;
    a.state = r.state;
    a.last_attempt = r.attempt;
    a.Point();
    return;
  }
  // The job's line: its attempts' times and usage summed, the last attempt's outcome.
  model::UsageRecord& s = a.record;
  s.start_time = std::min(s.start_time, r.start_time);
  s.end_time = std::max(s.end_time, r.end_time);
  s.elapsed_seconds += r.elapsed_seconds;
  s.user_cpu_seconds += r.user_cpu_seconds;
  s.system_cpu_seconds += r.system_cpu_seconds;
  s.max_rss_kb = std::max(s.max_rss_kb, r.max_rss_kb);
  if (r.attempt > a.last_attempt) {
    a.last_attempt = r.attempt;
    s.attempt = r.attempt;
    s.exit_code = r.exit_code;
    s.signal = r.signal;
    s.attempt_id = r.attempt_id;
    a.state = r.state;
    a.agent = r.agent;
    a.Point();
  }
}

void AcctWriter::Finish(std::string& out) {
  if (request_.allocations) {
    std::vector<const Owned*> order;
    order.reserve(allocations_.size());
    for (const auto& [id, a] : allocations_) order.push_back(&a);
    std::sort(order.begin(), order.end(), [](const Owned* x, const Owned* y) {
      if (x->record.end_time != y->record.end_time) return x->record.end_time < y->record.end_time;
      return x->record.task_id < y->record.task_id;
    });
    for (const Owned* a : order) Write(a->record, out);
  }
  if (request_.mode == OutputMode::kJson) out += "]}\n";
}

void AcctWriter::Write(const model::UsageRecord& r, std::string& out) {
  if (request_.mode == OutputMode::kJson) {
    WriteJson(r, out);
    ++rows_;
    return;
  }
  const auto& fields = request_.fields;
  for (size_t i = 0; i < fields.size(); ++i) {
    const Field& f = fields[i];
    if (request_.mode != OutputMode::kTable) {
      AppendField(f.id, r, dates_, out);
      if (i + 1 < fields.size() || request_.mode == OutputMode::kParsable) out.push_back('|');
      continue;
    }
    cell_.clear();
    AppendField(f.id, r, dates_, cell_);
    size_t width = static_cast<size_t>(std::abs(f.width));
    if (cell_.size() > width) {
      cell_.resize(width);
      cell_.back() = '+';
    }
    if (f.width > 0) out.append(width - cell_.size(), ' ');
    out += cell_;
    if (f.width < 0) out.append(width - cell_.size(), ' ');
    out.push_back(' ');
  }
  out.push_back('\n');
  ++rows_;
}

// One job object, in the spirit of sacct --json (docs/acct.md lists the keys).
void AcctWriter::WriteJson(const model::UsageRecord& r, std::string& out) {
  if (rows_ > 0) out.push_back(',');
  auto key = [&](std::string_view k) {
    out.push_back('"');
    out += k;
    out += "\":";
  };
  auto text = [&](std::string_view k, std::string_view v) {
    key(k);
    AppendJsonString(v, out);
    out.push_back(',');
  };
  auto number = [&](std::string_view k, int64_t v) {
    key(k);
    AppendInt(v, out);
    out.push_back(',');
  };
  auto real = [&](std::string_view k, double v) {
    key(k);
    AppendFixed(v, 3, out);
    out.push_back(',');
  };
  out.push_back('{');
  number("job_id", r.job_id);
  number("task_id", r.task_id);
  key("array_index");
  if (r.array_index >= 0) {
    AppendInt(r.array_index, out);
  } else {
    out += "null";
  }
  out.push_back(',');
  number("attempt", r.attempt);
  text("name", r.job_name);
  text("user", r.user);
  number("uid", r.uid);
  text("group", r.group);
  text("vo", r.vo);
  text("account", r.account);
  text("partition", r.partition);
  text("nodes", r.agent);
  text("state", r.state);
  number("exit_code", r.exit_code);
  number("signal", r.signal);
  number("submit_time", r.submit_time / kMicrosPerSecond);
  number("start_time", r.start_time / kMicrosPerSecond);
  number("end_time", r.end_time / kMicrosPerSecond);
  real("elapsed_seconds", r.elapsed_seconds);
  number("cpus", r.cores);
  number("gpus", r.gpus);
  real("user_cpu_seconds", r.user_cpu_seconds);
  real("system_cpu_seconds", r.system_cpu_seconds);
  real("core_hours", r.CoreSeconds() / 3600);
  real("gpu_hours", r.GpuSeconds() / 3600);
  key("max_rss_kb");
  AppendInt(r.max_rss_kb, out);
  out.push_back('}');
}

}  // namespace gantry::acct
