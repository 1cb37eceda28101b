#include "base/passwd.h"

#include <grp.h>
#include <pwd.h>

namespace gantry {
namespace {

// getpw*_r's buffer: enough for any sane entry (LDAP entries with long gecos included).
constexpr size_t kBufferSize = 16384;

Account FromEntry(const passwd& pw) {
  return Account{pw.pw_uid, pw.pw_gid, pw.pw_name, pw.pw_dir != nullptr ? pw.pw_dir : "",
                 pw.pw_shell != nullptr ? pw.pw_shell : ""};
}

std::string NameOr(const std::optional<Account>& account, uid_t uid) {
  return account ? account->name : "uid" + std::to_string(uid);
}

}  // namespace

std::optional<Account> LookUpUser(uid_t uid) {
  std::vector<char> buffer(kBufferSize);
  passwd pw = {};
  passwd* found = nullptr;
  if (getpwuid_r(uid, &pw, buffer.data(), buffer.size(), &found) != 0 || found == nullptr) {
    return std::nullopt;
  }
  return FromEntry(pw);
}

std::optional<Account> LookUpUser(const std::string& name) {
  std::vector<char> buffer(kBufferSize);
  passwd pw = {};
  passwd* found = nullptr;
  if (getpwnam_r(name.c_str(), &pw, buffer.data(), buffer.size(), &found) != 0 ||
      found == nullptr) {
    return std::nullopt;
  }
  return FromEntry(pw);
}

std::string UserName(uid_t uid) { return NameOr(LookUpUser(uid), uid); }

std::vector<gid_t> GroupIdsOf(const std::string& name, gid_t gid) {
  if (name.empty()) return {gid};
  int count = 64;
  std::vector<gid_t> groups(static_cast<size_t>(count));
  while (getgrouplist(name.c_str(), gid, groups.data(), &count) < 0) {
    groups.resize(static_cast<size_t>(count));
  }
  groups.resize(static_cast<size_t>(count));
  return groups;
}

std::optional<Account> PasswdCache::Find(uid_t uid) {
  TimeMicros now = clock_.Now();
  {
    std::lock_guard lock(mu_);
    auto it = entries_.find(uid);
    if (it != entries_.end() && now - it->second.looked_up < ttl_) return it->second.account;
  }
  // Looked up outside the lock: NSS may be slow (LDAP), and other uids need not wait.
  std::optional<Account> account = look_up_(uid);
  std::lock_guard lock(mu_);
  if (entries_.size() > 10000) entries_.clear();  // a bound, not an eviction policy
  entries_[uid] = Entry{account, now};
  return account;
}

std::string PasswdCache::UserName(uid_t uid) { return NameOr(Find(uid), uid); }

}  // namespace gantry
