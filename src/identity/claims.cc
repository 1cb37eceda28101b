#include "identity/claims.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "base/strings.h"

namespace gantry::identity {
namespace {

using Json = nlohmann::json;

constexpr int64_t kLatestTime = 253402300799;  // 9999-12-31T23:59:59Z

TokenError Malformed(std::string what) {
  return {TokenProblem::kMalformed, "the token is malformed: " + what};
}

std::expected<std::string, TokenError> StringClaim(const Json& payload, const char* name) {
  auto it = payload.find(name);
  if (it == payload.end()) return std::string();
  if (!it->is_string()) return std::unexpected(Malformed(std::string(name) + " is not a string"));
  return it->get<std::string>();
}

std::expected<std::optional<int64_t>, TokenError> TimeClaim(const Json& payload,
                                                            const char* name) {
  auto it = payload.find(name);
  if (it == payload.end()) return std::optional<int64_t>();
  if (!it->is_number()) return std::unexpected(Malformed(std::string(name) + " is not a number"));
  // NumericDate may be fractional (RFC 7519 section 2); whole seconds are enough here. Times
  // before 1970 or after 9999 are refused before any arithmetic: an exp of INT64_MAX would
  // overflow exp + leeway, and a double beyond int64 has no integer value at all.
  bool in_range = it->is_number_unsigned()  ? it->get<uint64_t>() <= uint64_t(kLatestTime)
                  : it->is_number_integer() ? it->get<int64_t>() >= 0 &&
                                                  it->get<int64_t>() <= kLatestTime
                                            : it->get<double>() >= 0 &&
                                                  it->get<double>() <= double(kLatestTime);
  if (!in_range) {
    return std::unexpected(Malformed(std::string(name) +
                                     " is not a time between 1970 and 9999 (seconds)"));
  }
  if (it->is_number_float()) return std::optional<int64_t>(static_cast<int64_t>(it->get<double>()));
  return std::optional<int64_t>(it->get<int64_t>());
}

std::string Seconds(int64_t t) { return FormatTime(t * kMicrosPerSecond); }

}  // namespace

std::expected<Claims, TokenError> ParseClaims(std::string_view json) {
  Json payload = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (payload.is_discarded() || !payload.is_object()) {
    return std::unexpected(Malformed("the payload is not a JSON object"));
  }
  Claims c;
#define GANTRY_STRING_CLAIM(field, name)                     \
  {                                                          \
    auto value = StringClaim(payload, name);                 \
    if (!value) return std::unexpected(value.error());       \
    c.field = std::move(*value);                             \
  }
  GANTRY_STRING_CLAIM(iss, "iss")
  GANTRY_STRING_CLAIM(sub, "sub")
  GANTRY_STRING_CLAIM(jti, "jti")
  GANTRY_STRING_CLAIM(wlcg_ver, "wlcg.ver")
  GANTRY_STRING_CLAIM(scope, "scope")
#undef GANTRY_STRING_CLAIM
  for (auto [field, name] : {std::pair{&c.exp, "exp"}, {&c.nbf, "nbf"}, {&c.iat, "iat"}}) {
    auto value = TimeClaim(payload, name);
    if (!value) return std::unexpected(value.error());
    *field = *value;
  }
  if (auto it = payload.find("aud"); it != payload.end()) {
    if (it->is_string()) {
      c.aud.push_back(it->get<std::string>());
    } else if (it->is_array()) {
      for (const Json& a : *it) {
        if (!a.is_string()) return std::unexpected(Malformed("aud holds a non-string"));
        c.aud.push_back(a.get<std::string>());
      }
    } else {
      return std::unexpected(Malformed("aud is neither a string nor an array"));
    }
  }
  if (auto it = payload.find("wlcg.groups"); it != payload.end()) {
    if (!it->is_array()) return std::unexpected(Malformed("wlcg.groups is not an array"));
    for (const Json& g : *it) {
      if (!g.is_string()) return std::unexpected(Malformed("wlcg.groups holds a non-string"));
      c.groups.push_back(g.get<std::string>());
    }
  }
  return c;
}

std::string ClaimsToJson(const Claims& c) {
  Json payload = Json::object();
  auto put = [&](const char* name, const std::string& value) {
    if (!value.empty()) payload[name] = value;
  };
  put("iss", c.iss);
  put("sub", c.sub);
  put("jti", c.jti);
  put("wlcg.ver", c.wlcg_ver);
  put("scope", c.scope);
  if (c.aud.size() == 1) payload["aud"] = c.aud[0];
  if (c.aud.size() > 1) payload["aud"] = c.aud;
  if (c.exp) payload["exp"] = *c.exp;
  if (c.nbf) payload["nbf"] = *c.nbf;
  if (c.iat) payload["iat"] = *c.iat;
  if (!c.groups.empty()) payload["wlcg.groups"] = c.groups;
  return payload.dump();
}

std::expected<void, TokenError> ValidateClaims(const Claims& c, const ValidationOptions& options,
                                               const Clock& clock) {
  auto missing = [](const char* name) {
    return std::unexpected(TokenError{TokenProblem::kMissingClaim,
                                      std::string("the token has no '") + name + "' claim"});
  };
  if (c.iss.empty()) return missing("iss");
  if (c.sub.empty()) return missing("sub");
  if (!c.exp) return missing("exp");
  if (!c.iat) return missing("iat");
  if (c.aud.empty()) return missing("aud");
  if (!c.wlcg_ver.empty() && c.wlcg_ver != kWlcgVersion) {
    return std::unexpected(TokenError{TokenProblem::kUnsupportedVersion,
                                      "wlcg.ver is '" + c.wlcg_ver + "'; this server reads 1.0"});
  }
  const int64_t now = clock.Now() / kMicrosPerSecond;
  const int64_t leeway = options.leeway_seconds;
  if (now >= *c.exp + leeway) {
    return std::unexpected(TokenError{
        TokenProblem::kExpired, "the token expired at " + Seconds(*c.exp) + " (now " +
                                    Seconds(now) + ", " + std::to_string(leeway) + " s leeway)"});
  }
  if (c.nbf && now + leeway < *c.nbf) {
    return std::unexpected(TokenError{TokenProblem::kNotYetValid,
                                      "the token is not valid before " + Seconds(*c.nbf) +
                                          " (now " + Seconds(now) + ")"});
  }
  if (now + leeway < *c.iat) {
    return std::unexpected(TokenError{TokenProblem::kNotYetValid,
                                      "the token was issued in the future, at " +
                                          Seconds(*c.iat) + " (now " + Seconds(now) + ")"});
  }
  if (!c.jti.empty() &&
      std::find(options.revoked.begin(), options.revoked.end(), c.jti) != options.revoked.end()) {
    return std::unexpected(
        TokenError{TokenProblem::kRevoked, "the token " + c.jti + " of " + c.sub + " was revoked"});
  }
  bool audience_ok = std::any_of(c.aud.begin(), c.aud.end(), [&](const std::string& a) {
    return a == kAnyAudience ||
           std::find(options.audiences.begin(), options.audiences.end(), a) !=
               options.audiences.end();
  });
  if (!audience_ok) {
    return std::unexpected(TokenError{
        TokenProblem::kWrongAudience, "the token is for audience '" + Join(c.aud, "', '") +
                                          "', not this server ('" +
                                          Join(options.audiences, "', '") + "')"});
  }
  return {};
}

Identity IdentityFromClaims(const Claims& c, Kind kind) {
  Identity id;
  id.kind = kind;
  id.subject = c.sub;
  id.issuer = c.iss;
  id.token_id = c.jti;
  id.issued_at = c.iat.value_or(0);
  id.scopes = ScopeSet::Parse(c.scope);
  AddGroupsAndRoles(c.groups, id);
  return id;
}

}  // namespace gantry::identity
