// ClassAd matchmaking for the broker (docs/classad.md, "Matchmaking"): the job ad built from
// a JobSpec, the agent ad parsed from what the agent advertises, and the words that explain
// why a job matches no agent (as condor_q -better-analyze). Pure.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "classad/classad.h"
#include "model/task.h"

namespace gantry::broker {

// The clause a job's partition adds to its Requirements.
inline constexpr std::string_view kPartitionClause = "member(MY.Partition, TARGET.Partitions)";

// A job's ad: RequestCpus, RequestMemory, RequestGpus, Owner, JobName, ClusterId, Partition,
// Exclusive, Requirements (with the partition clause first), Rank, and spec.attributes.
// Errors name the attribute and position.
Result<classad::ClassAd> BuildJobAd(const model::Job& job);
// Whether the job needs ClassAd evaluation at all (it says something beyond its size).
bool HasMatchConstraints(const model::JobSpec& spec);

// An agent's ad from its advertised text (new ClassAd syntax); empty text: an empty ad.
Result<classad::ClassAd> ParseAgentAd(const std::string& text);

// Gives an agent's ad what the broker knows of it: its Partitions (the names it was found to
// belong to, as a list) and empty Features, Modules and ModuleNames lists when it advertises
// none, so that
// constraints and partitions evaluate to false rather than UNDEFINED. Names are validated.
void CompleteAgentAd(classad::ClassAd& ad, const std::vector<std::string>& partitions);

struct MatchVerdict {
  bool matches = true;
  double job_rank = 0;
};
MatchVerdict MatchJobToAgent(const classad::ClassAd& job, const classad::ClassAd& agent);

// "agent 'local': job Requirements clause TARGET.Arch == "ARM" is false (TARGET.Arch is
// "X86_64")" — the failing clauses of both sides, or "" when they match.
std::string ExplainNoMatch(const classad::ClassAd& job, const classad::ClassAd& agent,
                           const std::string& agent_name);

}  // namespace gantry::broker
