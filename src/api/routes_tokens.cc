// Token revocation endpoints (docs/api.md "Tokens"): POST /v1/tokens/revoke, GET
// /v1/tokens/revoked. Admins only (root, the server's own user, the policy's admin rules).
#include <ctime>

#include "api/routes.h"
#include "wire/json.h"

namespace gantry::api {
namespace {

using net::HttpRequest;
using net::HttpResponse;

Status MustBeAdmin(const model::Identity& who) {
  if (who.grants.admin) return {};
  return Fail(PermissionDenied("revoking tokens needs an 'admin' rule of the policy naming " +
                               who.Display() + " (or root, or the server's own user)"));
}

json RevocationToJson(const identity::Revocation& r) {
  if (!r.jti.empty()) return {{"jti", r.jti}};
  return {{"issuer", r.issuer}, {"subject", r.subject}, {"issued_before", r.issued_before}};
}

}  // namespace

void AddTokenRoutes(net::Router& router, const AuthConfig& config) {
  router.Add("POST", "/v1/tokens/revoke",
             Authed(config, identity::Scope::kComputeModify,
                    [&config](const HttpRequest& req, const model::Identity& who)
                        -> Result<HttpResponse> {
                      GANTRY_RETURN_IF_ERROR(MustBeAdmin(who));
                      if (!config.revocations) {
                        return Fail(FailedPrecondition("this server keeps no revocation list"));
                      }
                      GANTRY_ASSIGN_OR_RETURN(json body, wire::ParseJson(req.body));
                      identity::Revocation r;
                      auto text = [&](const char* key) {
                        return body.is_object() && body.contains(key) && body[key].is_string()
                                   ? body[key].get<std::string>()
                                   : std::string();
                      };
                      r.jti = text("jti");
                      if (r.jti.empty()) {
                        r.subject = text("subject");
                        r.issuer = text("issuer");
                        if (r.issuer.empty() && config.site) r.issuer = config.site->issuer;
                        // Every token of the subject issued until now; new ones work.
                        r.issued_before = static_cast<int64_t>(std::time(nullptr));
                        if (r.subject.empty()) {
                          return Fail(InvalidArgument("name a 'jti' or a 'subject' to revoke"));
                        }
                      }
                      GANTRY_RETURN_IF_ERROR(config.revocations->Add(r));
                      return JsonReply(RevocationToJson(r));
                    }));
  router.Add("GET", "/v1/tokens/revoked",
             Authed(config, identity::Scope::kComputeRead,
                    [&config](const HttpRequest&, const model::Identity& who)
                        -> Result<HttpResponse> {
                      GANTRY_RETURN_IF_ERROR(MustBeAdmin(who));
                      json out = json::array();
                      if (config.revocations) {
                        for (const auto& r : config.revocations->List()) {
                          out.push_back(RevocationToJson(r));
                        }
                      }
                      return JsonReply({{"revoked", out}});
                    }));
}

}  // namespace gantry::api
