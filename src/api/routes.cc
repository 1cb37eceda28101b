#include "api/routes.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <semaphore>
#include <thread>

#include "api/wire.h"
#include "base/strings.h"
#include "model/job_spec_json.h"

namespace gantry::api {
namespace {

using net::HttpRequest;
using net::HttpResponse;

constexpr int64_t kMaxWaitMs = 60'000;
constexpr int64_t kMaxOutputChunk = 1 << 20;

HttpResponse JsonReply(const json& body, int status = 200) {
  HttpResponse r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

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

// Wraps a handler body that needs the caller and may fail.
template <typename F>
net::Handler Authed(const AuthConfig& config, F f) {
  return [&config, f](const HttpRequest& request) -> HttpResponse {
    auto caller = Authenticate(request, config);
    if (!caller) return ErrorReply(caller.error());
    Result<HttpResponse> reply = f(request, *caller);
    if (!reply) return ErrorReply(reply.error());
    return *reply;
  };
}

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

Result<broker::QueueFilter> QueueFilterFrom(const HttpRequest& request) {
  broker::QueueFilter f;
  f.include_finished = request.Query("all") == "1" || request.Query("all") == "true";
  if (auto s = request.Query("state"); !s.empty()) {
    auto state = model::ParseState(s);
    if (!state) {
      return Fail(InvalidArgument("unknown state '" + std::string(s) +
                                  "': expected one of SUBMITTED, WAITING, READY, SCHEDULED, "
                                  "RUNNING, DONE, FAILED, CANCELLED, HELD"));
    }
    f.state = *state;
    if (model::IsTerminal(*state)) f.include_finished = true;
  }
  if (auto u = request.Query("user"); !u.empty()) f.user = std::string(u);
  if (auto n = request.Query("name"); !n.empty()) f.name = std::string(n);
  if (auto j = request.Query("job"); !j.empty()) {
    GANTRY_ASSIGN_OR_RETURN(int64_t id, IntQuery(request, "job", 0));
    f.job_id = id;
  }
  return f;
}

// Reads up to max bytes of path from offset. A missing file reads as empty: the job may not
// have written anything yet.
Result<std::string> ReadChunk(const std::string& path, int64_t offset, int64_t max) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::string();
    return Fail(ErrnoError("cannot read output file " + path, errno));
  }
  std::string out(static_cast<size_t>(max), '\0');
  ssize_t n = pread(fd, out.data(), out.size(), offset);
  int err = errno;
  close(fd);
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

void AddRoutes(net::Router& router, broker::Broker& broker, const AuthConfig& config) {
  using broker::Caller;
  router.Add("GET", "/v1/whoami", Authed(config, [](const HttpRequest&, const Caller& c)
                                             -> Result<HttpResponse> {
    return JsonReply({{"uid", c.uid}, {"user", c.name}, {"admin", c.admin}});
  }));

  router.Add("POST", "/v1/jobs", Authed(config, [&broker](const HttpRequest& req,
                                                          const Caller& c) -> Result<HttpResponse> {
    GANTRY_ASSIGN_OR_RETURN(json body, ParseJson(req.body));
    GANTRY_ASSIGN_OR_RETURN(model::JobSpec spec, model::JobSpecFromJson(body));
    GANTRY_ASSIGN_OR_RETURN(broker::SubmitResult result, broker.Submit(c, std::move(spec)));
    return JsonReply(SubmitResultToJson(result), 201);
  }));

  router.Add("GET", "/v1/jobs", Authed(config, [&broker](const HttpRequest& req,
                                                         const Caller& c) -> Result<HttpResponse> {
    GANTRY_ASSIGN_OR_RETURN(broker::QueueFilter filter, QueueFilterFrom(req));
    return Queries().Run([&]() -> Result<HttpResponse> {
      GANTRY_ASSIGN_OR_RETURN(auto rows, broker.Queue(c, filter));
      json out = json::array();
      for (const auto& row : rows) out.push_back(SummaryToJson(row));
      return JsonReply({{"jobs", out}});
    });
  }));

  router.Add("GET", "/v1/jobs/{id}", Authed(config, [&broker](const HttpRequest& req,
                                                              const Caller& c)
                                                       -> Result<HttpResponse> {
    GANTRY_ASSIGN_OR_RETURN(model::TaskRef ref, RefParam(req));
    return Queries().Run([&]() -> Result<HttpResponse> {
      GANTRY_ASSIGN_OR_RETURN(auto details, broker.Describe(c, ref));
      json out = json::array();
      for (const auto& d : details) out.push_back(DetailToJson(d));
      return JsonReply({{"tasks", out}});
    });
  }));

  router.Add("GET", "/v1/jobs/{id}/events", Authed(config, [&broker](const HttpRequest& req,
                                                                     const Caller& c)
                                                              -> Result<HttpResponse> {
    GANTRY_ASSIGN_OR_RETURN(model::TaskRef ref, RefParam(req));
    GANTRY_ASSIGN_OR_RETURN(auto events, broker.Events(c, ref));
    json out = json::array();
    for (const auto& e : events) {
      out.push_back(EventToJson(e.event));
      if (!e.tasks.empty()) out.back()["tasks"] = e.tasks;
    }
    return JsonReply({{"events", out}});
  }));

  router.Add("GET", "/v1/jobs/{id}/wait", Authed(config, [&broker](const HttpRequest& req,
                                                                   const Caller& c)
                                                            -> Result<HttpResponse> {
    GANTRY_ASSIGN_OR_RETURN(model::TaskRef ref, RefParam(req));
    GANTRY_ASSIGN_OR_RETURN(int64_t timeout, IntQuery(req, "timeout_ms", 30'000));
    GANTRY_ASSIGN_OR_RETURN(auto rows, broker.Wait(c, ref, std::clamp<int64_t>(timeout, 0,
                                                                                 kMaxWaitMs)));
    json out = json::array();
    bool ended = true;
    for (const auto& row : rows) {
      out.push_back(SummaryToJson(row));
      ended &= model::IsTerminal(row.task.state);
    }
    return JsonReply({{"ended", ended}, {"tasks", out}});
  }));

  // Output is returned raw; the next offset and whether more can come are in headers.
  router.Add("GET", "/v1/jobs/{id}/output", Authed(config, [&broker](const HttpRequest& req,
                                                                     const Caller& c)
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
    if (!path.empty()) {
      GANTRY_ASSIGN_OR_RETURN(data, ReadChunk(path, offset, std::min(max, kMaxOutputChunk)));
    }
    HttpResponse r;
    r.content_type = "application/octet-stream";
    r.headers.emplace_back("X-Gantry-Next-Offset", std::to_string(offset + data.size()));
    r.headers.emplace_back("X-Gantry-Job-Ended", ended ? "1" : "0");
    r.headers.emplace_back("X-Gantry-Path", path);
    r.body = std::move(data);
    return r;
  }));

  auto steer = [&](std::string_view verb,
                   Result<int64_t> (broker::Broker::*method)(const Caller&, const model::TaskRef&)) {
    router.Add("POST", "/v1/jobs/{id}/" + std::string(verb),
               Authed(config, [&broker, method](const HttpRequest& req, const Caller& c)
                                  -> Result<HttpResponse> {
                 GANTRY_ASSIGN_OR_RETURN(model::TaskRef ref, RefParam(req));
                 GANTRY_ASSIGN_OR_RETURN(int64_t n, (broker.*method)(c, ref));
                 return JsonReply({{"changed", n}});
               }));
  };
  steer("cancel", &broker::Broker::Cancel);
  steer("hold", &broker::Broker::Hold);
  steer("release", &broker::Broker::Release);

  router.Add("POST", "/v1/cancel-all", Authed(config, [&broker](const HttpRequest&,
                                                                const Caller& c)
                                                         -> Result<HttpResponse> {
    GANTRY_ASSIGN_OR_RETURN(int64_t n, broker.CancelAll(c));
    return JsonReply({{"changed", n}});
  }));

  router.Add("POST", "/v1/agents/{name}/poll", Authed(config, [&broker](const HttpRequest& req,
                                                                        const Caller& c)
                                                                 -> Result<HttpResponse> {
    if (!c.admin) {
      return Fail(PermissionDenied("only the server's own user (or root) may run an agent"));
    }
    GANTRY_ASSIGN_OR_RETURN(json body, ParseJson(req.body));
    GANTRY_ASSIGN_OR_RETURN(broker::PollRequest poll, PollRequestFromJson(body));
    poll.agent_id = std::string(req.Param("name"));
    poll.max_wait_ms = std::clamp<int64_t>(poll.max_wait_ms, 0, kMaxWaitMs);
    GANTRY_ASSIGN_OR_RETURN(broker::PollResponse out, broker.Poll(poll));
    return JsonReply(PollResponseToJson(out));
  }));

  router.Add("POST", "/v1/agents/{name}/leave", Authed(config, [&broker](const HttpRequest& req,
                                                                         const Caller& c)
                                                                  -> Result<HttpResponse> {
    if (!c.admin) {
      return Fail(PermissionDenied("only the server's own user (or root) may run an agent"));
    }
    int64_t instance = 0;  // older agents send {}
    if (!req.body.empty()) {
      GANTRY_ASSIGN_OR_RETURN(json body, ParseJson(req.body));
      if (body.is_object() && body.contains("instance") && body["instance"].is_number_integer()) {
        instance = body["instance"].get<int64_t>();
      }
    }
    GANTRY_RETURN_IF_ERROR(broker.Leave(std::string(req.Param("name")), instance));
    return JsonReply(json::object());
  }));

  router.Add("POST", "/v1/agents/{name}/wake", Authed(config, [&broker](const HttpRequest& req,
                                                                        const Caller& c)
                                                                 -> Result<HttpResponse> {
    if (!c.admin) {
      return Fail(PermissionDenied("only the server's own user (or root) may run an agent"));
    }
    broker.Wake(std::string(req.Param("name")));
    return JsonReply(json::object());
  }));
}

}  // namespace gantry::api
