// The user database (passwd and group: files, LDAP, ... through NSS): an account by uid or
// by name, a user's groups, and a cache of accounts for servers and agents that ask for the
// same few users on every request. Functions are thread-safe; PasswdCache is thread-safe.
#pragma once

#include <sys/types.h>

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"

namespace gantry {

// One passwd entry.
struct Account {
  uid_t uid = 0;
  gid_t gid = 0;
  std::string name;
  std::string home;
  std::string shell;
};

// nullopt if the database has no such user (or cannot be read).
std::optional<Account> LookUpUser(uid_t uid);
std::optional<Account> LookUpUser(const std::string& name);

// The account's name, or "uid<N>" for a uid without an entry.
std::string UserName(uid_t uid);

// The groups of user `name`, its primary `gid` first (getgrouplist); just gid if the user
// is unknown to the group database.
std::vector<gid_t> GroupIdsOf(const std::string& name, gid_t gid);

// Accounts by uid, each kept for `ttl`: a busy server names the caller of every request,
// an agent the owner of every job, and the database may be LDAP.
class PasswdCache {
 public:
  using LookUp = std::function<std::optional<Account>(uid_t)>;
  // `look_up` is the database (tests pass a fake).
  explicit PasswdCache(const Clock& clock, TimeMicros ttl = 60 * kMicrosPerSecond,
                       LookUp look_up = [](uid_t uid) { return LookUpUser(uid); })
      : clock_(clock), ttl_(ttl), look_up_(std::move(look_up)) {}
  PasswdCache(const PasswdCache&) = delete;
  PasswdCache& operator=(const PasswdCache&) = delete;

  std::optional<Account> Find(uid_t uid);
  // The account's name, or "uid<N>" for a uid without an entry.
  std::string UserName(uid_t uid);

 private:
  struct Entry {
    std::optional<Account> account;
    TimeMicros looked_up = 0;
  };
  const Clock& clock_;
  const TimeMicros ttl_;
  const LookUp look_up_;
  std::mutex mu_;
  std::map<uid_t, Entry> entries_;  // GUARDED_BY(mu_)
};

}  // namespace gantry
