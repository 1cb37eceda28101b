#include "api/auth.h"

#include <pwd.h>
#include <sys/random.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <vector>

#include "base/strings.h"

namespace gantry::api {
namespace {

// Compares without an early exit, so the time taken does not reveal the token.
bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace

std::string UserName(uint32_t uid) {
  // Every request names its caller: the answer is kept for a minute, so a busy server does
  // not read the user database (files, LDAP) for each one.
  using Clock = std::chrono::steady_clock;
  static std::mutex mu;
  static std::map<uint32_t, std::pair<std::string, Clock::time_point>> cache;
  {
    std::lock_guard lock(mu);
    auto it = cache.find(uid);
    if (it != cache.end() && Clock::now() - it->second.second < std::chrono::seconds(60)) {
      return it->second.first;
    }
  }
  std::vector<char> buf(16384);
  struct passwd pw, *result = nullptr;
  std::string name = "uid" + std::to_string(uid);
  if (getpwuid_r(uid, &pw, buf.data(), buf.size(), &result) == 0 && result) name = pw.pw_name;
  std::lock_guard lock(mu);
  if (cache.size() > 10000) cache.clear();
  cache[uid] = {name, Clock::now()};
  return name;
}

Result<std::string> NewToken() {
  unsigned char bytes[32];
  if (getrandom(bytes, sizeof bytes, 0) != sizeof bytes) {
    return Fail(Internal("cannot read random bytes for the access token"));
  }
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

Result<broker::Caller> Authenticate(const net::HttpRequest& request, const AuthConfig& config) {
  broker::Caller caller;
  if (request.peer.kind == net::Peer::Kind::kUnix) {
    if (request.peer.uid == net::Peer::kUnknownId) {
      return Fail(Unauthenticated("the Unix socket peer has no credentials"));
    }
    caller.uid = request.peer.uid;
    caller.gid = request.peer.gid;
    caller.source = "unix:uid=" + std::to_string(caller.uid);
  } else {
    std::string_view auth = request.Header("authorization");
    // RFC 7235: the scheme is case-insensitive ("bearer" too), then one or more spaces.
    constexpr std::string_view kBearer = "Bearer";
    if (auth.size() <= kBearer.size() ||
        !EqualsIgnoreCase(auth.substr(0, kBearer.size()), kBearer) || auth[kBearer.size()] != ' ') {
      return Fail(Unauthenticated(
          "TCP requests need 'Authorization: Bearer <token>'; the token is in "
          "$GANTRY_HOME/token of the user who started the server"));
    }
    std::string_view presented = auth.substr(kBearer.size());
    presented.remove_prefix(std::min(presented.find_first_not_of(' '), presented.size()));
    if (config.token.empty() || !ConstantTimeEquals(presented, config.token)) {
      return Fail(Unauthenticated("the bearer token is not valid for this server"));
    }
    caller.uid = config.server_uid;
    caller.gid = config.server_gid;
    caller.source = "tcp:" + request.peer.address;
  }
  caller.name = UserName(caller.uid);
  caller.admin = caller.uid == 0 || caller.uid == config.server_uid;
  return caller;
}

}  // namespace gantry::api
