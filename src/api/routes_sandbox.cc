// The agent's side of the sandboxes (docs/sandbox.md, docs/api.md "Sandboxes"):
//   PUT  /v1/agents/{name}/attempts/{attempt}/files?kind=stdout|stderr|file[&name=REL]
//        one returned file (X-Gantry-Sha256), written into the submit directory
//   POST /v1/agents/{name}/attempts/{attempt}/sandbox   what came back and what did not
//   POST /v1/agents/{name}/peeks?wait_ms=N              peek requests (gantry logs -f)
//   PUT  /v1/agents/{name}/peeks/{id}?found=0|1         one answer
#include "api/peek_hub.h"
#include "api/returned_file.h"
#include "api/routes.h"
#include "wire/json.h"
#include "base/strings.h"
#include "model/limits.h"
#include "model/sandbox.h"

namespace gantry::api {
namespace {

using net::HttpRequest;
using net::HttpResponse;
constexpr identity::Scope kAgent = identity::Scope::kAgent;

Result<int64_t> IntPart(std::string_view text, std::string_view what) {
  auto v = ParseInt(text);
  if (!v) {
    return Fail(InvalidArgument(std::string(what) + " must be an integer, got '" +
                                std::string(text) + "'"));
  }
  return *v;
}

model::Actor AgentActor(const std::string& agent, const model::Identity& credential) {
  model::Actor by = model::Actor::System("agent:" + agent);
  by.subject = credential.subject;
  by.issuer = credential.issuer;
  by.vo = credential.vo;
  return by;
}

// Where a returned file goes on the submit host: the attempt's stdout or stderr path, or a
// name the job's output sandbox lists, under its working directory. An agent cannot choose
// any other path.
Result<std::string> TargetOf(const broker::SandboxAttempt& a, std::string_view kind,
                             std::string_view name) {
  const model::JobSpec& spec = a.job->spec;
  if (kind == "stdout" || kind == "stderr") {
    const std::string& path = kind == "stdout" ? a.attempt.stdout_path : a.attempt.stderr_path;
    if (path.empty()) {
      return Fail(FailedPrecondition("attempt " + std::to_string(a.attempt.id) + " has no " +
                                     std::string(kind) + " path yet: report its start first"));
    }
    return path;
  }
  if (kind != "file") return Fail(InvalidArgument("kind must be stdout, stderr or file"));
  GANTRY_RETURN_IF_ERROR(model::CheckSandboxName("output file", name));
  for (const std::string& listed : spec.output_files) {
    if (listed == name) return spec.working_dir + "/" + listed;
  }
  return Fail(PermissionDenied("'" + std::string(name) + "' is not in the output sandbox of job " +
                               std::to_string(a.job->id)));
}

}  // namespace

void AddSandboxRoutes(net::Router& router, broker::Broker& broker, const AuthConfig& config,
                      PeekHub* peeks) {
  router.Add("PUT", "/v1/agents/{name}/attempts/{attempt}/files",
             Authed(config, kAgent, [&broker](const HttpRequest& req, const model::Identity&)
                                        -> Result<HttpResponse> {
    std::string agent(req.Param("name"));
    GANTRY_ASSIGN_OR_RETURN(int64_t attempt_id, IntPart(req.Param("attempt"), "the attempt id"));
    GANTRY_ASSIGN_OR_RETURN(broker::SandboxAttempt a, broker.SandboxAttemptOf(agent, attempt_id));
    GANTRY_ASSIGN_OR_RETURN(std::string target, TargetOf(a, req.Query("kind"), req.Query("name")));
    std::string_view sum = req.Header("x-gantry-sha256");
    if (sum.empty()) return Fail(InvalidArgument("a returned file needs X-Gantry-Sha256"));
    // stdout and stderr follow --open-mode; the named files are replaced.
    bool append = req.Query("kind") != "file" &&
                  a.job->spec.open_mode == model::JobSpec::OpenMode::kAppend;
    const model::Owner& o = a.job->owner;
    GANTRY_RETURN_IF_ERROR(WriteReturnedFile(
        {target, req.body, std::string(sum), append, attempt_id}, {o.uid, o.gid, o.name}));
    return JsonReply({{"path", target}, {"bytes", req.body.size()}});
  }));

  // {"returned": [{"name", "bytes"}], "missing": [{"name", "why"}]}: one event for what came
  // back, one per file that did not (the job did not write it, it was too big, the submit
  // host could not take it).
  router.Add("POST", "/v1/agents/{name}/attempts/{attempt}/sandbox",
             Authed(config, kAgent, [&broker](const HttpRequest& req, const model::Identity& c)
                                        -> Result<HttpResponse> {
    std::string agent(req.Param("name"));
    GANTRY_ASSIGN_OR_RETURN(int64_t attempt_id, IntPart(req.Param("attempt"), "the attempt id"));
    GANTRY_ASSIGN_OR_RETURN(broker::SandboxAttempt a, broker.SandboxAttemptOf(agent, attempt_id));
    GANTRY_ASSIGN_OR_RETURN(json body, wire::ParseJson(req.body));
    if (!body.is_object()) return Fail(InvalidArgument("the sandbox report must be an object"));
    model::Actor by = AgentActor(agent, c);
    std::vector<broker::AttemptNote> notes;
    std::string returned;
    int64_t bytes = 0;
    for (const json& f : body.value("returned", json::array())) {
      if (!f.is_object() || !f.value("name", json()).is_string()) continue;
      returned += (returned.empty() ? "" : ", ") + f["name"].get<std::string>();
      if (f.value("bytes", json()).is_number_integer()) bytes += f["bytes"].get<int64_t>();
    }
    if (!returned.empty()) {
      notes.push_back({"output-returned", "returned to the submit host (" +
                                              model::ByteSize(bytes) +
                                              ", sha256 verified): " + returned});
    }
    int64_t missing = 0;
    for (const json& f : body.value("missing", json::array())) {
      if (!f.is_object() || !f.value("name", json()).is_string()) continue;
      std::string why = f.value("why", json()).is_string() ? f["why"].get<std::string>() : "";
      notes.push_back({"output-missing", "output file " + f["name"].get<std::string>() +
                                             " of attempt " + std::to_string(a.attempt.number) +
                                             " was not returned: " + why});
      ++missing;
    }
    // One transaction for the whole report.
    GANTRY_RETURN_IF_ERROR(broker.NoteAttempt(attempt_id, notes, by));
    return JsonReply({{"missing", missing}});
  }));

  if (peeks == nullptr) return;
  router.Add("POST", "/v1/agents/{name}/peeks",
             Authed(config, kAgent, [peeks](const HttpRequest& req, const model::Identity&)
                                        -> Result<HttpResponse> {
    int64_t wait_ms = 20'000;
    if (!req.Query("wait_ms").empty()) {
      GANTRY_ASSIGN_OR_RETURN(wait_ms, IntPart(req.Query("wait_ms"), "wait_ms"));
    }
    auto requests = peeks->Wait(std::string(req.Param("name")),
                                std::chrono::milliseconds(std::clamp<int64_t>(wait_ms, 0, 60'000)));
    json out = json::array();
    for (const PeekHub::Request& r : requests) {
      out.push_back({{"id", r.id},
                     {"attempt_id", r.attempt_id},
                     {"stream", r.stream},
                     {"offset", r.offset},
                     {"max", r.max}});
    }
    return JsonReply({{"peeks", out}});
  }));
  router.Add("PUT", "/v1/agents/{name}/peeks/{id}",
             Authed(config, kAgent, [peeks](const HttpRequest& req, const model::Identity&)
                                        -> Result<HttpResponse> {
    GANTRY_ASSIGN_OR_RETURN(int64_t id, IntPart(req.Param("id"), "the peek id"));
    peeks->Reply(id, {req.Query("found") == "1", req.body});
    return JsonReply(json::object());
  }));
}

}  // namespace gantry::api
