#include "api/routes.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <semaphore>
#include <thread>
#include <type_traits>

#include "api/peek_hub.h"
#include "base/as_user.h"
#include "base/strings.h"
#include "model/job_spec_json.h"
#include "model/selectors.h"
#include "wire/json.h"

namespace gantry::api {
namespace {

using net::HttpRequest;
using net::HttpResponse;

constexpr int64_t kMaxWaitMs = 60'000;
constexpr int64_t kMaxOutputChunk = 1 << 20;
constexpr int64_t kMaxQueueLimit = 100'000;
constexpr int64_t kDefaultHistoryLimit = 10'000;

// Read-only queries (q, status) run at most one per core at a time; the others wait asleep.
// With a hundred clients polling, a hundred runnable handler threads would otherwise take the
// CPUs from the agents and the jobs themselves (the scheduler shares time per thread), and
// work would stop flowing while everyone watched it.
class QueryLimit {
 public:
  QueryLimit() : slots_(std::max<unsigned>(2, std::thread::hardware_concurrency())) {}
  template <typename F>
  auto Run(F f) {
    slots_.acquire();
    struct Release {
      std::counting_semaphore<1024>& s;
      ~Release() { s.release(); }
    } release{slots_};
    return f();
  }

 private:
  std::counting_semaphore<1024> slots_;
};

QueryLimit& Queries() {
  static QueryLimit limit;
  return limit;
}

// What each endpoint needs of a token (docs/security.md).
constexpr identity::Scope kRead = identity::Scope::kComputeRead;
constexpr identity::Scope kCreate = identity::Scope::kComputeCreate;
constexpr identity::Scope kCancel = identity::Scope::kComputeCancel;
constexpr identity::Scope kAgent = identity::Scope::kAgent;

// Whether an authenticated caller may use an endpoint that needs scope.
Status Permit(const model::Identity& who, identity::Scope scope) {
  bool agent = who.kind == identity::Kind::kAgent;
  if (scope == identity::Scope::kAgent) {
    // An agent's credential passes the agent routes, and no other route lets it in (below).
    if (agent) return {};
    if (!who.grants.admin) {
      return Fail(PermissionDenied(
          "only the server's own user (or root) or an agent credential may run an agent"));
    }
    return {};
  }
  if (agent) {
    return Fail(PermissionDenied("the agent credential of " + who.Display() +
                                 " may only use the agent protocol"));
  }
  return RequireScope(who, scope);
}

// The policy's submit rules for the job's partition (docs/security.md); admins pass.
Status MaySubmit(const AuthConfig& config, const model::Identity& who,
                 const std::string& partition) {
  if (!config.site || who.grants.admin) return {};
  identity::Decision decision = config.site->policy.CanSubmit(who, partition);
  if (!decision) return Fail(PermissionDenied(decision.reason));
  return {};
}

}  // namespace

net::Handler Authed(const AuthConfig& config, identity::Scope scope, AuthedHandler f) {
  return [&config, scope, f = std::move(f)](const HttpRequest& request) -> HttpResponse {
    auto authed = Authenticate(request, config);
    if (!authed) return AuthErrorReply(authed.error());
    if (auto permitted = Permit(*authed, scope); !permitted) {
      // A token without the scope the endpoint needs: the challenge names it (RFC 6750).
      if (authed->kind != identity::Kind::kLocal && !authed->scopes.Has(scope)) {
        return InsufficientScopeReply(permitted.error(), scope);
      }
      return ErrorReply(permitted.error());
    }
    Result<HttpResponse> reply = f(request, *authed);
    if (!reply) return ErrorReply(reply.error());
    return *reply;
  };
}

HttpResponse JsonReply(const json& body, int status) {
  HttpResponse r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

namespace {

Result<model::TaskRef> RefParam(const HttpRequest& request) {
  return model::ParseTaskRef(request.Param("id"));
}

Result<int64_t> IntQuery(const HttpRequest& request, std::string_view key, int64_t fallback) {
  std::string_view text = request.Query(key);
  if (text.empty()) return fallback;
  auto v = ParseInt(text);
  if (!v) {
    return Fail(InvalidArgument("query parameter '" + std::string(key) +
                                "' must be an integer, got '" + std::string(text) + "'"));
  }
  return *v;
}

// GET /v1/jobs's parameters (docs/api.md): squeue's state and job-id lists, paging.
Result<broker::QueueFilter> QueueFilterFrom(const HttpRequest& request) {
  broker::QueueFilter f;
  f.include_finished = request.Query("all") == "1" || request.Query("all") == "true";
  if (auto s = request.Query("state"); !s.empty()) {
    GANTRY_ASSIGN_OR_RETURN(f.states, model::ParseStateList(s));
    if (std::any_of(f.states.begin(), f.states.end(), model::IsTerminal)) f.include_finished = true;
  }
  if (auto u = request.Query("user"); !u.empty()) f.user = std::string(u);
  if (auto n = request.Query("name"); !n.empty()) f.name = std::string(n);
  if (auto j = request.Query("job"); !j.empty()) {
    GANTRY_ASSIGN_OR_RETURN(f.jobs, model::ParseJobList(j));
  }
  if (!request.Query("limit").empty()) {
    GANTRY_ASSIGN_OR_RETURN(int64_t limit, IntQuery(request, "limit", 0));
    if (limit < 1 || limit > kMaxQueueLimit) {
      return Fail(InvalidArgument("query parameter 'limit' must be between 1 and " +
                                  std::to_string(kMaxQueueLimit) + ", got " +
                                  std::to_string(limit)));
    }
    f.limit = limit;
  } else if (f.include_finished) {
    f.limit = kDefaultHistoryLimit;
  }
  if (!request.Query("cursor").empty()) {
    GANTRY_ASSIGN_OR_RETURN(int64_t cursor, IntQuery(request, "cursor", 0));
    if (cursor < 1) {
      return Fail(InvalidArgument("query parameter 'cursor' must be a next_cursor this server "
                                  "gave, got " + std::to_string(cursor)));
    }
    f.cursor = cursor;
  }
  return f;
}

// Reads up to max bytes of path from offset, with the job owner's rights: the path and the
// file are the user's, and a root server must not follow a symlink the user put there to a
// file only root may read. A missing file reads as empty: the job may not have written
// anything yet.
Result<std::string> ReadChunk(const std::string& path, const model::Owner& owner, int64_t offset,
                              int64_t max) {
  auto fd = OpenAsUser(path, O_RDONLY, {.uid = owner.uid, .gid = owner.gid, .name = owner.name});
  if (!fd) {
    if (fd.error().code() == ErrorCode::kNotFound) return std::string();
    return Fail(fd.error().Wrap("cannot read output file as its job's owner " + owner.name));
  }
  std::string out(static_cast<size_t>(max), '\0');
  ssize_t n = pread(*fd, out.data(), out.size(), offset);
  int err = errno;
  close(*fd);
  if (n < 0) return Fail(ErrnoError("cannot read output file " + path, err));
  out.resize(static_cast<size_t>(n));
  return out;
}

}  // namespace

int HttpStatus(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return 400;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kPermissionDenied: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kAlreadyExists:
    case ErrorCode::kFailedPrecondition: return 409;
    case ErrorCode::kResourceExhausted: return 507;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kDeadlineExceeded: return 504;
    case ErrorCode::kCancelled:
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

HttpResponse ErrorReply(const Error& error) {
  return JsonReply({{"error", error.message()}, {"code", ErrorCodeName(error.code())}},
                   HttpStatus(error.code()));
}

void AddRoutes(net::Router& router, broker::Broker& broker, const AuthConfig& config,
               PeekHub* peeks) {
  using model::Identity;
  // Any caller, an agent's credential too: it says who the server thinks you are.
  router.Add("GET", "/v1/whoami", [&config](const HttpRequest& request) -> HttpResponse {
    auto authed = Authenticate(request, config);
    if (!authed) return AuthErrorReply(authed.error());
    const Identity& id = *authed;
    return JsonReply({{"uid", id.uid},
                      {"user", id.kind == identity::Kind::kAgent ? id.subject : id.local_account},
                      {"admin", id.grants.admin},
                      {"kind", identity::KindName(id.kind)},
                      {"subject", id.subject},
                      {"issuer", id.issuer},
                      {"vo", id.vo},
                      {"groups", id.groups},
                      {"roles", id.roles},
                      {"scopes", id.scopes.ToString()},
                      {"see_vos", id.grants.see_vos},
                      {"steer_agents", id.grants.steer_agents}});
  });

  router.Add("POST", "/v1/jobs", Authed(config, kCreate, [&broker, &config](
                                                          const HttpRequest& req,
                                                          const Identity& a)
                                                          -> Result<HttpResponse> {
    GANTRY_ASSIGN_OR_RETURN(json body, wire::ParseJson(req.body));
    GANTRY_ASSIGN_OR_RETURN(model::JobSpec spec, model::JobSpecFromJson(body));
    GANTRY_RETURN_IF_ERROR(MaySubmit(config, a, spec.partition));
    GANTRY_ASSIGN_OR_RETURN(broker::SubmitResult result, broker.Submit(a, std::move(spec)));
    return JsonReply(wire::SubmitResultToJson(result), 201);
  }));

  router.Add("GET", "/v1/jobs", Authed(config, kRead, [&broker](const HttpRequest& req,
                                                         const Identity& c)
                                                  -> Result<HttpResponse> {
    GANTRY_ASSIGN_OR_RETURN(broker::QueueFilter filter, QueueFilterFrom(req));
    return Queries().Run([&]() -> Result<HttpResponse> {
      GANTRY_ASSIGN_OR_RETURN(broker::QueuePage page, broker.Queue(c, filter));
      json out = json::array();
      for (const auto& row : page.rows) out.push_back(wire::SummaryToJson(row));
      json reply = {{"jobs", out}};
      if (page.next_cursor) reply["next_cursor"] = std::to_string(*page.next_cursor);
      return JsonReply(reply);
    });
  }));

  router.Add("GET", "/v1/jobs/{id}", Authed(config, kRead, [&broker](const HttpRequest& req,
                                                              const Identity& c)
                                                       -> Result<HttpResponse> {
    GANTRY_ASSIGN_OR_RETURN(model::TaskRef ref, RefParam(req));
    return Queries().Run([&]() -> Result<HttpResponse> {
      GANTRY_ASSIGN_OR_RETURN(auto details, broker.Describe(c, ref));
      json out = json::array();
      for (const auto& d : details) out.push_back(wire::DetailToJson(d));
      return JsonReply({{"tasks", out}});
    });
  }));

  router.Add("GET", "/v1/jobs/{id}/events", Authed(config, kRead, [&broker](const HttpRequest& req,
                                                                     const Identity& c)
                                                              -> Result<HttpResponse> {
    GANTRY_ASSIGN_OR_RETURN(model::TaskRef ref, RefParam(req));
    GANTRY_ASSIGN_OR_RETURN(auto events, broker.Events(c, ref));
    json out = json::array();
    for (const auto& e : events) {
      out.push_back(wire::EventToJson(e.event));
      if (!e.tasks.empty()) out.back()["tasks"] = e.tasks;
    }
    return JsonReply({{"events", out}});
  }));

  router.Add("GET", "/v1/jobs/{id}/wait", Authed(config, kRead, [&broker](const HttpRequest& req,
                                                                   const Identity& c)
                                                            -> Result<HttpResponse> {
    GANTRY_ASSIGN_OR_RETURN(model::TaskRef ref, RefParam(req));
    GANTRY_ASSIGN_OR_RETURN(int64_t timeout, IntQuery(req, "timeout_ms", 30'000));
    GANTRY_ASSIGN_OR_RETURN(auto rows, broker.Wait(c, ref, std::clamp<int64_t>(timeout, 0,
                                                                                 kMaxWaitMs)));
    json out = json::array();
    bool ended = true;
    for (const auto& row : rows) {
      out.push_back(wire::SummaryToJson(row));
      ended &= model::IsTerminal(row.task.state);
    }
    return JsonReply({{"ended", ended}, {"tasks", out}});
  }));

  // Output is returned raw; the next offset and whether more can come are in headers.
  router.Add("GET", "/v1/jobs/{id}/output", Authed(config, kRead, [&broker, peeks](const HttpRequest& req,
                                                                     const Identity& c)
                                                              -> Result<HttpResponse> {
    GANTRY_ASSIGN_OR_RETURN(model::TaskRef ref, RefParam(req));
    GANTRY_ASSIGN_OR_RETURN(int64_t offset, IntQuery(req, "offset", 0));
    GANTRY_ASSIGN_OR_RETURN(int64_t max, IntQuery(req, "max", 65536));
    std::string_view stream = req.Query("stream", "stdout");
    if (stream != "stdout" && stream != "stderr") {
      return Fail(InvalidArgument("stream must be stdout or stderr"));
    }
    if (offset < 0 || max <= 0) return Fail(InvalidArgument("offset and max must be positive"));
    GANTRY_ASSIGN_OR_RETURN(auto details, broker.Describe(c, ref));
    int64_t tasks = 0;
    for (const auto& d : details) tasks += d.summary.count;
    if (tasks != 1) {
      return Fail(InvalidArgument("job " + ref.ToString() + " is an array of " +
                                  std::to_string(tasks) +
                                  " tasks: name one, e.g. " + ref.ToString() + "_" +
                                  std::to_string(details[0].summary.task.array_index.value_or(0))));
    }
    const broker::TaskDetail& d = details[0];
    std::string path;
    if (!d.attempts.empty()) {
      const model::Attempt& last = d.attempts.back();
      path = stream == "stdout" ? last.stdout_path : last.stderr_path;
      // Without -e, stderr goes to the stdout file: it has no stream of its own.
      if (stream == "stderr" && path == last.stdout_path) path.clear();
    }
    bool ended = model::IsTerminal(d.summary.task.state);
    std::string data;
    bool peeked = false;
    // A running attempt on an agent without a shared filesystem: its output is in the
    // agent's sandbox until it ends, and is asked for one chunk at a time (condor_tail).
    if (peeks && !ended && !path.empty() && d.attempts.back().end_time == 0) {
      const model::Attempt& last = d.attempts.back();
      auto answer = peeks->Peek(last.agent, last.id, std::string(stream), offset, max,
                                std::chrono::seconds(10));
      if (answer && answer->found) {
        data = std::move(answer->data);
        peeked = true;
      }
    }
    if (!path.empty() && !peeked) {
      GANTRY_ASSIGN_OR_RETURN(data, ReadChunk(path, d.job.owner, offset, std::min(max, kMaxOutputChunk)));
    }
    HttpResponse r;
    r.content_type = "application/octet-stream";
    r.headers.emplace_back("X-Gantry-Next-Offset", std::to_string(offset + data.size()));
    r.headers.emplace_back("X-Gantry-Job-Ended", ended ? "1" : "0");
    r.headers.emplace_back("X-Gantry-Path", path);
    r.body = std::move(data);
    return r;
  }));

  auto steer = [&](std::string_view verb, identity::Scope scope,
                   Result<int64_t> (broker::Broker::*method)(const Identity&,
                                                             const model::TaskRef&)) {
    router.Add("POST", "/v1/jobs/{id}/" + std::string(verb),
               Authed(config, scope, [&broker, method](const HttpRequest& req, const Identity& c)
                                  -> Result<HttpResponse> {
                 GANTRY_ASSIGN_OR_RETURN(model::TaskRef ref, RefParam(req));
                 GANTRY_ASSIGN_OR_RETURN(int64_t n, (broker.*method)(c, ref));
                 return JsonReply({{"changed", n}});
               }));
  };
  steer("cancel", identity::Scope::kComputeCancel, &broker::Broker::Cancel);
  steer("hold", identity::Scope::kComputeModify, &broker::Broker::Hold);
  steer("release", identity::Scope::kComputeModify, &broker::Broker::Release);

  router.Add("POST", "/v1/cancel-all",
             Authed(config, kCancel, [&broker](const HttpRequest&,
                                                                const Identity& c)
                                                         -> Result<HttpResponse> {
    GANTRY_ASSIGN_OR_RETURN(int64_t n, broker.CancelAll(c));
    return JsonReply({{"changed", n}});
  }));

  router.Add("POST", "/v1/agents/{name}/poll",
             Authed(config, kAgent, [&broker](const HttpRequest& req,
                                                                        const Identity& c)
                                                                 -> Result<HttpResponse> {
    GANTRY_ASSIGN_OR_RETURN(json body, wire::ParseJson(req.body));
    GANTRY_ASSIGN_OR_RETURN(broker::PollRequest poll, wire::PollRequestFromJson(body));
    poll.agent_id = std::string(req.Param("name"));
    poll.max_wait_ms = std::clamp<int64_t>(poll.max_wait_ms, 0, kMaxWaitMs);
    GANTRY_ASSIGN_OR_RETURN(broker::PollResponse out, broker.Poll(poll, &c));
    return JsonReply(wire::PollResponseToJson(out));
  }));

  router.Add("POST", "/v1/agents/{name}/leave",
             Authed(config, kAgent, [&broker](const HttpRequest& req,
                                              const Identity&) -> Result<HttpResponse> {
    int64_t instance = 0;  // older agents send {}
    if (!req.body.empty()) {
      GANTRY_ASSIGN_OR_RETURN(json body, wire::ParseJson(req.body));
      if (body.is_object() && body.contains("instance") && body["instance"].is_number_integer()) {
        instance = body["instance"].get<int64_t>();
      }
    }
    GANTRY_RETURN_IF_ERROR(broker.Leave(std::string(req.Param("name")), instance));
    return JsonReply(json::object());
  }));

  router.Add("POST", "/v1/agents/{name}/wake",
             Authed(config, kAgent, [&broker](const HttpRequest& req,
                                              const Identity&) -> Result<HttpResponse> {
    broker.Wake(std::string(req.Param("name")));
    return JsonReply(json::object());
  }));

  AddAgentRoutes(router, broker, config);
  AddSandboxRoutes(router, broker, config, peeks);
  AddTokenRoutes(router, config);
}

}  // namespace gantry::api
