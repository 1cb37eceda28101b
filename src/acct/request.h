// What `gantry acct` asks (sacct's options), how it travels to the server (a query string),
// and what the caller may see of it. Pure, thread-compatible.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "acct/fields.h"
#include "base/error.h"
#include "model/identity.h"
#include "model/selectors.h"
#include "model/usage_record.h"

namespace gantry::acct {

enum class OutputMode { kTable, kParsable, kParsable2, kJson };

struct AcctRequest {
  std::vector<std::string> users;     // -u; empty: the caller (or everyone with all_users)
  std::vector<std::string> accounts;  // -A
  std::vector<std::string> vos;       // --vo
  std::vector<std::string> groups;    // --group
  std::vector<std::string> states;    // -s, long names
  std::string jobs_text;              // -j, as given
  std::vector<model::JobSelector> jobs;
  TimeMicros start = 0;        // -S, resolved
  TimeMicros end = INT64_MAX;  // -E, resolved
  bool all_users = false;      // -a
  bool allocations = false;    // -X: one line per job, its attempts summed
  bool no_header = false;      // -n
  std::string format_text = std::string(kDefaultFormat);
  std::vector<Field> fields;
  OutputMode mode = OutputMode::kTable;
  int tz_offset_seconds = 0;  // the caller's, for dates
};

// The -S/-E window as sacct resolves it: -S defaults to today's 00:00 (no default with -j),
// -E to now. A given -E includes the whole second it names (records carry microseconds,
// sacct's times are seconds). Errors name the option and what was expected; a start after
// the end is refused.
struct Window {
  TimeMicros start = 0;
  TimeMicros end = INT64_MAX;
};
Result<Window> ResolveWindow(std::string_view start_text, std::string_view end_text, bool have_jobs,
                             TimeMicros now, int tz_offset_seconds);

// Splits "a,b,c" lists (repeated options may be given too); empty items are refused.
Result<std::vector<std::string>> SplitList(std::string_view option, std::string_view text);

// The request as query parameters, and back (the server checks everything again).
std::map<std::string, std::string> ToQuery(const AcctRequest& request);
Result<AcctRequest> FromQuery(const std::map<std::string, std::string>& query);

// What the reader is asked for `who`: their own records unless they name users or -a;
// only what they may see (own, see-vo VOs, everything for admin).
model::UsageFilter FilterFor(const AcctRequest& request, const model::Identity& who);

}  // namespace gantry::acct
