// Everything identity-related a server keeps under GANTRY_HOME, loaded in one place so the
// server and `gantry token` read the same issuer, key and trust:
//   issuer.key     the built-in issuer's private key (ES256, generated on first start, 0600)
//   issuer.jwks    its public half, for other services to trust this issuer
//   identity.conf  optional: issuer name, audiences, trusted issuers, VO/policy/gridmap files
// Reads files; the result is immutable and thread-safe to share.
#pragma once

#include <string>

#include "base/error.h"
#include "identity/config.h"
#include "identity/gridmap.h"
#include "identity/keys.h"
#include "identity/policy.h"
#include "identity/verifier.h"
#include "identity/vo_file.h"

namespace gantry::identity {

struct SiteLayout {
  explicit SiteLayout(std::string home) : home(std::move(home)) {}
  std::string home;
  std::string key() const { return home + "/issuer.key"; }
  std::string jwks() const { return home + "/issuer.jwks"; }
  std::string config() const { return home + "/identity.conf"; }
};

struct Site {
  IdentityConfig config;
  std::string issuer;  // the built-in issuer's name
  SigningKey key;      // empty in KeyMode::kPublicOnly
  Verifier verifier;   // trusts the built-in issuer and every configured one
  VoFile vo;
  Policy policy;
  Gridmap gridmap;
};

enum class KeyMode {
  kCreate,     // the server: generate the issuer key on first start
  kMustExist,  // a client that mints (gantry token issue): the server must have made it
  kPublicOnly, // a client that only verifies (gantry token inspect): issuer.jwks, no private key
};

Result<Site> LoadSite(const std::string& home, KeyMode mode);

// "https://<hostname>/gantry": the built-in issuer's name unless identity.conf names one.
std::string DefaultIssuer();

}  // namespace gantry::identity
