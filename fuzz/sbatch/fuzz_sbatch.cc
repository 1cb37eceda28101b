// libFuzzer target for batch scripts and their #SBATCH/#GANTRY directives
// (src/submit/submission.h): the script a user hands `gantry submit`. The first byte picks
// a few command-line options to combine with it. A script may be refused; nothing may
// crash, hang or leak, an error must say where it is, and an accepted spec must pass
// ValidateJobSpec and survive the JSON round trip the CLI sends it through.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "model/job_spec_json.h"
#include "submit/submission.h"

namespace model = gantry::model;
namespace submit = gantry::submit;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const std::vector<std::vector<std::string>> kArgs = {
      {}, {"-n", "2"}, {"--array=0-3%2"}, {"-J", "cli", "--mem=1G"}, {"--export=NONE,A=1"},
      {"-d", "afterok:12"}, {"-t", "1:00"}, {"--begin=now+60"}};
  submit::SubmitInput input;
  input.script_text.assign(reinterpret_cast<const char*>(data) + 1, size - 1);
  input.script_name = "job.sh";
  input.cli_args = kArgs[data[0] % kArgs.size()];
  input.submit_dir = "/home/u/work";
  input.submit_env = {{"HOME", "/home/u"}, {"PATH", "/usr/bin:/bin"}, {"USER", "u"}};
  input.user = "u";
  input.now = 1'700'000'000'000'000;
  input.tz_offset_seconds = 3600;
  auto spec = submit::ParseSubmission(input);
  if (!spec) {
    if (spec.error().code() != gantry::ErrorCode::kInvalidArgument) std::abort();
    if (spec.error().message().empty()) std::abort();
    return 0;
  }
  if (!model::ValidateJobSpec(*spec)) std::abort();  // the parser let through a bad spec
  nlohmann::json encoded = model::JobSpecToJson(*spec);
  auto again = model::JobSpecFromJson(encoded);
  if (!again || model::JobSpecToJson(*again) != encoded) std::abort();
  return 0;
}
