#include "api/routes_transfers.h"

#include "api/data_routes.h"
#include "api/routes.h"
#include "base/strings.h"
#include "catalog/catalog_json.h"
#include "transfer/transfer_json.h"

namespace gantry::api {
namespace {

using net::HttpResponse;
using nlohmann::json;
using transfer::TransferService;

Result<int64_t> IdParam(const net::HttpRequest& req) {
  auto id = ParseInt(req.Param("id"));
  if (!id || *id <= 0) {
    return Fail(InvalidArgument("'" + std::string(req.Param("id")) + "' is not a transfer id"));
  }
  return *id;
}

bool Sees(const model::Identity& who, const transfer::Transfer& t) {
  return who.grants.admin || t.request.owner == who.Display();
}

Result<catalog::Did> DidField(const json& body) {
  GANTRY_ASSIGN_OR_RETURN(std::string text, TextField(body, "did"));
  return catalog::ParseDid(text);
}

void AddQueueRoutes(DataRoutes& routes, TransferService& service) {
  routes.Add("POST", "/v1/transfers", [&service](const DataCall& c) -> Result<HttpResponse> {
    GANTRY_ASSIGN_OR_RETURN(int64_t priority, IntField(c.body, "priority", 3));
    GANTRY_ASSIGN_OR_RETURN(std::string did_text, TextField(c.body, "did", false));
    GANTRY_ASSIGN_OR_RETURN(std::string source, TextField(c.body, "source", false));
    std::vector<int64_t> ids;
    if (!did_text.empty()) {
      GANTRY_ASSIGN_OR_RETURN(catalog::Did did, catalog::ParseDid(did_text));
      GANTRY_ASSIGN_OR_RETURN(std::string rse, TextField(c.body, "rse", false));
      if (rse.empty()) return Fail(InvalidArgument("name the destination 'rse'"));
      GANTRY_ASSIGN_OR_RETURN(ids, service.Replicate(c.who, did, rse, static_cast<int>(priority)));
    } else if (!source.empty()) {
      GANTRY_ASSIGN_OR_RETURN(std::string destination, TextField(c.body, "destination", false));
      GANTRY_ASSIGN_OR_RETURN(
          int64_t id, service.CopyUrl(c.who, source, destination, static_cast<int>(priority)));
      ids.push_back(id);
    } else {
      return Fail(
          InvalidArgument("name a 'did' and an 'rse', or a 'source' and a 'destination' URL"));
    }
    return JsonReply({{"transfers", ids}}, 201);
  });
  routes.Add("GET", "/v1/transfers", [&service](const DataCall& c) -> Result<HttpResponse> {
    std::vector<transfer::TransferState> states;
    for (const auto& s : Split(c.req.Query("state"), ',')) {
      if (s.empty()) continue;
      GANTRY_ASSIGN_OR_RETURN(auto state, transfer::ParseTransferState(s));
      states.push_back(state);
    }
    GANTRY_ASSIGN_OR_RETURN(int64_t limit, LimitQuery(c.req, 200));
    GANTRY_ASSIGN_OR_RETURN(auto list, service.queue().List(states, limit));
    SystemClock clock;
    json out = json::array();
    for (const auto& t : list) {
      if (!Sees(c.who, t)) continue;
      out.push_back(transfer::TransferToJson(t, service.Progress(t.id), clock.Now()));
    }
    return JsonReply({{"transfers", out}});
  });
  routes.Add("GET", "/v1/transfers/{id}", [&service](const DataCall& c) -> Result<HttpResponse> {
    GANTRY_ASSIGN_OR_RETURN(int64_t id, IdParam(c.req));
    GANTRY_ASSIGN_OR_RETURN(auto t, service.queue().Get(id));
    if (!Sees(c.who, t)) return Fail(NotFound("there is no transfer " + std::to_string(id)));
    GANTRY_ASSIGN_OR_RETURN(auto events, service.queue().Events(id));
    SystemClock clock;
    json j = transfer::TransferToJson(t, service.Progress(id), clock.Now());
    json ev = json::array();
    for (const auto& e : events) ev.push_back(transfer::EventToJson(e));
    j["events"] = ev;
    return JsonReply(j);
  });
  routes.Add("POST", "/v1/transfers/{id}/cancel",
             [&service](const DataCall& c) -> Result<HttpResponse> {
               GANTRY_ASSIGN_OR_RETURN(int64_t id, IdParam(c.req));
               GANTRY_RETURN_IF_ERROR(service.Cancel(c.who, id));
               return OkReply();
             });
  routes.Add("GET", "/v1/links", [&service](const DataCall&) -> Result<HttpResponse> {
    json out = json::array();
    for (const auto& l : service.Links()) out.push_back(transfer::LinkToJson(l));
    return JsonReply({{"links", out}});
  });
}

void AddRuleAndVerifyRoutes(DataRoutes& routes, TransferService& service) {
  routes.Add("POST", "/v1/replicas/verify", [&service](const DataCall& c) -> Result<HttpResponse> {
    GANTRY_ASSIGN_OR_RETURN(catalog::Did did, DidField(c.body));
    GANTRY_ASSIGN_OR_RETURN(std::string rse, TextField(c.body, "rse", false));
    GANTRY_ASSIGN_OR_RETURN(auto rows, service.Verify(c.who, did, rse));
    json out = json::array();
    for (const auto& v : rows) {
      out.push_back({{"did", v.did}, {"rse", v.rse}, {"state", v.state}, {"detail", v.detail}});
    }
    return JsonReply({{"replicas", out}});
  });
  routes.Add("POST", "/v1/rules", [&service](const DataCall& c) -> Result<HttpResponse> {
    GANTRY_ASSIGN_OR_RETURN(catalog::Did did, DidField(c.body));
    GANTRY_ASSIGN_OR_RETURN(int64_t copies, IntField(c.body, "copies", 1));
    GANTRY_ASSIGN_OR_RETURN(int64_t lifetime, IntField(c.body, "lifetime", 0));
    GANTRY_ASSIGN_OR_RETURN(std::string expression, TextField(c.body, "rse_expression", false));
    if (expression.empty()) return Fail(InvalidArgument("the rule needs an 'rse_expression'"));
    GANTRY_ASSIGN_OR_RETURN(
        int64_t id, service.AddRule(c.who, did, static_cast<int>(copies), expression, lifetime));
    GANTRY_ASSIGN_OR_RETURN(auto rule, service.queue().GetRule(id));
    return JsonReply(transfer::RuleToJson(rule), 201);
  });
  routes.Add("GET", "/v1/rules", [&service](const DataCall& c) -> Result<HttpResponse> {
    GANTRY_ASSIGN_OR_RETURN(auto rules, service.queue().ListRules());
    json out = json::array();
    for (const auto& r : rules) {
      if (c.who.grants.admin || r.owner == c.who.Display() ||
          (!c.who.vo.empty() && r.vo == c.who.vo)) {
        out.push_back(transfer::RuleToJson(r));
      }
    }
    return JsonReply({{"rules", out}});
  });
}

}  // namespace

void AddTransferRoutes(net::Router& router, TransferService& service, const AuthConfig& config) {
  DataRoutes routes(router, config);
  AddQueueRoutes(routes, service);
  AddRuleAndVerifyRoutes(routes, service);
}

}  // namespace gantry::api
