#include "api/routes_data.h"

#include "api/routes.h"
#include "base/strings.h"
#include "catalog/catalog_json.h"

namespace gantry::api {
namespace {

using catalog::Catalog;
using net::HttpRequest;
using net::HttpResponse;
using nlohmann::json;

using DataHandler =
    std::function<Result<HttpResponse>(const HttpRequest&, const model::Identity&)>;

// Authenticates; agents' credentials are refused (they speak the agent protocol only). The
// storage scopes and ACLs are the catalog's to check, per DID.
net::Handler DataAuthed(const AuthConfig& config, DataHandler f) {
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

Result<catalog::Did> DidParams(const HttpRequest& req) {
  catalog::Did did{std::string(req.Param("scope")), std::string(req.Param("name"))};
  GANTRY_RETURN_IF_ERROR(catalog::ValidateScope(did.scope));
  GANTRY_RETURN_IF_ERROR(catalog::ValidateName(did.name));
  return did;
}

Result<std::string> TextField(const json& body, const char* key, bool required = true) {
  if (body.is_object() && body.contains(key) && body[key].is_string()) {
    return body[key].get<std::string>();
  }
  if (!required && (!body.is_object() || !body.contains(key))) return std::string();
  return Fail(InvalidArgument(std::string("the request needs '") + key + "' (a string)"));
}

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

HttpResponse Ok() { return JsonReply({{"ok", true}}); }

void AddRseRoutes(net::Router& router, Catalog& catalog, const AuthConfig& config) {
  router.Add("GET", "/v1/rses",
             DataAuthed(config, [&catalog](const HttpRequest& req, const model::Identity&)
                                    -> Result<HttpResponse> {
               GANTRY_ASSIGN_OR_RETURN(auto rses,
                                       catalog.ListRses(std::string(req.Query("expression"))));
               json out = json::array();
               for (const auto& r : rses) out.push_back(catalog::RseToJson(r));
               return JsonReply({{"rses", out}});
             }));
  router.Add("POST", "/v1/rses",
             DataAuthed(config, [&catalog](const HttpRequest& req, const model::Identity& who)
                                    -> Result<HttpResponse> {
               GANTRY_ASSIGN_OR_RETURN(json body, catalog::ParseBody(req.body));
               GANTRY_ASSIGN_OR_RETURN(catalog::Rse rse, catalog::RseFromJson(body));
               GANTRY_RETURN_IF_ERROR(catalog.AddRse(who, rse));
               GANTRY_ASSIGN_OR_RETURN(catalog::Rse added, catalog.GetRse(rse.name));
               return JsonReply(catalog::RseToJson(added), 201);
             }));
  router.Add("GET", "/v1/rses/{rse}",
             DataAuthed(config, [&catalog](const HttpRequest& req, const model::Identity&)
                                    -> Result<HttpResponse> {
               GANTRY_ASSIGN_OR_RETURN(catalog::Rse rse,
                                       catalog.GetRse(std::string(req.Param("rse"))));
               return JsonReply(catalog::RseToJson(rse));
             }));
  router.Add("POST", "/v1/rses/{rse}/attributes",
             DataAuthed(config, [&catalog](const HttpRequest& req, const model::Identity& who)
                                    -> Result<HttpResponse> {
               GANTRY_ASSIGN_OR_RETURN(json body, catalog::ParseBody(req.body));
               GANTRY_ASSIGN_OR_RETURN(std::string key, TextField(body, "key"));
               GANTRY_ASSIGN_OR_RETURN(std::string value, TextField(body, "value", false));
               GANTRY_RETURN_IF_ERROR(
                   catalog.SetRseAttribute(who, std::string(req.Param("rse")), key, value));
               return Ok();
             }));
  router.Add("POST", "/v1/rses/{rse}/protocols",
             DataAuthed(config, [&catalog](const HttpRequest& req, const model::Identity& who)
                                    -> Result<HttpResponse> {
               GANTRY_ASSIGN_OR_RETURN(json body, catalog::ParseBody(req.body));
               GANTRY_ASSIGN_OR_RETURN(std::string prefix, TextField(body, "prefix"));
               GANTRY_RETURN_IF_ERROR(
                   catalog.SetRseProtocol(who, std::string(req.Param("rse")), prefix));
               return Ok();
             }));
}

void AddScopeRoutes(net::Router& router, Catalog& catalog, const AuthConfig& config) {
  router.Add("GET", "/v1/scopes",
             DataAuthed(config, [&catalog](const HttpRequest&, const model::Identity&)
                                    -> Result<HttpResponse> {
               GANTRY_ASSIGN_OR_RETURN(auto scopes, catalog.ListScopes());
               json out = json::array();
               for (const auto& s : scopes) out.push_back(catalog::ScopeToJson(s));
               return JsonReply({{"scopes", out}});
             }));
  router.Add("POST", "/v1/scopes",
             DataAuthed(config, [&catalog](const HttpRequest& req, const model::Identity& who)
                                    -> Result<HttpResponse> {
               GANTRY_ASSIGN_OR_RETURN(json body, catalog::ParseBody(req.body));
               GANTRY_ASSIGN_OR_RETURN(std::string scope, TextField(body, "scope"));
               GANTRY_ASSIGN_OR_RETURN(std::string vo, TextField(body, "vo", false));
               GANTRY_RETURN_IF_ERROR(catalog.AddScope(who, scope, vo));
               GANTRY_ASSIGN_OR_RETURN(auto record, catalog.GetScope(scope));
               return JsonReply(catalog::ScopeToJson(record), 201);
             }));
  router.Add("POST", "/v1/scopes/{scope}/acl",
             DataAuthed(config, [&catalog](const HttpRequest& req, const model::Identity& who)
                                    -> Result<HttpResponse> {
               GANTRY_ASSIGN_OR_RETURN(json body, catalog::ParseBody(req.body));
               GANTRY_ASSIGN_OR_RETURN(std::string principal, TextField(body, "principal"));
               GANTRY_ASSIGN_OR_RETURN(std::string right_text, TextField(body, "right"));
               GANTRY_ASSIGN_OR_RETURN(catalog::Right right, catalog::ParseRight(right_text));
               bool granted = !(body.contains("granted") && body["granted"].is_boolean() &&
                                !body["granted"].get<bool>());
               std::string scope(req.Param("scope"));
               GANTRY_RETURN_IF_ERROR(catalog.SetAcl(who, scope, {principal, right}, granted));
               GANTRY_ASSIGN_OR_RETURN(auto record, catalog.GetScope(scope));
               return JsonReply(catalog::ScopeToJson(record));
             }));
}

void AddDidRoutes(net::Router& router, Catalog& catalog, const AuthConfig& config) {
  router.Add("POST", "/v1/dids",
             DataAuthed(config, [&catalog](const HttpRequest& req, const model::Identity& who)
                                    -> Result<HttpResponse> {
               GANTRY_ASSIGN_OR_RETURN(json body, catalog::ParseBody(req.body));
               GANTRY_ASSIGN_OR_RETURN(catalog::NewDid did, catalog::NewDidFromJson(body));
               GANTRY_RETURN_IF_ERROR(catalog.AddDid(who, did));
               GANTRY_ASSIGN_OR_RETURN(auto info, catalog.GetDid(who, did.did));
               return JsonReply(catalog::DidToJson(info), 201);
             }));
  router.Add("GET", "/v1/dids/{scope}",
             DataAuthed(config, [&catalog](const HttpRequest& req, const model::Identity& who)
                                    -> Result<HttpResponse> {
               catalog::ListDidsQuery q;
               q.scope = std::string(req.Param("scope"));
               q.name_pattern = std::string(req.Query("name", "*"));
               if (auto type = req.Query("type"); !type.empty() && type != "all") {
                 GANTRY_ASSIGN_OR_RETURN(q.type, catalog::ParseDidType(type));
               }
               GANTRY_ASSIGN_OR_RETURN(q.filter, catalog::ParseMetaFilter(req.Query("filter")));
               if (auto limit = req.Query("limit"); !limit.empty()) {
                 auto n = ParseInt(limit);
                 if (!n || *n <= 0) return Fail(InvalidArgument("limit must be a positive number"));
                 q.limit = *n;
               }
               GANTRY_ASSIGN_OR_RETURN(auto dids, catalog.ListDids(who, q));
               json out = json::array();
               for (const auto& d : dids) out.push_back(catalog::DidToJson(d));
               return JsonReply({{"dids", out}});
             }));
  router.Add("GET", "/v1/dids/{scope}/{name}",
             DataAuthed(config, [&catalog](const HttpRequest& req, const model::Identity& who)
                                    -> Result<HttpResponse> {
               GANTRY_ASSIGN_OR_RETURN(catalog::Did did, DidParams(req));
               GANTRY_ASSIGN_OR_RETURN(auto info, catalog.GetDid(who, did));
               return JsonReply(catalog::DidToJson(info));
             }));
  router.Add("DELETE", "/v1/dids/{scope}/{name}",
             DataAuthed(config, [&catalog](const HttpRequest& req, const model::Identity& who)
                                    -> Result<HttpResponse> {
               GANTRY_ASSIGN_OR_RETURN(catalog::Did did, DidParams(req));
               GANTRY_RETURN_IF_ERROR(catalog.EraseDid(who, did));
               return Ok();
             }));
  router.Add("GET", "/v1/dids/{scope}/{name}/content",
             DataAuthed(config, [&catalog](const HttpRequest& req, const model::Identity& who)
                                    -> Result<HttpResponse> {
               GANTRY_ASSIGN_OR_RETURN(catalog::Did did, DidParams(req));
               GANTRY_ASSIGN_OR_RETURN(auto dids, catalog.ListContent(who, did));
               json out = json::array();
               for (const auto& d : dids) out.push_back(catalog::DidToJson(d));
               return JsonReply({{"dids", out}});
             }));
  for (const char* verb : {"attach", "detach"}) {
    bool attach = std::string_view(verb) == "attach";
    router.Add("POST", std::string("/v1/dids/{scope}/{name}/") + verb,
               DataAuthed(config, [&catalog, attach](const HttpRequest& req,
                                                     const model::Identity& who)
                                      -> Result<HttpResponse> {
                 GANTRY_ASSIGN_OR_RETURN(catalog::Did did, DidParams(req));
                 GANTRY_ASSIGN_OR_RETURN(json body, catalog::ParseBody(req.body));
                 GANTRY_ASSIGN_OR_RETURN(auto children, DidList(body));
                 GANTRY_RETURN_IF_ERROR(attach ? catalog.Attach(who, did, children)
                                               : catalog.Detach(who, did, children));
                 return Ok();
               }));
  }
  router.Add("POST", "/v1/dids/{scope}/{name}/meta",
             DataAuthed(config, [&catalog](const HttpRequest& req, const model::Identity& who)
                                    -> Result<HttpResponse> {
               GANTRY_ASSIGN_OR_RETURN(catalog::Did did, DidParams(req));
               GANTRY_ASSIGN_OR_RETURN(json body, catalog::ParseBody(req.body));
               GANTRY_ASSIGN_OR_RETURN(std::string key, TextField(body, "key"));
               GANTRY_ASSIGN_OR_RETURN(std::string value, TextField(body, "value", false));
               GANTRY_RETURN_IF_ERROR(catalog.SetMeta(who, did, key, value));
               GANTRY_ASSIGN_OR_RETURN(auto info, catalog.GetDid(who, did));
               return JsonReply(catalog::DidToJson(info));
             }));
  router.Add("GET", "/v1/dids/{scope}/{name}/replicas",
             DataAuthed(config, [&catalog](const HttpRequest& req, const model::Identity& who)
                                    -> Result<HttpResponse> {
               GANTRY_ASSIGN_OR_RETURN(catalog::Did did, DidParams(req));
               std::optional<catalog::ReplicaState> state;
               if (auto s = req.Query("state"); !s.empty()) {
                 GANTRY_ASSIGN_OR_RETURN(state, catalog::ParseReplicaState(s));
               }
               GANTRY_ASSIGN_OR_RETURN(auto files, catalog.ListReplicas(who, did, state));
               json out = json::array();
               for (const auto& f : files) out.push_back(catalog::ReplicasToJson(f));
               return JsonReply({{"files", out}});
             }));
}

void AddReplicaRoutes(net::Router& router, Catalog& catalog, const AuthConfig& config) {
  router.Add("POST", "/v1/replicas",
             DataAuthed(config, [&catalog](const HttpRequest& req, const model::Identity& who)
                                    -> Result<HttpResponse> {
               GANTRY_ASSIGN_OR_RETURN(json body, catalog::ParseBody(req.body));
               GANTRY_ASSIGN_OR_RETURN(std::string rse, TextField(body, "rse"));
               if (!body.contains("files") || !body["files"].is_array()) {
                 return Fail(InvalidArgument("the request needs 'files': a list of files"));
               }
               std::vector<catalog::NewReplica> files;
               for (const auto& f : body["files"]) {
                 catalog::NewReplica r;
                 GANTRY_ASSIGN_OR_RETURN(r.file, catalog::NewDidFromJson(f));
                 GANTRY_ASSIGN_OR_RETURN(r.path, TextField(f, "path", false));
                 GANTRY_ASSIGN_OR_RETURN(std::string state, TextField(f, "state", false));
                 if (!state.empty()) {
                   GANTRY_ASSIGN_OR_RETURN(r.state, catalog::ParseReplicaState(state));
                 }
                 files.push_back(std::move(r));
               }
               GANTRY_RETURN_IF_ERROR(catalog.AddReplicas(who, rse, files));
               return JsonReply({{"registered", files.size()}}, 201);
             }));
  router.Add("POST", "/v1/replicas/state",
             DataAuthed(config, [&catalog](const HttpRequest& req, const model::Identity& who)
                                    -> Result<HttpResponse> {
               GANTRY_ASSIGN_OR_RETURN(json body, catalog::ParseBody(req.body));
               GANTRY_ASSIGN_OR_RETURN(std::string rse, TextField(body, "rse"));
               GANTRY_ASSIGN_OR_RETURN(std::string did_text, TextField(body, "did"));
               GANTRY_ASSIGN_OR_RETURN(catalog::Did did, catalog::ParseDid(did_text));
               GANTRY_ASSIGN_OR_RETURN(std::string state_text, TextField(body, "state"));
               GANTRY_ASSIGN_OR_RETURN(auto state, catalog::ParseReplicaState(state_text));
               GANTRY_RETURN_IF_ERROR(catalog.SetReplicaState(who, rse, did, state));
               return Ok();
             }));
  router.Add("POST", "/v1/replicas/delete",
             DataAuthed(config, [&catalog](const HttpRequest& req, const model::Identity& who)
                                    -> Result<HttpResponse> {
               GANTRY_ASSIGN_OR_RETURN(json body, catalog::ParseBody(req.body));
               GANTRY_ASSIGN_OR_RETURN(std::string rse, TextField(body, "rse"));
               GANTRY_ASSIGN_OR_RETURN(std::string did_text, TextField(body, "did"));
               GANTRY_ASSIGN_OR_RETURN(catalog::Did did, catalog::ParseDid(did_text));
               GANTRY_RETURN_IF_ERROR(catalog.DeleteReplica(who, rse, did));
               return Ok();
             }));
  router.Add("GET", "/v1/usage",
             DataAuthed(config, [&catalog](const HttpRequest& req, const model::Identity& who)
                                    -> Result<HttpResponse> {
               std::string_view by_text = req.Query("by", "rse");
               catalog::UsageBy by = catalog::UsageBy::kRse;
               if (by_text == "user") {
                 by = catalog::UsageBy::kUser;
               } else if (by_text == "vo") {
                 by = catalog::UsageBy::kVo;
               } else if (by_text != "rse") {
                 return Fail(InvalidArgument("by must be rse, user or vo"));
               }
               GANTRY_ASSIGN_OR_RETURN(auto rows, catalog.Usage(who, by));
               json out = json::array();
               for (const auto& r : rows) out.push_back(catalog::UsageToJson(r));
               return JsonReply({{"usage", out}});
             }));
}

}  // namespace

void AddDataRoutes(net::Router& router, Catalog& catalog, const AuthConfig& config) {
  AddRseRoutes(router, catalog, config);
  AddScopeRoutes(router, catalog, config);
  AddDidRoutes(router, catalog, config);
  AddReplicaRoutes(router, catalog, config);
}

}  // namespace gantry::api
