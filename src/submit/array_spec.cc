#include "submit/array_spec.h"

#include <algorithm>
#include <string>
#include <vector>

#include "base/strings.h"
#include "submit/internal/numbers.h"

namespace gantry::submit {
namespace {

constexpr std::string_view kExpected =
    "expected indexes like 0-15, 1,3,5-7, 0-15:4 (step 4) or 1-5%2 (at most 2 running)";

Error Bad(std::string_view why) { return InvalidArgument(std::string(why)); }

Result<int64_t> ParseIndex(std::string_view s) {
  if (!s.empty() && s.front() == '-') return Fail(Bad("array indexes must not be negative"));
  std::optional<int64_t> v = internal::ParseDigits(s);
  if (!v) {
    if (!s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos) {
      return Fail(Bad("array index too large (at most " + std::to_string(kMaxArrayTaskId) + ")"));
    }
    return Fail(Bad(kExpected));
  }
  if (*v > kMaxArrayTaskId) {
    return Fail(Bad("array index " + std::string(s) + " too large (at most " +
                    std::to_string(kMaxArrayTaskId) + ")"));
  }
  return *v;
}

struct Range {
  int64_t first = 0;
  int64_t last = 0;
  int64_t step = 1;
};

// One comma-separated element: N, N-M or N-M:S.
Result<Range> ParseElement(std::string_view element) {
  if (element.empty()) return Fail(Bad("empty element in array list; " + std::string(kExpected)));
  if (element.front() == '-') return Fail(Bad("array indexes must not be negative"));
  Range r;
  size_t colon = element.find(':');
  std::string_view range = element.substr(0, colon);
  size_t dash = range.find('-');
  if (colon != std::string_view::npos) {
    if (dash == std::string_view::npos) {
      return Fail(Bad("a step (:" + std::string(element.substr(colon + 1)) +
                      ") needs a range such as 0-15:4"));
    }
    std::optional<int64_t> s = internal::ParseDigits(element.substr(colon + 1));
    if (!s || *s <= 0) return Fail(Bad("the step after ':' must be a positive whole number"));
    r.step = std::min(*s, kMaxArrayTaskId + 1);  // larger steps select only `first`
  }
  GANTRY_ASSIGN_OR_RETURN(r.first, ParseIndex(range.substr(0, dash)));
  r.last = r.first;
  if (dash != std::string_view::npos) {
    GANTRY_ASSIGN_OR_RETURN(r.last, ParseIndex(range.substr(dash + 1)));
    if (r.last < r.first) {
      return Fail(Bad("range " + std::string(range) + " is reversed (write " +
                      std::to_string(r.last) + "-" + std::to_string(r.first) + ")"));
    }
  }
  return r;
}

}  // namespace

Result<model::ArraySpec> ParseArraySpec(std::string_view text) {
  model::ArraySpec spec;
  spec.text = std::string(Trim(text));
  std::string_view body = spec.text;
  size_t percent = body.find('%');
  if (percent != std::string_view::npos) {
    std::optional<int64_t> max = internal::ParseDigits(body.substr(percent + 1));
    if (!max || *max <= 0 || *max > kMaxArrayTasks) {
      return Fail(Bad("the limit after '%' must be a whole number of running tasks from 1 to " +
                      std::to_string(kMaxArrayTasks)));
    }
    spec.max_concurrent = *max;
    body = body.substr(0, percent);
  }
  if (body.size() >= 2 && body.front() == '[' && body.back() == ']') {
    body = body.substr(1, body.size() - 2);
  }
  if (body.empty()) return Fail(Bad(kExpected));
  std::vector<Range> ranges;
  int64_t max_id = 0;
  for (const std::string& element : Split(body, ',')) {
    GANTRY_ASSIGN_OR_RETURN(Range r, ParseElement(element));
    max_id = std::max(max_id, r.last);
    ranges.push_back(r);
  }
  // A bitmap up to the largest id (at most 4M bits = 500 KB): duplicates collapse and the ids
  // come out sorted, as with SLURM's bitmap.
  std::vector<bool> present(static_cast<size_t>(max_id) + 1, false);
  int64_t count = 0;
  for (const Range& r : ranges) {
    for (int64_t i = r.first; i <= r.last; i += r.step) {
      auto bit = present[static_cast<size_t>(i)];
      if (!bit) ++count;
      bit = true;
    }
  }
  if (count > kMaxArrayTasks) {
    return Fail(Bad("too many array tasks (" + std::to_string(count) + "; at most " +
                    std::to_string(kMaxArrayTasks) + ")"));
  }
  spec.task_ids.reserve(static_cast<size_t>(count));
  for (size_t i = 0; i < present.size(); ++i) {
    if (present[i]) spec.task_ids.push_back(static_cast<int64_t>(i));
  }
  return spec;
}

}  // namespace gantry::submit
