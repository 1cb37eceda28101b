// The transfer service's REST endpoints (docs/data.md "Transfers"): queue transfers of
// catalog files or plain URLs, list them with progress, their events, cancel them, the
// links' optimizer state, and replication rules.
#pragma once

#include "api/auth.h"
#include "net/router.h"
#include "transfer/service.h"

namespace gantry::api {

// service and config must outlive the router.
void AddTransferRoutes(net::Router& router, transfer::TransferService& service,
                       const AuthConfig& config);

}  // namespace gantry::api
