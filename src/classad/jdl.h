// gLite JDL job descriptions: ClassAds with their own attribute names. ParseJdl reads
// one into a JdlJob; ExpandJdl turns a parametric job into one ad per parameter value
// with _PARAM_ substituted. Pure functions, thread-safe. Format: docs/classad.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "classad/classad.h"
#include "classad/expr.h"

namespace gantry::classad {

enum class JdlJobType { kNormal, kParametric };

struct JdlJob {
  JdlJobType job_type = JdlJobType::kNormal;
  std::string executable;
  std::string arguments;  // one string, split by the shell as gLite does
  std::string std_input;
  std::string std_output;
  std::string std_error;
  std::vector<std::string> input_sandbox;
  std::vector<std::string> output_sandbox;
  std::vector<std::string> environment;  // "NAME=value"
  int64_t retry_count = 0;               // deep retries (the job ran and failed)
  int64_t shallow_retry_count = 0;       // resubmissions before the job started
  // Parametric jobs: _PARAM_ takes each of `parameter_values` in turn; with an integer
  // Parameters they are ParameterStart, +ParameterStep, ... below Parameters.
  std::vector<std::string> parameter_values;
  int64_t parameter_start = 0;
  int64_t parameter_step = 1;
  ExprPtr requirements;  // null when absent
  ExprPtr rank;          // null when absent
  ClassAd ad;            // the whole description, every attribute as written
  ClassAd other;         // attributes not covered by the fields above

  JdlJob() = default;
  JdlJob(const JdlJob& other);
  JdlJob& operator=(const JdlJob& other);
  JdlJob(JdlJob&&) = default;
  JdlJob& operator=(JdlJob&&) = default;
};

// Upper bound on parametric expansion.
inline constexpr int64_t kMaxJdlParameters = 1'000'000;

// Parses JDL text: a ClassAd with or without the outer [ ], "#" comment lines allowed.
Result<JdlJob> ParseJdl(std::string_view text);

// The concrete ads: one for a normal job; for a parametric job one per parameter value,
// with every "_PARAM_" in string literals replaced, JobType = "Normal" and the
// Parameters/ParameterStart/ParameterStep attributes removed.
Result<std::vector<ClassAd>> ExpandJdl(const JdlJob& job);

}  // namespace gantry::classad
