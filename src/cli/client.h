// Client: how CLI commands reach the server. Finds it ($GANTRY_SERVER, else the Unix socket
// under $GANTRY_HOME), sends the token on TCP, and turns HTTP errors back into Errors with
// the server's message. Thread-compatible.
#pragma once

#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "net/http_client.h"

namespace gantry::cli {

class Client {
 public:
  static Result<Client> Connect();

  // A request the server never answered (it is down, restarting, or went away meanwhile)
  // fails with kUnavailable; an answer with an error status fails with its code.
  Result<nlohmann::json> Call(std::string_view method, std::string_view path,
                              std::string_view body = {});
  // For endpoints with raw bodies (output).
  Result<net::HttpResponse> Raw(std::string_view method, std::string_view path);
  const std::string& url() const { return http_->url(); }

 private:
  Client(std::unique_ptr<net::HttpClient> http, std::string token)
      : http_(std::move(http)), token_(std::move(token)) {}
  Status CheckStatus(const net::HttpResponse& r) const;
  Result<net::HttpResponse> Send(std::string_view method, std::string_view path,
                                 std::string_view body, const net::Headers& headers);

  std::unique_ptr<net::HttpClient> http_;
  std::string token_;
};

// Prints "gantry <command>: <message>" to stderr and returns the exit status for it.
int Report(std::string_view command, const Error& error);

// Percent-encodes a query value.
std::string QueryEscape(std::string_view s);

// GETs path with query (keys as given, values percent-encoded) and writes the answer's body
// to stdout as it came (the server formats it): exit 0, or Report(command, ...)'s status.
int PrintGet(std::string_view command, std::string path,
             const std::map<std::string, std::string>& query);

}  // namespace gantry::cli
