#include "identity/bearer.h"

#include "base/strings.h"

namespace gantry::identity {
namespace {

std::unexpected<BearerError> Refuse(Error error, std::optional<TokenProblem> problem) {
  return std::unexpected(BearerError{std::move(error), problem});
}

}  // namespace

std::optional<std::string_view> BearerTokenOf(std::string_view authorization) {
  constexpr std::string_view kBearer = "bearer";
  if (authorization.size() <= kBearer.size() || authorization[kBearer.size()] != ' ' ||
      !EqualsIgnoreCase(authorization.substr(0, kBearer.size()), kBearer)) {
    return std::nullopt;
  }
  return Trim(authorization.substr(kBearer.size() + 1));
}

std::expected<Identity, BearerError> AuthenticateBearer(std::string_view authorization,
                                                        const BearerContext& context) {
  if (authorization.empty()) {
    return Refuse(Unauthenticated("TCP requests need 'Authorization: Bearer <token>' (see "
                                  "gantry token issue and docs/security.md)"),
                  TokenProblem::kMissing);
  }
  auto token = BearerTokenOf(authorization);
  if (!token) {
    return Refuse(Unauthenticated("the Authorization header is not 'Bearer <token>'"),
                  TokenProblem::kMalformed);
  }
  if (!context.site) return Refuse(Unauthenticated("this server accepts no tokens"), std::nullopt);
  const Site& site = *context.site;
  auto verified = site.verifier.Verify(*token, *context.clock);
  if (!verified) return Refuse(verified.error().ToError(), verified.error().problem);
  Identity id = std::move(*verified);
  // Revoked while the server runs (gantry token revoke): refused from the next request on.
  if (context.revocations) {
    if (auto why = context.revocations->Check(id)) {
      return Refuse(Unauthenticated(*why), TokenProblem::kRevoked);
    }
  }
  id.source = "token:" + id.Display();
  if (id.scopes.Has(Scope::kAgent)) {
    // An agent's credential: the agent protocol only, as no user.
    id.kind = Kind::kAgent;
    id.source = "agent:" + id.Display();
    return id;
  }
  // The account work runs as: the gridmap's, else (for the server's own issuer, whose
  // tokens only the server's user can mint) the subject as a login name.
  auto mapped = site.gridmap.Map(id);
  if (mapped && PoolOf(*mapped)) {
    std::string pool(*PoolOf(*mapped));
    if (!context.pools) {
      return Refuse(PermissionDenied("the gridmap maps " + id.Display() + " to the pool '" + pool +
                                     "', but this server keeps no pool leases"),
                    std::nullopt);
    }
    auto account = context.pools->Lease(pool, id, context.clock->Now() / kMicrosPerSecond);
    if (!account) return Refuse(std::move(account.error()), std::nullopt);
    id.local_account = std::move(*account);
  } else if (mapped) {
    id.local_account = *mapped;
  } else if (id.issuer == site.issuer) {
    id.local_account = id.subject;
  } else {
    return Refuse(PermissionDenied(mapped.error().message()), std::nullopt);
  }
  return id;
}

}  // namespace gantry::identity
