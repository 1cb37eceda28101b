// -C/--constraint: SLURM's node-feature expressions, translated into a ClassAd Requirements
// clause over the agent ad's Features list (docs/submit.md, "Partitions and features"). Pure.
#pragma once

#include <string>
#include <string_view>

#include "base/error.h"

namespace gantry::submit {

// "intel&gpu", "a|b", "[rack1|rack2]", "(a|b)&c", "a*1" -> the ClassAd expression text, e.g.
// member("intel", TARGET.Features) && member("gpu", TARGET.Features). & binds tighter than
// |, as in SLURM. A node count above 1 (a*2) needs several nodes and is refused: a Gantry job
// runs on one node, where a matching OR [a|b] is the same as a|b.
Result<std::string> ConstraintToRequirements(std::string_view constraint);

}  // namespace gantry::submit
