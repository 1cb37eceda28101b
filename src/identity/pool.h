// Pool accounts, as LCMAPS and ARC keep them: a gridmap line whose account is ".NAME"
//   "/dteam"  .dteam
// maps each matching identity to one of the local accounts NAME followed by digits
// (dteam001, dteam002, ...: whatever the account database holds), leased to that subject
// (issuer + sub) for good: the same subject gets the same account every time, across
// restarts, and two subjects never share one. The leases live in $GANTRY_HOME/pool-leases,
// rewritten atomically before a new lease is used:
//   dteam001 dteam "https://iam.example.org/" "8a3e-..." 1764650000   # account pool iss sub since
// LeaseTable is the pure half (thread-compatible); AccountPools adds the file and the
// account database behind a mutex (thread-safe).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "identity/identity.h"

namespace gantry::identity {

struct Lease {
  std::string account;  // "dteam001"
  std::string pool;     // "dteam"
  std::string issuer, subject;
  int64_t since = 0;  // seconds since the epoch
};

// "dteam" for a gridmap account ".dteam"; nullopt for a plain account.
std::optional<std::string_view> PoolOf(std::string_view gridmap_account);
// True if account is pool followed by one or more digits ("dteam007" of "dteam").
bool IsPoolMember(std::string_view pool, std::string_view account);
// The members of pool among accounts, in the order they are handed out: by number
// (dteam2 before dteam10), then by name.
std::vector<std::string> PoolMembers(std::string_view pool,
                                     const std::vector<std::string>& accounts);

class LeaseTable {
 public:
  // The pool-leases format; a bad line is an error naming name:line.
  static Result<LeaseTable> Parse(std::string_view text, std::string_view name = "pool-leases");
  std::string Format() const;

  // The account of (issuer, subject) in pool: its lease if that account is still one of
  // members, else the first member leased to nobody, recorded with since = now (a lease of
  // an account that left the pool is replaced). ResourceExhausted naming the pool when every
  // member is leased to another subject; FailedPrecondition when the pool has no members.
  Result<std::string> Lease(std::string_view pool, const std::vector<std::string>& members,
                            std::string_view issuer, std::string_view subject, int64_t now);

  const std::vector<identity::Lease>& leases() const { return leases_; }

 private:
  std::vector<identity::Lease> leases_;
};

// The accounts of this machine's account database (getpwent: files, LDAP, ...), for pools.
std::vector<std::string> SystemAccounts();

class AccountPools {
 public:
  using AccountLister = std::function<std::vector<std::string>()>;

  // Reads path if it exists; path "" keeps the leases in memory only (tests, fuzzing).
  static Result<std::unique_ptr<AccountPools>> Open(std::string path,
                                                    AccountLister accounts = SystemAccounts);

  // The account leased to who in pool: its lease, as recorded, or a new one (on disk before it
  // is returned; only then is the account database read).
  // PermissionDenied naming the pool when it is exhausted or empty; Unavailable when the
  // lease file cannot be written (nothing is leased then).
  Result<std::string> Lease(std::string_view pool, const Identity& who, int64_t now);
  std::vector<identity::Lease> List() const;

 private:
  AccountPools(std::string path, AccountLister accounts)
      : path_(std::move(path)), accounts_(std::move(accounts)) {}
  const std::string path_;
  const AccountLister accounts_;
  mutable std::mutex mu_;
  LeaseTable table_;  // GUARDED_BY(mu_)
};

}  // namespace gantry::identity
