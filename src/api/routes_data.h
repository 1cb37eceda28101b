// The catalog's REST endpoints (docs/data.md "HTTP API"): RSEs, scopes and their ACLs, DIDs,
// replicas and usage. Each authenticates the caller; the catalog checks the storage scope
// (storage.read:/scope/name, storage.create:..., storage.modify:...) and the scope's ACL.
#pragma once

#include "api/auth.h"
#include "catalog/catalog.h"
#include "net/router.h"

namespace gantry::api {

// catalog and config must outlive the router.
void AddDataRoutes(net::Router& router, catalog::Catalog& catalog, const AuthConfig& config);

}  // namespace gantry::api
