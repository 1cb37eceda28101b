#include "cli/client.h"

#include <unistd.h>

#include <cstdio>

#include "base/file.h"
#include "base/strings.h"
#include "wire/home.h"
#include "wire/token_discovery.h"

namespace gantry::cli {

Result<Client> Client::Connect() {
  std::string url;
  std::string token;
  if (const char* s = getenv("GANTRY_SERVER"); s && *s) url = s;
  std::string home = wire::DefaultHome();
  if (url.empty()) url = "unix://" + wire::HomeLayout(home).socket();
  if (url.rfind("http", 0) == 0) {
    // GANTRY_TOKEN, then WLCG Bearer Token Discovery, then the server user's own token.
    auto discovered = wire::DiscoverBearerToken(getenv, getuid());
    if (const char* t = getenv("GANTRY_TOKEN"); t && *t) {
      token = t;
    } else if (discovered) {
      token = discovered->token;
    } else if (discovered.error().code() != ErrorCode::kNotFound) {
      return Fail(discovered.error());
    } else {
      auto file = ReadFile(wire::HomeLayout(home).token());
      if (!file) {
        return Fail(Unauthenticated("a TCP server needs a token: set BEARER_TOKEN or "
                                    "BEARER_TOKEN_FILE, or make " +
                                    wire::HomeLayout(home).token() + " readable (" +
                                    file.error().message() + ")"));
      }
      token = std::string(Trim(*file));
    }
  }
  net::HttpClientOptions options;
  options.request_timeout = std::chrono::seconds(90);
  if (const char* ca = getenv("GANTRY_CA_FILE"); ca && *ca) options.ca_file = ca;
  GANTRY_ASSIGN_OR_RETURN(auto http, net::HttpClient::Create(url, options));
  return Client(std::move(http), token);
}

Status Client::CheckStatus(const net::HttpResponse& r) const {
  if (r.status / 100 == 2) return {};
  std::string message = r.body;
  ErrorCode code = ErrorCode::kInternal;
  auto body = nlohmann::json::parse(r.body, nullptr, false);
  if (!body.is_discarded() && body.is_object() && body.contains("error")) {
    message = body["error"].get<std::string>();
  }
  switch (r.status) {
    case 400: code = ErrorCode::kInvalidArgument; break;
    case 401: code = ErrorCode::kUnauthenticated; break;
    case 403: code = ErrorCode::kPermissionDenied; break;
    case 404: code = ErrorCode::kNotFound; break;
    case 409: code = ErrorCode::kFailedPrecondition; break;
    case 503: code = ErrorCode::kUnavailable; break;
    case 507: code = ErrorCode::kResourceExhausted; break;
    default: break;
  }
  return Fail(Error(code, message));
}

Result<net::HttpResponse> Client::Send(std::string_view method, std::string_view path,
                                       std::string_view body, const net::Headers& headers) {
  auto r = http_->Request(method, path, body, headers);
  // No answer at all (no socket, refused, closed): Unavailable, whatever errno said, so
  // callers can tell "the server is away" from the server's own "no such job" (404).
  if (!r) return Fail(Unavailable(r.error().message()));
  return r;
}

Result<net::HttpResponse> Client::Raw(std::string_view method, std::string_view path) {
  net::Headers headers;
  if (!token_.empty()) headers.emplace_back("Authorization", "Bearer " + token_);
  GANTRY_ASSIGN_OR_RETURN(net::HttpResponse r, Send(method, path, {}, headers));
  GANTRY_RETURN_IF_ERROR(CheckStatus(r));
  return r;
}

Result<nlohmann::json> Client::Call(std::string_view method, std::string_view path,
                                    std::string_view body) {
  net::Headers headers;
  if (!token_.empty()) headers.emplace_back("Authorization", "Bearer " + token_);
  GANTRY_ASSIGN_OR_RETURN(net::HttpResponse r, Send(method, path, body, headers));
  GANTRY_RETURN_IF_ERROR(CheckStatus(r));
  auto json = nlohmann::json::parse(r.body, nullptr, false);
  if (json.is_discarded()) {
    return Fail(Unavailable("the server at " + url() + " sent a body that is not JSON"));
  }
  return json;
}

int Report(std::string_view command, const Error& error) {
  std::fprintf(stderr, "gantry %.*s: %s\n", static_cast<int>(command.size()), command.data(),
               error.message().c_str());
  return 1;
}

std::string QueryEscape(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

int PrintGet(std::string_view command, std::string path,
             const std::map<std::string, std::string>& query) {
  char sep = '?';
  for (const auto& [key, value] : query) {
    path += sep + key + "=" + QueryEscape(value);
    sep = '&';
  }
  auto client = Client::Connect();
  if (!client) return Report(command, client.error());
  auto r = client->Raw("GET", path);
  if (!r) return Report(command, r.error());
  std::fwrite(r->body.data(), 1, r->body.size(), stdout);
  return 0;
}

}  // namespace gantry::cli
