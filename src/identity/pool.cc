#include "identity/pool.h"

#include <pwd.h>

#include <algorithm>
#include <charconv>

#include "base/file.h"
#include "identity/config_lines.h"

namespace gantry::identity {
namespace {

// What the line format cannot carry inside "double quotes".
bool Storable(std::string_view word) {
  return std::none_of(word.begin(), word.end(),
                      [](char c) { return c == '"' || c == '\n' || c == '\r' || c == '\0'; });
}

std::string Quoted(std::string_view word) { return "\"" + std::string(word) + "\""; }

std::string Describe(std::string_view pool, const std::vector<std::string>& members) {
  std::string out = "the pool '" + std::string(pool) + "' (";
  out += members.size() == 1 ? members.front() : members.front() + ".." + members.back();
  return out + ", " + std::to_string(members.size()) +
         (members.size() == 1 ? " account)" : " accounts)");
}

}  // namespace

std::optional<std::string_view> PoolOf(std::string_view gridmap_account) {
  if (gridmap_account.size() < 2 || gridmap_account.front() != '.') return std::nullopt;
  return gridmap_account.substr(1);
}

bool IsPoolMember(std::string_view pool, std::string_view account) {
  if (account.size() <= pool.size() || !account.starts_with(pool)) return false;
  std::string_view digits = account.substr(pool.size());
  return std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::vector<std::string> PoolMembers(std::string_view pool,
                                     const std::vector<std::string>& accounts) {
  struct Member {
    std::string name;
    uint64_t number;
  };
  std::vector<Member> members;
  for (const std::string& account : accounts) {
    if (!IsPoolMember(pool, account)) continue;
    std::string_view digits = std::string_view(account).substr(pool.size());
    uint64_t number = UINT64_MAX;  // too many digits: after every other
    std::from_chars(digits.data(), digits.data() + digits.size(), number);
    members.push_back({account, number});
  }
  std::sort(members.begin(), members.end(), [](const Member& a, const Member& b) {
    return a.number != b.number ? a.number < b.number : a.name < b.name;
  });
  std::vector<std::string> out;
  for (Member& m : members) {
    if (out.empty() || out.back() != m.name) out.push_back(std::move(m.name));
  }
  return out;
}

Result<LeaseTable> LeaseTable::Parse(std::string_view text, std::string_view name) {
  GANTRY_ASSIGN_OR_RETURN(std::vector<ConfigLine> lines, SplitConfigLines(text));
  LeaseTable table;
  for (const ConfigLine& line : lines) {
    const std::vector<std::string>& w = line.words;
    int64_t since = 0;
    auto [end, ec] = w.size() == 5 ? std::from_chars(w[4].data(), w[4].data() + w[4].size(), since)
                                   : std::from_chars_result{nullptr, std::errc::invalid_argument};
    if (w.size() != 5 || ec != std::errc() || end != w[4].data() + w[4].size()) {
      return Fail(InvalidArgument(LineContext(name, line) +
                                  "expected 'ACCOUNT POOL \"ISSUER\" \"SUBJECT\" SINCE'"));
    }
    if (!IsPoolMember(w[1], w[0])) {
      return Fail(InvalidArgument(LineContext(name, line) + "the account '" + w[0] +
                                  "' is not a member of the pool '" + w[1] + "'"));
    }
    for (const identity::Lease& other : table.leases_) {
      if (other.account == w[0]) {
        return Fail(InvalidArgument(LineContext(name, line) + "the account '" + w[0] +
                                    "' is leased twice"));
      }
      if (other.pool == w[1] && other.issuer == w[2] && other.subject == w[3]) {
        return Fail(InvalidArgument(LineContext(name, line) + "the subject '" + w[3] +
                                    "' holds two accounts of the pool '" + w[1] + "'"));
      }
    }
    table.leases_.push_back({w[0], w[1], w[2], w[3], since});
  }
  return table;
}

std::string LeaseTable::Format() const {
  std::string out =
      "# Pool account leases (docs/security.md): ACCOUNT POOL \"ISSUER\" \"SUBJECT\" SINCE.\n"
      "# Written by the server; edit only while it is stopped.\n";
  for (const identity::Lease& l : leases_) {
    out += l.account + " " + l.pool + " " + Quoted(l.issuer) + " " + Quoted(l.subject) + " " +
           std::to_string(l.since) + "\n";
  }
  return out;
}

Result<std::string> LeaseTable::Lease(std::string_view pool,
                                      const std::vector<std::string>& members,
                                      std::string_view issuer, std::string_view subject,
                                      int64_t now) {
  if (members.empty()) {
    return Fail(FailedPrecondition(
        "the pool '" + std::string(pool) + "' has no accounts: create local accounts named " +
        std::string(pool) + "001, " + std::string(pool) + "002, ... (useradd)"));
  }
  auto mine = std::find_if(leases_.begin(), leases_.end(), [&](const identity::Lease& l) {
    return l.pool == pool && l.issuer == issuer && l.subject == subject;
  });
  if (mine != leases_.end()) {
    if (std::find(members.begin(), members.end(), mine->account) != members.end()) {
      return mine->account;
    }
    leases_.erase(mine);  // its account left the pool: lease another
  }
  for (const std::string& account : members) {
    bool taken = std::any_of(leases_.begin(), leases_.end(),
                             [&](const identity::Lease& l) { return l.account == account; });
    if (taken) continue;
    leases_.push_back({account, std::string(pool), std::string(issuer), std::string(subject), now});
    return account;
  }
  return Fail(ResourceExhausted(Describe(pool, members) +
                                " is exhausted: every account is leased to another subject"));
}

std::vector<std::string> SystemAccounts() {
  // getpwent is not reentrant: AccountPools calls this under its mutex, and nothing else in
  // Gantry walks the database.
  std::vector<std::string> out;
  setpwent();
  while (struct passwd* pw = getpwent()) out.emplace_back(pw->pw_name);
  endpwent();
  return out;
}

Result<std::unique_ptr<AccountPools>> AccountPools::Open(std::string path, AccountLister accounts) {
  std::unique_ptr<AccountPools> pools(new AccountPools(path, std::move(accounts)));
  if (!path.empty() && FileExists(path)) {
    GANTRY_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
    GANTRY_ASSIGN_OR_RETURN(pools->table_, LeaseTable::Parse(text, path));
  }
  return pools;
}

Result<std::string> AccountPools::Lease(std::string_view pool, const Identity& who, int64_t now) {
  if (!Storable(who.issuer) || !Storable(who.subject)) {
    return Fail(PermissionDenied(who.Display() + " cannot hold a pool account: its issuer or "
                                                 "subject contains a quote or a line break"));
  }
  std::lock_guard lock(mu_);
  // A subject's lease is looked up on every request it makes: the account database is read
  // only to lease a new account.
  for (const identity::Lease& l : table_.leases()) {
    if (l.pool == pool && l.issuer == who.issuer && l.subject == who.subject) return l.account;
  }
  std::vector<std::string> members = PoolMembers(pool, accounts_());
  LeaseTable next = table_;
  auto account = next.Lease(pool, members, who.issuer, who.subject, now);
  if (!account) {
    return Fail(PermissionDenied(who.Display() + " maps to pool accounts, but " +
                                 account.error().message()));
  }
  if (next.leases().size() == table_.leases().size() &&
      std::equal(next.leases().begin(), next.leases().end(), table_.leases().begin(),
                 [](const identity::Lease& a, const identity::Lease& b) {
                   return a.account == b.account && a.subject == b.subject && a.issuer == b.issuer;
                 })) {
    return account;  // an existing lease: nothing to write
  }
  if (!path_.empty()) {
    auto written = WriteFileAtomic(path_, next.Format(), 0644);
    if (!written) {
      return Fail(Unavailable("cannot record the lease of " + *account + " in " + path_ + ": " +
                              written.error().message()));
    }
  }
  table_ = std::move(next);
  return account;
}

std::vector<Lease> AccountPools::List() const {
  std::lock_guard lock(mu_);
  return table_.leases();
}

}  // namespace gantry::identity
