#include "api/routes_data.h"

#include "api/data_routes.h"
#include "api/routes.h"
#include "catalog/catalog_json.h"

namespace gantry::api {
namespace {

using catalog::Catalog;
using net::HttpResponse;
using nlohmann::json;

Result<std::vector<catalog::Did>> DidList(const json& body) {
  if (!body.is_object() || !body.contains("dids") || !body["dids"].is_array()) {
    return Fail(InvalidArgument("the request needs 'dids': a list of \"scope:name\""));
  }
  std::vector<catalog::Did> out;
  for (const auto& d : body["dids"]) {
    if (!d.is_string()) return Fail(InvalidArgument("'dids' holds \"scope:name\" strings"));
    GANTRY_ASSIGN_OR_RETURN(catalog::Did did, catalog::ParseDid(d.get<std::string>()));
    out.push_back(std::move(did));
  }
  return out;
}

// The "did" and "rse" of a body that names one replica.
struct ReplicaRef {
  std::string rse;
  catalog::Did did;
};
Result<ReplicaRef> ReplicaRefOf(const json& body) {
  GANTRY_ASSIGN_OR_RETURN(std::string rse, TextField(body, "rse"));
  GANTRY_ASSIGN_OR_RETURN(std::string did_text, TextField(body, "did"));
  GANTRY_ASSIGN_OR_RETURN(catalog::Did did, catalog::ParseDid(did_text));
  return ReplicaRef{std::move(rse), std::move(did)};
}

void AddRseRoutes(DataRoutes& routes, Catalog& catalog) {
  routes.Add("GET", "/v1/rses", [&catalog](const DataCall& c) -> Result<HttpResponse> {
    GANTRY_ASSIGN_OR_RETURN(auto rses, catalog.ListRses(std::string(c.req.Query("expression"))));
    json out = json::array();
    for (const auto& r : rses) out.push_back(catalog::RseToJson(r));
    return JsonReply({{"rses", out}});
  });
  routes.Add("POST", "/v1/rses", [&catalog](const DataCall& c) -> Result<HttpResponse> {
    GANTRY_ASSIGN_OR_RETURN(catalog::Rse rse, catalog::RseFromJson(c.body));
    GANTRY_RETURN_IF_ERROR(catalog.AddRse(c.who, rse));
    GANTRY_ASSIGN_OR_RETURN(catalog::Rse added, catalog.GetRse(rse.name));
    return JsonReply(catalog::RseToJson(added), 201);
  });
  routes.Add("GET", "/v1/rses/{rse}", [&catalog](const DataCall& c) -> Result<HttpResponse> {
    GANTRY_ASSIGN_OR_RETURN(catalog::Rse rse, catalog.GetRse(std::string(c.req.Param("rse"))));
    return JsonReply(catalog::RseToJson(rse));
  });
  routes.Add("POST", "/v1/rses/{rse}/attributes",
             [&catalog](const DataCall& c) -> Result<HttpResponse> {
               GANTRY_ASSIGN_OR_RETURN(std::string key, TextField(c.body, "key"));
               GANTRY_ASSIGN_OR_RETURN(std::string value, TextField(c.body, "value", false));
               GANTRY_RETURN_IF_ERROR(
                   catalog.SetRseAttribute(c.who, std::string(c.req.Param("rse")), key, value));
               return OkReply();
             });
  routes.Add("POST", "/v1/rses/{rse}/protocols",
             [&catalog](const DataCall& c) -> Result<HttpResponse> {
               GANTRY_ASSIGN_OR_RETURN(std::string prefix, TextField(c.body, "prefix"));
               GANTRY_RETURN_IF_ERROR(
                   catalog.SetRseProtocol(c.who, std::string(c.req.Param("rse")), prefix));
               return OkReply();
             });
}

void AddScopeRoutes(DataRoutes& routes, Catalog& catalog) {
  routes.Add("GET", "/v1/scopes", [&catalog](const DataCall&) -> Result<HttpResponse> {
    GANTRY_ASSIGN_OR_RETURN(auto scopes, catalog.ListScopes());
    json out = json::array();
    for (const auto& s : scopes) out.push_back(catalog::ScopeToJson(s));
    return JsonReply({{"scopes", out}});
  });
  routes.Add("POST", "/v1/scopes", [&catalog](const DataCall& c) -> Result<HttpResponse> {
    GANTRY_ASSIGN_OR_RETURN(std::string scope, TextField(c.body, "scope"));
    GANTRY_ASSIGN_OR_RETURN(std::string vo, TextField(c.body, "vo", false));
    GANTRY_RETURN_IF_ERROR(catalog.AddScope(c.who, scope, vo));
    GANTRY_ASSIGN_OR_RETURN(auto record, catalog.GetScope(scope));
    return JsonReply(catalog::ScopeToJson(record), 201);
  });
  routes.Add("POST", "/v1/scopes/{scope}/acl",
             [&catalog](const DataCall& c) -> Result<HttpResponse> {
               GANTRY_ASSIGN_OR_RETURN(std::string principal, TextField(c.body, "principal"));
               GANTRY_ASSIGN_OR_RETURN(std::string right_text, TextField(c.body, "right"));
               GANTRY_ASSIGN_OR_RETURN(catalog::Right right, catalog::ParseRight(right_text));
               bool granted = !(c.body.contains("granted") && c.body["granted"].is_boolean() &&
                                !c.body["granted"].get<bool>());
               std::string scope(c.req.Param("scope"));
               GANTRY_RETURN_IF_ERROR(catalog.SetAcl(c.who, scope, {principal, right}, granted));
               GANTRY_ASSIGN_OR_RETURN(auto record, catalog.GetScope(scope));
               return JsonReply(catalog::ScopeToJson(record));
             });
}

void AddDidRoutes(DataRoutes& routes, Catalog& catalog) {
  routes.Add("POST", "/v1/dids", [&catalog](const DataCall& c) -> Result<HttpResponse> {
    GANTRY_ASSIGN_OR_RETURN(catalog::NewDid did, catalog::NewDidFromJson(c.body));
    GANTRY_RETURN_IF_ERROR(catalog.AddDid(c.who, did));
    GANTRY_ASSIGN_OR_RETURN(auto info, catalog.GetDid(c.who, did.did));
    return JsonReply(catalog::DidToJson(info), 201);
  });
  routes.Add("GET", "/v1/dids/{scope}", [&catalog](const DataCall& c) -> Result<HttpResponse> {
    catalog::ListDidsQuery q;
    q.scope = std::string(c.req.Param("scope"));
    q.name_pattern = std::string(c.req.Query("name", "*"));
    if (auto type = c.req.Query("type"); !type.empty() && type != "all") {
      GANTRY_ASSIGN_OR_RETURN(q.type, catalog::ParseDidType(type));
    }
    GANTRY_ASSIGN_OR_RETURN(q.filter, catalog::ParseMetaFilter(c.req.Query("filter")));
    GANTRY_ASSIGN_OR_RETURN(q.limit, LimitQuery(c.req, q.limit));
    GANTRY_ASSIGN_OR_RETURN(auto dids, catalog.ListDids(c.who, q));
    json out = json::array();
    for (const auto& d : dids) out.push_back(catalog::DidToJson(d));
    return JsonReply({{"dids", out}});
  });
  routes.Add("GET", "/v1/dids/{scope}/{name}",
             [&catalog](const DataCall& c) -> Result<HttpResponse> {
               GANTRY_ASSIGN_OR_RETURN(auto info, catalog.GetDid(c.who, c.did));
               return JsonReply(catalog::DidToJson(info));
             });
  routes.Add("DELETE", "/v1/dids/{scope}/{name}",
             [&catalog](const DataCall& c) -> Result<HttpResponse> {
               GANTRY_RETURN_IF_ERROR(catalog.EraseDid(c.who, c.did));
               return OkReply();
             });
  routes.Add("GET", "/v1/dids/{scope}/{name}/content",
             [&catalog](const DataCall& c) -> Result<HttpResponse> {
               GANTRY_ASSIGN_OR_RETURN(auto dids, catalog.ListContent(c.who, c.did));
               json out = json::array();
               for (const auto& d : dids) out.push_back(catalog::DidToJson(d));
               return JsonReply({{"dids", out}});
             });
  for (const char* verb : {"attach", "detach"}) {
    bool attach = std::string_view(verb) == "attach";
    routes.Add("POST", std::string("/v1/dids/{scope}/{name}/") + verb,
               [&catalog, attach](const DataCall& c) -> Result<HttpResponse> {
                 GANTRY_ASSIGN_OR_RETURN(auto children, DidList(c.body));
                 GANTRY_RETURN_IF_ERROR(attach ? catalog.Attach(c.who, c.did, children)
                                               : catalog.Detach(c.who, c.did, children));
                 return OkReply();
               });
  }
  routes.Add("POST", "/v1/dids/{scope}/{name}/meta",
             [&catalog](const DataCall& c) -> Result<HttpResponse> {
               GANTRY_ASSIGN_OR_RETURN(std::string key, TextField(c.body, "key"));
               GANTRY_ASSIGN_OR_RETURN(std::string value, TextField(c.body, "value", false));
               GANTRY_RETURN_IF_ERROR(catalog.SetMeta(c.who, c.did, key, value));
               GANTRY_ASSIGN_OR_RETURN(auto info, catalog.GetDid(c.who, c.did));
               return JsonReply(catalog::DidToJson(info));
             });
  routes.Add("GET", "/v1/dids/{scope}/{name}/replicas",
             [&catalog](const DataCall& c) -> Result<HttpResponse> {
               std::optional<catalog::ReplicaState> state;
               if (auto s = c.req.Query("state"); !s.empty()) {
                 GANTRY_ASSIGN_OR_RETURN(state, catalog::ParseReplicaState(s));
               }
               GANTRY_ASSIGN_OR_RETURN(auto files, catalog.ListReplicas(c.who, c.did, state));
               json out = json::array();
               for (const auto& f : files) out.push_back(catalog::ReplicasToJson(f));
               return JsonReply({{"files", out}});
             });
}

void AddReplicaRoutes(DataRoutes& routes, Catalog& catalog) {
  routes.Add("POST", "/v1/replicas", [&catalog](const DataCall& c) -> Result<HttpResponse> {
    GANTRY_ASSIGN_OR_RETURN(std::string rse, TextField(c.body, "rse"));
    if (!c.body.contains("files") || !c.body["files"].is_array()) {
      return Fail(InvalidArgument("the request needs 'files': a list of files"));
    }
    std::vector<catalog::NewReplica> files;
    for (const auto& f : c.body["files"]) {
      catalog::NewReplica r;
      GANTRY_ASSIGN_OR_RETURN(r.file, catalog::NewDidFromJson(f));
      GANTRY_ASSIGN_OR_RETURN(r.path, TextField(f, "path", false));
      GANTRY_ASSIGN_OR_RETURN(std::string state, TextField(f, "state", false));
      if (!state.empty()) {
        GANTRY_ASSIGN_OR_RETURN(r.state, catalog::ParseReplicaState(state));
      }
      files.push_back(std::move(r));
    }
    GANTRY_RETURN_IF_ERROR(catalog.AddReplicas(c.who, rse, files));
    return JsonReply({{"registered", files.size()}}, 201);
  });
  routes.Add("POST", "/v1/replicas/state", [&catalog](const DataCall& c) -> Result<HttpResponse> {
    GANTRY_ASSIGN_OR_RETURN(ReplicaRef ref, ReplicaRefOf(c.body));
    GANTRY_ASSIGN_OR_RETURN(std::string state_text, TextField(c.body, "state"));
    GANTRY_ASSIGN_OR_RETURN(auto state, catalog::ParseReplicaState(state_text));
    GANTRY_RETURN_IF_ERROR(catalog.SetReplicaState(c.who, ref.rse, ref.did, state));
    return OkReply();
  });
  routes.Add("POST", "/v1/replicas/delete", [&catalog](const DataCall& c) -> Result<HttpResponse> {
    GANTRY_ASSIGN_OR_RETURN(ReplicaRef ref, ReplicaRefOf(c.body));
    GANTRY_RETURN_IF_ERROR(catalog.DeleteReplica(c.who, ref.rse, ref.did));
    return OkReply();
  });
  routes.Add("GET", "/v1/usage", [&catalog](const DataCall& c) -> Result<HttpResponse> {
    std::string_view by_text = c.req.Query("by", "rse");
    catalog::UsageBy by = catalog::UsageBy::kRse;
    if (by_text == "user") {
      by = catalog::UsageBy::kUser;
    } else if (by_text == "vo") {
      by = catalog::UsageBy::kVo;
    } else if (by_text != "rse") {
      return Fail(InvalidArgument("by must be rse, user or vo"));
    }
    GANTRY_ASSIGN_OR_RETURN(auto rows, catalog.Usage(c.who, by));
    json out = json::array();
    for (const auto& r : rows) out.push_back(catalog::UsageToJson(r));
    return JsonReply({{"usage", out}});
  });
}

}  // namespace

void AddDataRoutes(net::Router& router, Catalog& catalog, const AuthConfig& config) {
  DataRoutes routes(router, config);
  AddRseRoutes(routes, catalog);
  AddScopeRoutes(routes, catalog);
  AddDidRoutes(routes, catalog);
  AddReplicaRoutes(routes, catalog);
}

}  // namespace gantry::api
