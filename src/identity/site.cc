#include "identity/site.h"

#include <unistd.h>

#include "base/file.h"

namespace gantry::identity {
namespace {

template <typename T>
Result<T> ParseOptionalFile(const std::string& path) {
  if (path.empty()) return T();
  GANTRY_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return T::Parse(text, path);
}

}  // namespace

std::string DefaultIssuer() {
  char host[256] = {0};
  if (gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') return "https://localhost/gantry";
  return std::string("https://") + host + "/gantry";
}

Result<Site> LoadSite(const std::string& home, KeyMode mode) {
  SiteLayout layout(home);
  Site site;
  if (FileExists(layout.config())) {
    GANTRY_ASSIGN_OR_RETURN(std::string text, ReadFile(layout.config()));
    GANTRY_ASSIGN_OR_RETURN(site.config, ParseIdentityConfig(text, home, layout.config()));
  } else {
    GANTRY_ASSIGN_OR_RETURN(site.config, ParseIdentityConfig("", home));
  }
  site.issuer = site.config.issuer.empty() ? DefaultIssuer() : site.config.issuer;
  const std::string& needed = mode == KeyMode::kPublicOnly ? layout.jwks() : layout.key();
  if (mode != KeyMode::kCreate && !FileExists(needed)) {
    return Fail(NotFound(needed + " does not exist: start the server (gantry up or "
                                  "gantry server) with this GANTRY_HOME first"));
  }
  std::vector<TrustedIssuer> issuers;
  if (mode == KeyMode::kPublicOnly) {
    GANTRY_ASSIGN_OR_RETURN(std::vector<PublicKey> own, LoadJwksFile(layout.jwks()));
    issuers.push_back({site.issuer, std::move(own), ""});
  } else {
    GANTRY_ASSIGN_OR_RETURN(site.key, LoadOrCreateSigningKey(layout.key()));
    if (mode == KeyMode::kCreate) {
      GANTRY_RETURN_IF_ERROR(WriteFileAtomic(layout.jwks(), JwksJson({site.key}), 0644));
    }
    GANTRY_ASSIGN_OR_RETURN(std::vector<PublicKey> own, ParseJwks(JwksJson({site.key})));
    issuers.push_back({site.issuer, std::move(own), ""});
  }
  for (const IdentityConfig::Trust& trust : site.config.trusted) {
    GANTRY_ASSIGN_OR_RETURN(std::vector<PublicKey> keys, LoadJwksFile(trust.jwks_path));
    issuers.push_back({trust.issuer, std::move(keys), trust.vo});
  }
  site.verifier = Verifier(std::move(issuers),
                           ValidationOptions{site.config.audiences, 60, site.config.revoked});
  GANTRY_ASSIGN_OR_RETURN(site.vo, ParseOptionalFile<VoFile>(site.config.vo_file));
  GANTRY_ASSIGN_OR_RETURN(site.policy, ParseOptionalFile<Policy>(site.config.policy_file));
  GANTRY_ASSIGN_OR_RETURN(site.gridmap, ParseOptionalFile<Gridmap>(site.config.gridmap_file));
  return site;
}

}  // namespace gantry::identity
