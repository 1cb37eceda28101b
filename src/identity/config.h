// The server's identity configuration, $GANTRY_HOME/identity.conf (optional):
//   issuer   https://gantry.example.org        # the built-in issuer's name ("iss")
//   audience https://gantry.example.org        # names tokens must carry in "aud"; repeatable
//   trust    https://cms-auth.cern.ch/ cms.jwks vo=cms   # another issuer and its keys
//   vo-file  vo                                # local users/groups -> VO groups and roles
//   policy   policy                            # who sees, submits, steers (policy.h)
//   gridmap  gridmap                           # token identities -> local accounts
//   revoke   h-KhVg3ZqeyHGuXtDmEBLQ            # refuse the token with this jti; repeatable
// Relative paths are relative to the file's directory. Pure. A plain value type.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace gantry::identity {

struct IdentityConfig {
  struct Trust {
    std::string issuer;
    std::string jwks_path;
    std::string vo;
  };
  std::string issuer;                  // "" = the default for this host
  std::vector<std::string> audiences;  // empty = {"gantry"}
  std::vector<Trust> trusted;
  std::string vo_file, policy_file, gridmap_file;  // "" = none
  std::vector<std::string> revoked;                // jtis
};

inline constexpr std::string_view kDefaultAudience = "gantry";

Result<IdentityConfig> ParseIdentityConfig(std::string_view text, std::string_view dir,
                                           std::string_view name = "identity.conf");

}  // namespace gantry::identity
