// JobSpec <-> JSON: the wire form of a submission (docs/api.md) and the stored form.
// Decoding is strict: unknown fields and wrong types are errors naming the field. Pure.
#pragma once

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "model/job_spec.h"

namespace gantry::model {

nlohmann::json JobSpecToJson(const JobSpec& spec);
Result<JobSpec> JobSpecFromJson(const nlohmann::json& json);
// Checks what every JobSpec must satisfy, whichever front end produced it.
Status ValidateJobSpec(const JobSpec& spec);

}  // namespace gantry::model
