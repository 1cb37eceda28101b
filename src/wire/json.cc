#include "wire/json.h"

#include <map>

#include "model/job_spec_json.h"

namespace gantry::wire {
namespace {

std::string_view ReportTypeName(AttemptReport::Type t) {
  switch (t) {
    case AttemptReport::Type::kStarted:
      return "started";
    case AttemptReport::Type::kFinished:
      return "finished";
    case AttemptReport::Type::kFailedToStart:
      return "failed_to_start";
    case AttemptReport::Type::kWithdrawn:
      return "withdrawn";
  }
  return "?";
}

// Runs f, turning a nlohmann type error into InvalidArgument.
template <typename F>
auto Guard(std::string_view what, F f) -> Result<decltype(f())> {
  try {
    return f();
  } catch (const json::exception& e) {
    return Fail(InvalidArgument("malformed " + std::string(what) + ": " + e.what()));
  }
}

json UsageToJson(const model::Usage& u) {
  return {{"user_cpu_seconds", u.user_cpu_seconds},
          {"system_cpu_seconds", u.system_cpu_seconds},
          {"wall_seconds", u.wall_seconds},
          {"max_rss_kb", u.max_rss_kb}};
}

model::Usage UsageFromJson(const json& j) {
  model::Usage u;
  u.user_cpu_seconds = j.at("user_cpu_seconds").get<double>();
  u.system_cpu_seconds = j.at("system_cpu_seconds").get<double>();
  u.wall_seconds = j.at("wall_seconds").get<double>();
  u.max_rss_kb = j.at("max_rss_kb").get<int64_t>();
  return u;
}

model::TaskState StateFrom(const json& j) {
  auto s = model::ParseState(j.get<std::string>());
  if (!s) throw json::other_error::create(501, "unknown state " + j.get<std::string>(), nullptr);
  return *s;
}

}  // namespace

Result<json> ParseJson(std::string_view text) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    return Fail(InvalidArgument("invalid JSON at byte " + std::to_string(e.byte) + ": " +
                                std::string(e.what()).substr(std::string(e.what()).find(':') + 2)));
  } catch (const json::exception& e) {
    // A number beyond double (1e400) is out_of_range, not parse_error: still the body's fault.
    std::string what = e.what();
    return Fail(InvalidArgument("invalid JSON: " + what.substr(what.find(']') + 2)));
  }
}

json TaskToJson(const model::Task& t) {
  json j = {{"id", t.id},
            {"job_id", t.job_id},
            {"owner_uid", t.owner_uid},
            {"state", model::StateName(t.state)},
            {"reason", t.reason},
            {"attempts", t.attempts},
            {"deep_retries", t.deep_retries},
            {"event_seq", t.event_seq},
            {"current_attempt", t.current_attempt},
            {"cancel_requested", t.cancel_requested},
            {"start_time", t.start_time},
            {"end_time", t.end_time},
            {"exit_code", t.exit_code},
            {"signal", t.signal}};
  j["array_index"] = t.array_index ? json(*t.array_index) : json(nullptr);
  return j;
}

Result<model::Task> TaskFromJson(const json& j) {
  return Guard("task", [&] {
    model::Task t;
    t.id = j.at("id").get<int64_t>();
    t.job_id = j.at("job_id").get<int64_t>();
    t.owner_uid = j.at("owner_uid").get<uint32_t>();
    if (!j.at("array_index").is_null()) t.array_index = j.at("array_index").get<int64_t>();
    t.state = StateFrom(j.at("state"));
    t.reason = j.at("reason").get<std::string>();
    t.attempts = j.at("attempts").get<int64_t>();
    t.deep_retries = j.at("deep_retries").get<int64_t>();
    t.event_seq = j.at("event_seq").get<int64_t>();
    t.current_attempt = j.at("current_attempt").get<int64_t>();
    t.cancel_requested = j.at("cancel_requested").get<bool>();
    t.start_time = j.at("start_time").get<int64_t>();
    t.end_time = j.at("end_time").get<int64_t>();
    t.exit_code = j.at("exit_code").get<int>();
    t.signal = j.at("signal").get<int>();
    return t;
  });
}

json AttemptToJson(const model::Attempt& a) {
  return {{"id", a.id},
          {"task_id", a.task_id},
          {"number", a.number},
          {"agent", a.agent},
          {"state", model::AttemptStateName(a.state)},
          {"scheduled_time", a.scheduled_time},
          {"start_time", a.start_time},
          {"end_time", a.end_time},
          {"exit_code", a.exit_code},
          {"signal", a.signal},
          {"usage", UsageToJson(a.usage)},
          {"reason", a.reason},
          {"stdout_path", a.stdout_path},
          {"stderr_path", a.stderr_path}};
}

Result<model::Attempt> AttemptFromJson(const json& j) {
  return Guard("attempt", [&] {
    model::Attempt a;
    a.id = j.at("id").get<int64_t>();
    a.task_id = j.at("task_id").get<int64_t>();
    a.number = j.at("number").get<int64_t>();
    a.agent = j.at("agent").get<std::string>();
    std::string state = j.at("state").get<std::string>();
    a.state = state == "SCHEDULED" ? model::AttemptState::kScheduled
              : state == "RUNNING" ? model::AttemptState::kRunning
                                   : model::AttemptState::kEnded;
    a.scheduled_time = j.at("scheduled_time").get<int64_t>();
    a.start_time = j.at("start_time").get<int64_t>();
    a.end_time = j.at("end_time").get<int64_t>();
    a.exit_code = j.at("exit_code").get<int>();
    a.signal = j.at("signal").get<int>();
    a.usage = UsageFromJson(j.at("usage"));
    a.reason = j.at("reason").get<std::string>();
    a.stdout_path = j.at("stdout_path").get<std::string>();
    a.stderr_path = j.at("stderr_path").get<std::string>();
    return a;
  });
}

json EventToJson(const model::Event& e) {
  return {{"task_id", e.task_id}, {"seq", e.seq},
          {"time", e.time},       {"source", e.source},
          {"type", e.type},       {"state", model::StateName(e.state)},
          {"reason", e.reason},   {"subject", e.subject},
          {"issuer", e.issuer},   {"vo", e.vo}};
}

Result<model::Event> EventFromJson(const json& j) {
  return Guard("event", [&] {
    model::Event e;
    e.task_id = j.at("task_id").get<int64_t>();
    e.seq = j.at("seq").get<int64_t>();
    e.time = j.at("time").get<int64_t>();
    e.source = j.at("source").get<std::string>();
    e.type = j.at("type").get<std::string>();
    e.state = StateFrom(j.at("state"));
    e.reason = j.at("reason").get<std::string>();
    e.subject = j.value("subject", "");
    e.issuer = j.value("issuer", "");
    e.vo = j.value("vo", "");
    return e;
  });
}

json SummaryToJson(const TaskSummary& s) {
  json j = TaskToJson(s.task);
  j["name"] = s.name;
  j["owner"] = s.owner;
  j["partition"] = s.partition;
  j["cpus"] = s.cpus;
  j["array_task_count"] = s.array_task_count;
  j["submit_time"] = s.submit_time;
  j["time_limit_seconds"] = s.time_limit_seconds;
  j["count"] = s.count;
  j["indexes"] = s.indexes;
  return j;
}

Result<TaskSummary> SummaryFromJson(const json& j) {
  TaskSummary s;
  GANTRY_ASSIGN_OR_RETURN(s.task, TaskFromJson(j));
  return Guard("job summary", [&] {
    s.name = j.at("name").get<std::string>();
    s.owner = j.at("owner").get<std::string>();
    s.partition = j.at("partition").get<std::string>();
    s.cpus = j.at("cpus").get<int64_t>();
    s.array_task_count = j.at("array_task_count").get<int64_t>();
    s.submit_time = j.at("submit_time").get<int64_t>();
    s.time_limit_seconds = j.at("time_limit_seconds").get<int64_t>();
    s.count = j.value("count", int64_t{1});
    s.indexes = j.value("indexes", std::string());
    return s;
  });
}

json DetailToJson(const TaskDetail& d) {
  json j = SummaryToJson(d.summary);
  j["why"] = d.why;
  j["owner_name"] = d.job.owner.name;
  j["vo"] = d.job.vo;
  j["group"] = d.job.group;
  j["spec"] = model::JobSpecToJson(d.job.spec);
  j["spec"].erase("environment");  // may hold secrets; not needed to explain a job
  json attempts = json::array();
  for (const auto& a : d.attempts) attempts.push_back(AttemptToJson(a));
  j["attempt_list"] = attempts;
  return j;
}

json SubmitResultToJson(const SubmitResult& r) {
  return {{"job_id", r.job_id},
          {"task_count", r.task_count},
          {"state", model::StateName(r.state)},
          {"warnings", r.warnings}};
}

json PollRequestToJson(const PollRequest& r) {
  json reports = json::array();
  for (const auto& rep : r.reports) {
    reports.push_back({{"type", ReportTypeName(rep.type)},
                       {"attempt_id", rep.attempt_id},
                       {"time", rep.time},
                       {"start_time", rep.start_time},
                       {"exit_code", rep.exit_code},
                       {"signal", rep.signal},
                       {"timed_out", rep.timed_out},
                       {"oom_killed", rep.oom_killed},
                       {"usage", UsageToJson(rep.usage)},
                       {"reason", rep.reason},
                       {"stdout_path", rep.stdout_path},
                       {"stderr_path", rep.stderr_path}});
  }
  const auto& s = r.status;
  return {{"status",
           {{"name", s.name},
            {"hostname", s.hostname},
            {"total_cpus", s.total_cpus},
            {"total_memory_mb", s.total_memory_mb},
            {"free_cpus", s.free_cpus},
            {"free_memory_mb", s.free_memory_mb},
            {"queue_cpus", s.queue_cpus},
            {"queue_memory_mb", s.queue_memory_mb},
            {"total_gpus", s.total_gpus},
            {"free_gpus", s.free_gpus},
            {"ad", s.ad}}},
          {"instance", r.instance},
          {"reports", reports},
          {"running_attempts", r.running_attempts},
          {"max_wait_ms", r.max_wait_ms}};
}

Result<PollRequest> PollRequestFromJson(const json& j) {
  return Guard("poll request", [&] {
    PollRequest r;
    const json& s = j.at("status");
    r.status.name = s.at("name").get<std::string>();
    r.status.hostname = s.at("hostname").get<std::string>();
    r.status.total_cpus = s.at("total_cpus").get<int64_t>();
    r.status.total_memory_mb = s.at("total_memory_mb").get<int64_t>();
    r.status.free_cpus = s.at("free_cpus").get<int64_t>();
    r.status.free_memory_mb = s.at("free_memory_mb").get<int64_t>();
    r.status.queue_cpus = s.value("queue_cpus", int64_t{0});
    r.status.queue_memory_mb = s.value("queue_memory_mb", int64_t{0});
    r.status.total_gpus = s.value("total_gpus", int64_t{0});  // agents from before GPUs: none
    r.status.free_gpus = s.value("free_gpus", int64_t{0});
    if (s.contains("ad")) r.status.ad = s.at("ad").get<std::string>();
    for (const json& rep : j.at("reports")) {
      AttemptReport a;
      std::string type = rep.at("type").get<std::string>();
      a.type = type == "started"     ? AttemptReport::Type::kStarted
               : type == "finished"  ? AttemptReport::Type::kFinished
               : type == "withdrawn" ? AttemptReport::Type::kWithdrawn
                                     : AttemptReport::Type::kFailedToStart;
      a.attempt_id = rep.at("attempt_id").get<int64_t>();
      a.time = rep.at("time").get<int64_t>();
      a.start_time = rep.value("start_time", int64_t{0});  // optional: older agents omit it
      a.exit_code = rep.at("exit_code").get<int>();
      a.signal = rep.at("signal").get<int>();
      a.timed_out = rep.at("timed_out").get<bool>();
      a.oom_killed = rep.at("oom_killed").get<bool>();
      a.usage = UsageFromJson(rep.at("usage"));
      a.reason = rep.at("reason").get<std::string>();
      a.stdout_path = rep.at("stdout_path").get<std::string>();
      a.stderr_path = rep.at("stderr_path").get<std::string>();
      r.reports.push_back(std::move(a));
    }
    r.running_attempts = j.at("running_attempts").get<std::vector<int64_t>>();
    r.max_wait_ms = j.at("max_wait_ms").get<int64_t>();
    r.instance = j.value("instance", int64_t{0});
    return r;
  });
}

json PollResponseToJson(const PollResponse& r) {
  json assignments = json::array();
  for (const auto& a : r.assignments) {
    json job = {{"id", a.job->id},
                {"owner_uid", a.job->owner.uid},
                {"owner_gid", a.job->owner.gid},
                {"owner_name", a.job->owner.name},
                {"submit_time", a.job->submit_time},
                {"spec", model::JobSpecToJson(a.job->spec)}};
    assignments.push_back({{"attempt", AttemptToJson(a.attempt)},
                           {"task", TaskToJson(a.task)},
                           {"job", job},
                           {"array_task_count", a.array_task_count}});
  }
  return {{"instance", r.instance},
          {"assignments", assignments},
          {"kill_attempts", r.kill_attempts},
          {"withdraw_attempts", r.withdraw_attempts}};
}

Result<PollResponse> PollResponseFromJson(const json& j) {
  PollResponse r;
  try {
    r.kill_attempts = j.at("kill_attempts").get<std::vector<int64_t>>();
    r.instance = j.value("instance", int64_t{0});
    if (j.contains("withdraw_attempts")) {
      r.withdraw_attempts = j.at("withdraw_attempts").get<std::vector<int64_t>>();
    }
    // An array's tasks share their job: it is decoded once (its ids may be a million).
    std::map<int64_t, std::shared_ptr<const model::Job>> jobs;
    for (const json& a : j.at("assignments")) {
      Assignment as;
      GANTRY_ASSIGN_OR_RETURN(as.attempt, AttemptFromJson(a.at("attempt")));
      GANTRY_ASSIGN_OR_RETURN(as.task, TaskFromJson(a.at("task")));
      as.array_task_count = a.at("array_task_count").get<int64_t>();
      const json& jj = a.at("job");
      int64_t job_id = jj.at("id").get<int64_t>();
      if (auto seen = jobs.find(job_id); seen != jobs.end()) {
        as.job = seen->second;
        r.assignments.push_back(std::move(as));
        continue;
      }
      auto job = std::make_shared<model::Job>();
      job->id = job_id;
      job->owner.uid = jj.at("owner_uid").get<uint32_t>();
      job->owner.gid = jj.at("owner_gid").get<uint32_t>();
      job->owner.name = jj.at("owner_name").get<std::string>();
      job->submit_time = jj.at("submit_time").get<int64_t>();
      GANTRY_ASSIGN_OR_RETURN(job->spec, model::JobSpecFromJson(jj.at("spec")));
      as.job = jobs[job_id] = std::move(job);
      r.assignments.push_back(std::move(as));
    }
  } catch (const json::exception& e) {
    return Fail(InvalidArgument(std::string("malformed poll response: ") + e.what()));
  }
  return r;
}

}  // namespace gantry::wire
