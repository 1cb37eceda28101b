// DataRoutes: how the data endpoints (routes_data.cc: the catalog; routes_transfers.cc: the
// transfer service) are added. Every one authenticates the caller and refuses agents'
// credentials (they speak the agent protocol only); storage scopes and ACLs are the
// catalog's to check, per DID. The handler is given a DataCall: the request, the caller, the
// JSON body of a POST, and on a path with {scope}/{name} the DID, validated.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "api/auth.h"
#include "catalog/did.h"
#include "net/router.h"

namespace gantry::api {

struct DataCall {
  const net::HttpRequest& req;
  const model::Identity& who;
  nlohmann::json body;  // POST: the body parsed ({} when empty); otherwise null
  catalog::Did did;     // a path with {scope}/{name}: that DID; otherwise empty
};
using DataHandler = std::function<Result<net::HttpResponse>(const DataCall&)>;

// Adds routes to one router. Setup only (net::Router::Add is not thread-safe); the router
// and config must outlive the handlers.
class DataRoutes {
 public:
  DataRoutes(net::Router& router, const AuthConfig& config) : router_(router), config_(config) {}
  void Add(std::string_view method, const std::string& path, DataHandler f);

 private:
  net::Router& router_;
  const AuthConfig& config_;
};

// body[key] as a string; absent and not required: "". Otherwise an error naming the key.
Result<std::string> TextField(const nlohmann::json& body, const char* key, bool required = true);
// body[key] as an integer, fallback when absent.
Result<int64_t> IntField(const nlohmann::json& body, const char* key, int64_t fallback);
// The ?limit= of a listing: a positive number, fallback when absent.
Result<int64_t> LimitQuery(const net::HttpRequest& req, int64_t fallback);
net::HttpResponse OkReply();  // {"ok": true}

}  // namespace gantry::api
