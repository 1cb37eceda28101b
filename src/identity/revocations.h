// The revocation list: credentials refused from their next request on, without a restart
// and without touching any other credential (docs/security.md). Kept in
// $GANTRY_HOME/revoked, one entry a line, each appended and fsynced before it takes effect:
//   jti     h-KhVg3ZqeyHGuXtDmEBLQ                          # one token
//   subject https://node1/gantry agent-node7 1764650000     # a subject's tokens issued
//                                                           # before that time (seconds)
// Thread-safe: a mutex guards the list; Check is called on every token request.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "identity/identity.h"

namespace gantry::identity {

struct Revocation {
  std::string jti;  // set for a jti line
  std::string issuer, subject;  // set for a subject line
  int64_t issued_before = 0;    // seconds: tokens with iat below (or at) it are revoked
};

class Revocations {
 public:
  // Reads path if it exists (a bad line is an error naming it).
  static Result<std::unique_ptr<Revocations>> Open(std::string path);

  // Why a verified token is refused ("the token X of S was revoked"), or nullopt.
  std::optional<std::string> Check(const Identity& token) const;
  // Appends and fsyncs the entry, then applies it.
  Status Add(const Revocation& entry);
  std::vector<Revocation> List() const;

  // The line format (pure, for tests).
  static Result<std::vector<Revocation>> Parse(std::string_view text, std::string_view name);
  static std::string Format(const Revocation& entry);

 private:
  explicit Revocations(std::string path) : path_(std::move(path)) {}
  const std::string path_;
  mutable std::mutex mu_;
  std::vector<Revocation> entries_;  // GUARDED_BY(mu_)
};

}  // namespace gantry::identity
