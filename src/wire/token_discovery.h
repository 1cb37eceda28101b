// WLCG Bearer Token Discovery: where a client finds its token. In order: $BEARER_TOKEN,
// the file $BEARER_TOKEN_FILE, $XDG_RUNTIME_DIR/bt_u<uid>, /tmp/bt_u<uid>. The environment
// is injected so tests need not touch the process's. Thread-safe.
#pragma once

#include <functional>
#include <string>

#include "base/error.h"

namespace gantry::wire {

struct DiscoveredToken {
  std::string token;
  std::string source;  // "BEARER_TOKEN", or the file it came from
};

using GetEnv = std::function<const char*(const char*)>;

// NotFound if no place holds a token; a named file that cannot be read is an error (the
// user pointed at it), while the two default places are skipped when absent.
Result<DiscoveredToken> DiscoverBearerToken(const GetEnv& getenv, uint32_t uid);

}  // namespace gantry::wire
