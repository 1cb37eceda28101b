// libFuzzer target for the JobSpec JSON decoder (src/model/job_spec_json.h): the body of
// POST /v1/jobs, from any client. Text that is not JSON is of no interest here (nlohmann's
// parser); a JSON value may be refused, but nothing may crash or leak, and a spec that is
// accepted must encode and decode back to the same JSON.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "model/job_spec_json.h"

namespace model = gantry::model;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  nlohmann::json body = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return 0;
  auto spec = model::JobSpecFromJson(body);
  if (!spec) return 0;
  (void)model::ValidateJobSpec(*spec);
  nlohmann::json encoded = model::JobSpecToJson(*spec);
  auto again = model::JobSpecFromJson(encoded);
  if (!again) std::abort();  // what we wrote we cannot read
  if (model::JobSpecToJson(*again) != encoded) std::abort();  // the round trip lost something
  return 0;
}
