// Who is calling: Unix-socket callers by their peer credentials, TCP callers by the bearer
// token `gantry up` wrote to a 0600 file. No unauthenticated call gets past here.
// Thread-safe (immutable after construction).
#pragma once

#include <string>

#include "base/error.h"
#include "broker/types.h"
#include "net/http_types.h"

namespace gantry::api {

struct AuthConfig {
  uint32_t server_uid = 0;  // the server's own user: admin of its server, as is root
  uint32_t server_gid = 0;
  std::string token;        // TCP callers must send "Authorization: Bearer <token>"
};

Result<broker::Caller> Authenticate(const net::HttpRequest& request, const AuthConfig& config);

// The login name of uid, or "uid<N>" if it has none.
std::string UserName(uint32_t uid);

// 32 random bytes, hex.
Result<std::string> NewToken();

}  // namespace gantry::api
