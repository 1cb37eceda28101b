// Accounting endpoints (docs/api.md "Accounting"): GET /v1/acct, what `gantry acct` shows,
// and GET /v1/report, what `gantry report` shows.
// They read through a UsageReader (its own connections), never the broker.
#pragma once

#include "api/auth.h"
#include "net/router.h"
#include "store/usage_reader.h"

namespace gantry::api {

// reader and config must outlive the router.
void AddAcctRoutes(net::Router& router, const store::UsageReader& reader, const AuthConfig& config);

}  // namespace gantry::api
