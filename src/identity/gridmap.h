// The gridmap: which local account a token identity's work runs as.
//   "https://iam.example.org/ 8a3e-..."   alice     # one person: issuer and subject
//   "/cms/Role=production"                cmsprod   # everyone holding the role
//   "/cms"                                cms001    # members of the group
//   "/dteam"                              .dteam    # a pool: one of dteam001.. (pool.h)
// Person lines win over group lines; otherwise the first matching line in file order.
// Pure. Thread-compatible; immutable once parsed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "identity/identity.h"

namespace gantry::identity {

class Gridmap {
 public:
  static Result<Gridmap> Parse(std::string_view text, std::string_view name = "gridmap");

  // The account, or NotFound naming the identity.
  Result<std::string> Map(const Identity& identity) const;

 private:
  struct Entry {
    std::string issuer, subject;  // a person line
    std::string fqan;             // or a group/role line
    std::string account;
  };
  std::vector<Entry> entries_;
};

}  // namespace gantry::identity
