#include "api/auth.h"

#include <grp.h>
#include <unistd.h>

#include <vector>

#include "api/routes.h"
#include "base/passwd.h"
#include "base/strings.h"
#include "identity/bearer.h"

namespace gantry::api {
namespace {

std::unexpected<AuthError> Refuse(Error error,
                                  std::optional<identity::TokenProblem> problem = std::nullopt) {
  return std::unexpected(AuthError{std::move(error), problem});
}

// The names of the Unix groups of user (primary gid included), for the VO file.
std::vector<std::string> UnixGroups(const std::string& user, uint32_t gid) {
  std::vector<std::string> names;
  std::vector<char> buf(16384);
  for (gid_t g : GroupIdsOf(user, gid)) {
    struct group gr, *result = nullptr;
    if (getgrgid_r(g, &gr, buf.data(), buf.size(), &result) == 0 && result) {
      names.emplace_back(gr.gr_name);
    }
  }
  return names;
}

std::expected<model::Identity, AuthError> FromUnixPeer(const net::HttpRequest& request,
                                                       const AuthConfig& config) {
  if (request.peer.uid == net::Peer::kUnknownId) {
    return Refuse(Unauthenticated("the Unix socket peer has no credentials"));
  }
  model::Identity id;
  id.uid = request.peer.uid;
  id.gid = request.peer.gid;
  id.kind = identity::Kind::kLocal;
  id.subject = UserName(id.uid);
  id.issuer = std::string(identity::kLocalIssuer);
  id.local_account = id.subject;
  id.scopes = identity::ScopeSet::All();
  if (config.site) {
    // Group lookups read the group database (files, LDAP): done only when the VO file
    // has group lines, so a server without them answers q and status as before.
    const identity::VoFile& vo = config.site->vo;
    std::vector<std::string> groups;
    if (vo.NamesUnixGroups()) groups = UnixGroups(id.subject, id.gid);
    vo.Apply(id.subject, groups, id);
  }
  id.source = "unix:" + id.Display();  // the journal records who: "unix:alice@local"
  return id;
}

std::expected<model::Identity, AuthError> FromToken(const net::HttpRequest& request,
                                                    const AuthConfig& config) {
  SystemClock system_clock;
  identity::BearerContext context{.site = config.site,
                                  .clock = config.clock ? config.clock : &system_clock,
                                  .revocations = config.revocations,
                                  .pools = config.pools};
  auto authed = identity::AuthenticateBearer(request.Header("authorization"), context);
  if (!authed) return Refuse(std::move(authed.error().error), authed.error().problem);
  model::Identity id = std::move(*authed);
  if (id.kind == identity::Kind::kAgent) {
    id.uid = config.server_uid;
    id.gid = config.server_gid;
    return id;
  }
  std::optional<Account> account = LookUpUser(id.local_account);
  // A server user without a passwd entry (a container's) is named "uid<N>": its own token.
  if (!account && id.local_account == UserName(config.server_uid)) {
    account = Account{config.server_uid, config.server_gid};
  }
  if (!account) {
    return Refuse(PermissionDenied(id.Display() + " maps to the account '" + id.local_account +
                                   "', which does not exist on this server"));
  }
  id.uid = account->uid;
  id.gid = account->gid;
  return id;
}

std::string QuotedString(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string UserName(uint32_t uid) {
  // Every request names its caller: the answer is kept for a minute, so a busy server does
  // not read the user database (files, LDAP) for each one.
  static const SystemClock clock{};
  static PasswdCache cache(clock);
  return cache.UserName(uid);
}

std::expected<model::Identity, AuthError> Authenticate(const net::HttpRequest& request,
                                                       const AuthConfig& config) {
  auto authed = request.peer.kind == net::Peer::Kind::kUnix ? FromUnixPeer(request, config)
                                                            : FromToken(request, config);
  if (!authed || authed->kind == identity::Kind::kAgent) return authed;
  model::Identity& id = *authed;
  const identity::Policy* policy = config.site ? &config.site->policy : nullptr;
  id.grants.admin =
      id.uid == 0 || id.uid == config.server_uid || (policy && policy->IsAdmin(id));
  if (policy) {
    id.grants.see_vos = policy->SeenVos(id);
    id.grants.steer_agents = id.grants.admin || policy->CanSteerAgents(id).allowed;
  } else {
    id.grants.steer_agents = id.grants.admin;
  }
  return authed;
}

Status RequireScope(const identity::Identity& who, identity::Scope scope) {
  if (who.scopes.Has(scope)) return {};
  std::string held = who.scopes.ToString();
  return Fail(PermissionDenied("the token of " + who.Display() + " lacks the scope " +
                               std::string(identity::ScopeName(scope)) + " (it holds: " +
                               (held.empty() ? "none" : held) + ")"));
}

net::HttpResponse AuthErrorReply(const AuthError& error) {
  net::HttpResponse reply = ErrorReply(error.error);
  if (reply.status == 401) {
    reply.headers.emplace_back("WWW-Authenticate",
                               "Bearer error=\"invalid_token\", error_description=" +
                                   QuotedString(error.error.message()));
  }
  return reply;
}

net::HttpResponse InsufficientScopeReply(const Error& error, identity::Scope scope) {
  net::HttpResponse reply = ErrorReply(error);
  reply.headers.emplace_back(
      "WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=" +
                              QuotedString(identity::ScopeName(scope)) +
                              ", error_description=" + QuotedString(error.message()));
  return reply;
}

}  // namespace gantry::api
