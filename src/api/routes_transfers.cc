#include "api/routes_transfers.h"

#include "api/routes.h"
#include "base/strings.h"
#include "catalog/catalog_json.h"
#include "transfer/transfer_json.h"

namespace gantry::api {
namespace {

using net::HttpRequest;
using net::HttpResponse;
using nlohmann::json;
using transfer::TransferService;

using Handler = std::function<Result<HttpResponse>(const HttpRequest&, const model::Identity&)>;

net::Handler TransferAuthed(const AuthConfig& config, Handler f) {
  return [&config, f = std::move(f)](const HttpRequest& request) -> HttpResponse {
    auto who = Authenticate(request, config);
    if (!who) return AuthErrorReply(who.error());
    if (who->kind == model::IdentityKind::kAgent) {
      return ErrorReply(PermissionDenied("the agent credential of " + who->Display() +
                                         " may only use the agent protocol"));
    }
    Result<HttpResponse> reply = f(request, *who);
    if (!reply) return ErrorReply(reply.error());
    return *reply;
  };
}

std::string Text(const json& body, const char* key) {
  return body.is_object() && body.contains(key) && body[key].is_string()
             ? body[key].get<std::string>()
             : std::string();
}

Result<int64_t> Number(const json& body, const char* key, int64_t fallback) {
  if (!body.is_object() || !body.contains(key)) return fallback;
  if (!body[key].is_number_integer()) {
    return Fail(InvalidArgument(std::string("'") + key + "' must be an integer"));
  }
  return body[key].get<int64_t>();
}

Result<int64_t> IdParam(const HttpRequest& req) {
  auto id = ParseInt(req.Param("id"));
  if (!id || *id <= 0) {
    return Fail(InvalidArgument("'" + std::string(req.Param("id")) + "' is not a transfer id"));
  }
  return *id;
}

bool Sees(const model::Identity& who, const transfer::Transfer& t) {
  return who.grants.admin || t.request.owner == who.Display();
}

}  // namespace

void AddTransferRoutes(net::Router& router, TransferService& service, const AuthConfig& config) {
  router.Add("POST", "/v1/transfers",
             TransferAuthed(config, [&service](const HttpRequest& req, const model::Identity& who)
                                        -> Result<HttpResponse> {
               GANTRY_ASSIGN_OR_RETURN(json body, catalog::ParseBody(req.body));
               GANTRY_ASSIGN_OR_RETURN(int64_t priority, Number(body, "priority", 3));
               std::vector<int64_t> ids;
               if (!Text(body, "did").empty()) {
                 GANTRY_ASSIGN_OR_RETURN(catalog::Did did, catalog::ParseDid(Text(body, "did")));
                 std::string rse = Text(body, "rse");
                 if (rse.empty()) return Fail(InvalidArgument("name the destination 'rse'"));
                 GANTRY_ASSIGN_OR_RETURN(ids, service.Replicate(who, did, rse,
                                                                static_cast<int>(priority)));
               } else if (!Text(body, "source").empty()) {
                 GANTRY_ASSIGN_OR_RETURN(
                     int64_t id, service.CopyUrl(who, Text(body, "source"),
                                                 Text(body, "destination"),
                                                 static_cast<int>(priority)));
                 ids.push_back(id);
               } else {
                 return Fail(InvalidArgument("name a 'did' and an 'rse', or a 'source' and a "
                                             "'destination' URL"));
               }
               return JsonReply({{"transfers", ids}}, 201);
             }));
  router.Add("GET", "/v1/transfers",
             TransferAuthed(config, [&service](const HttpRequest& req, const model::Identity& who)
                                        -> Result<HttpResponse> {
               std::vector<transfer::TransferState> states;
               for (const auto& s : Split(req.Query("state"), ',')) {
                 if (s.empty()) continue;
                 GANTRY_ASSIGN_OR_RETURN(auto state, transfer::ParseTransferState(s));
                 states.push_back(state);
               }
               int64_t limit = 200;
               if (auto l = req.Query("limit"); !l.empty()) {
                 auto n = ParseInt(l);
                 if (!n || *n <= 0) return Fail(InvalidArgument("limit must be a positive number"));
                 limit = *n;
               }
               GANTRY_ASSIGN_OR_RETURN(auto list, service.queue().List(states, limit));
               SystemClock clock;
               json out = json::array();
               for (const auto& t : list) {
                 if (!Sees(who, t)) continue;
                 out.push_back(transfer::TransferToJson(t, service.Progress(t.id), clock.Now()));
               }
               return JsonReply({{"transfers", out}});
             }));
  router.Add("GET", "/v1/transfers/{id}",
             TransferAuthed(config, [&service](const HttpRequest& req, const model::Identity& who)
                                        -> Result<HttpResponse> {
               GANTRY_ASSIGN_OR_RETURN(int64_t id, IdParam(req));
               GANTRY_ASSIGN_OR_RETURN(auto t, service.queue().Get(id));
               if (!Sees(who, t)) return Fail(NotFound("there is no transfer " + std::to_string(id)));
               GANTRY_ASSIGN_OR_RETURN(auto events, service.queue().Events(id));
               SystemClock clock;
               json j = transfer::TransferToJson(t, service.Progress(id), clock.Now());
               json ev = json::array();
               for (const auto& e : events) ev.push_back(transfer::EventToJson(e));
               j["events"] = ev;
               return JsonReply(j);
             }));
  router.Add("POST", "/v1/transfers/{id}/cancel",
             TransferAuthed(config, [&service](const HttpRequest& req, const model::Identity& who)
                                        -> Result<HttpResponse> {
               GANTRY_ASSIGN_OR_RETURN(int64_t id, IdParam(req));
               GANTRY_RETURN_IF_ERROR(service.Cancel(who, id));
               return JsonReply({{"ok", true}});
             }));
  router.Add("POST", "/v1/replicas/verify",
             TransferAuthed(config, [&service](const HttpRequest& req, const model::Identity& who)
                                        -> Result<HttpResponse> {
               GANTRY_ASSIGN_OR_RETURN(json body, catalog::ParseBody(req.body));
               GANTRY_ASSIGN_OR_RETURN(catalog::Did did, catalog::ParseDid(Text(body, "did")));
               GANTRY_ASSIGN_OR_RETURN(auto rows, service.Verify(who, did, Text(body, "rse")));
               json out = json::array();
               for (const auto& v : rows) {
                 out.push_back({{"did", v.did}, {"rse", v.rse}, {"state", v.state},
                                {"detail", v.detail}});
               }
               return JsonReply({{"replicas", out}});
             }));
  router.Add("GET", "/v1/links",
             TransferAuthed(config, [&service](const HttpRequest&, const model::Identity&)
                                        -> Result<HttpResponse> {
               json out = json::array();
               for (const auto& l : service.Links()) out.push_back(transfer::LinkToJson(l));
               return JsonReply({{"links", out}});
             }));
  router.Add("POST", "/v1/rules",
             TransferAuthed(config, [&service](const HttpRequest& req, const model::Identity& who)
                                        -> Result<HttpResponse> {
               GANTRY_ASSIGN_OR_RETURN(json body, catalog::ParseBody(req.body));
               GANTRY_ASSIGN_OR_RETURN(catalog::Did did, catalog::ParseDid(Text(body, "did")));
               GANTRY_ASSIGN_OR_RETURN(int64_t copies, Number(body, "copies", 1));
               GANTRY_ASSIGN_OR_RETURN(int64_t lifetime, Number(body, "lifetime", 0));
               std::string expression = Text(body, "rse_expression");
               if (expression.empty()) return Fail(InvalidArgument("the rule needs an 'rse_expression'"));
               GANTRY_ASSIGN_OR_RETURN(int64_t id, service.AddRule(who, did, static_cast<int>(copies),
                                                                   expression, lifetime));
               GANTRY_ASSIGN_OR_RETURN(auto rule, service.queue().GetRule(id));
               return JsonReply(transfer::RuleToJson(rule), 201);
             }));
  router.Add("GET", "/v1/rules",
             TransferAuthed(config, [&service](const HttpRequest&, const model::Identity& who)
                                        -> Result<HttpResponse> {
               GANTRY_ASSIGN_OR_RETURN(auto rules, service.queue().ListRules());
               json out = json::array();
               for (const auto& r : rules) {
                 if (who.grants.admin || r.owner == who.Display() || (!who.vo.empty() && r.vo == who.vo)) {
                   out.push_back(transfer::RuleToJson(r));
                 }
               }
               return JsonReply({{"rules", out}});
             }));
}

}  // namespace gantry::api
