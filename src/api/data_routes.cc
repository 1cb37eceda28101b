#include "api/data_routes.h"

#include "api/routes.h"
#include "base/strings.h"
#include "catalog/catalog_json.h"

namespace gantry::api {

using nlohmann::json;

void DataRoutes::Add(std::string_view method, const std::string& path, DataHandler f) {
  bool has_body = method == "POST";
  bool has_did = path.find("{scope}/{name}") != std::string::npos;
  router_.Add(
      method, path,
      [&config = config_, has_body, has_did,
       f = std::move(f)](const net::HttpRequest& request) -> net::HttpResponse {
        auto who = Authenticate(request, config);
        if (!who) return AuthErrorReply(who.error());
        if (who->kind == model::IdentityKind::kAgent) {
          return ErrorReply(PermissionDenied("the agent credential of " + who->Display() +
                                             " may only use the agent protocol"));
        }
        Result<net::HttpResponse> reply = [&]() -> Result<net::HttpResponse> {
          DataCall call{request, *who, nullptr, {}};
          if (has_body) {
            GANTRY_ASSIGN_OR_RETURN(call.body, catalog::ParseBody(request.body));
          }
          if (has_did) {
            call.did = {std::string(request.Param("scope")), std::string(request.Param("name"))};
            GANTRY_RETURN_IF_ERROR(catalog::ValidateScope(call.did.scope));
            GANTRY_RETURN_IF_ERROR(catalog::ValidateName(call.did.name));
          }
          return f(call);
        }();
        if (!reply) return ErrorReply(reply.error());
        return *reply;
      });
}

Result<std::string> TextField(const json& body, const char* key, bool required) {
  if (body.is_object() && body.contains(key) && body[key].is_string()) {
    return body[key].get<std::string>();
  }
  if (!required && (!body.is_object() || !body.contains(key))) return std::string();
  return Fail(InvalidArgument(std::string("the request needs '") + key + "' (a string)"));
}

Result<int64_t> IntField(const json& body, const char* key, int64_t fallback) {
  if (!body.is_object() || !body.contains(key)) return fallback;
  if (!body[key].is_number_integer()) {
    return Fail(InvalidArgument(std::string("'") + key + "' must be an integer"));
  }
  return body[key].get<int64_t>();
}

Result<int64_t> LimitQuery(const net::HttpRequest& req, int64_t fallback) {
  auto text = req.Query("limit");
  if (text.empty()) return fallback;
  auto n = ParseInt(text);
  if (!n || *n <= 0) return Fail(InvalidArgument("limit must be a positive number"));
  return *n;
}

net::HttpResponse OkReply() { return JsonReply({{"ok", true}}); }

}  // namespace gantry::api
