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

// One comma-separated element: N, N-M or N-M:S. Marks the ids in `present`.
Status AddElement(std::string_view element, std::vector<bool>& present) {
  if (element.empty()) return Fail(Bad("empty element in array list; " + std::string(kExpected)));
  if (element.front() == '-') return Fail(Bad("array indexes must not be negative"));
  int64_t step = 1;
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
    step = std::min(*s, kMaxArrayTaskId + 1);  // larger steps select only `first`
  }
  GANTRY_ASSIGN_OR_RETURN(int64_t first, ParseIndex(range.substr(0, dash)));
  int64_t last = first;
  if (dash != std::string_view::npos) {
    GANTRY_ASSIGN_OR_RETURN(last, ParseIndex(range.substr(dash + 1)));
    if (last < first) {
      return Fail(Bad("range " + std::string(range) + " is reversed (write " +
                      std::to_string(last) + "-" + std::to_string(first) + ")"));
    }
  }
  for (int64_t i = first; i <= last; i += step) present[static_cast<size_t>(i)] = true;
  return {};
}

}  // namespace

Result<model::ArraySpec> ParseArraySpec(std::string_view text) {
  model::ArraySpec spec;
  spec.text = std::string(Trim(text));
  std::string_view body = spec.text;
  size_t percent = body.find('%');
  if (percent != std::string_view::npos) {
    std::optional<int64_t> max = internal::ParseDigits(body.substr(percent + 1));
    if (!max || *max <= 0) {
      return Fail(Bad("the limit after '%' must be a positive whole number of running tasks"));
    }
    spec.max_concurrent = *max;
    body = body.substr(0, percent);
  }
  if (body.size() >= 2 && body.front() == '[' && body.back() == ']') {
    body = body.substr(1, body.size() - 2);
  }
  if (body.empty()) return Fail(Bad(kExpected));
  // A bitmap over every possible id: 4M bits = 500 KB, and duplicates collapse for free.
  std::vector<bool> present(static_cast<size_t>(kMaxArrayTaskId) + 1, false);
  for (const std::string& element : Split(body, ',')) {
    GANTRY_RETURN_IF_ERROR(AddElement(element, present));
  }
  int64_t count = 0;
  for (bool p : present) count += p ? 1 : 0;
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
