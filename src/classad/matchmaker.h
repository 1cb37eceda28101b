// Matchmaking, HTCondor style: a job and a resource match when the job's Requirements
// is true with the resource as TARGET and the resource's Requirements (or START, when it
// has no Requirements) is true with the job as TARGET. A missing Requirements accepts
// everything. Among matches the higher Rank wins (non-numeric ranks count as 0.0).
//
// The free functions are pure and thread-safe. BulkMatcher is thread-compatible:
// add ads from one thread, then its const methods may run from many.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "classad/classad.h"
#include "classad/eval.h"
#include "classad/expr.h"
#include "classad/internal/compiled.h"
#include "classad/value.h"

namespace gantry::classad {

struct MatchResult {
  bool job_accepts = false;       // job Requirements with the resource as TARGET
  bool resource_accepts = false;  // resource Requirements/START with the job as TARGET
  double job_rank = 0.0;          // job Rank with the resource as TARGET
  double resource_rank = 0.0;     // resource Rank with the job as TARGET
  bool matches() const { return job_accepts && resource_accepts; }
};

MatchResult Match(const ClassAd& job, const ClassAd& resource, const EvalOptions& options = {});

// One conjunct of a Requirements expression and what it evaluated to.
struct ClauseResult {
  std::string text;  // canonical text of the clause
  Value value;       // owned
  bool satisfied = false;
};

struct RequirementsAnalysis {
  std::string attribute;  // "Requirements", "START", or "" when the ad has neither
  Value value;            // the whole expression's value (owned)
  bool satisfied = true;
  std::vector<ClauseResult> clauses;  // the top-level && operands, in order
};

// Why a pair does or does not match, like condor_q -better-analyze: each side's
// Requirements split into its && clauses, each evaluated on its own.
struct MatchAnalysis {
  MatchResult result;
  RequirementsAnalysis job;       // evaluated with the resource as TARGET
  RequirementsAnalysis resource;  // evaluated with the job as TARGET
};

MatchAnalysis AnalyzeMatch(const ClassAd& job, const ClassAd& resource,
                           const EvalOptions& options = {});

// The operands of the top-level && chain of `e` (looking through parentheses).
std::vector<const Expr*> Conjuncts(const Expr& e);

// Matches many jobs against many resources. Each ad is copied and its Requirements and
// Rank are flattened once (MY references folded to constants) and compiled with their
// TARGET references as slots, which every ad on the other side resolves once when added
// (internal/compiled.h); a match then runs a few dozen nodes with no lookups. Expressions
// outside the compiled subset use the tree evaluator: results are the same as Match's.
class BulkMatcher {
 public:
  explicit BulkMatcher(EvalOptions options = {}) : options_(options) {}

  size_t AddJob(const ClassAd& job);
  size_t AddResource(const ClassAd& resource);
  size_t job_count() const { return jobs_.size(); }
  size_t resource_count() const { return resources_.size(); }

  bool Matches(size_t job, size_t resource) const;
  // Only the job's side: its Requirements with the resource as TARGET.
  bool JobAccepts(size_t job, size_t resource) const;
  // Job's Rank of the resource (0.0 when not numeric).
  double JobRank(size_t job, size_t resource) const;
  // For each job, the matching resource with the highest job Rank (ties: the higher
  // resource Rank, then the lower index), or -1 when nothing matches.
  std::vector<long> BestResourceForEachJob() const;

 private:
  struct Compiled {
    std::unique_ptr<ClassAd> ad;  // stable address: flattened trees are evaluated in it
    ExprPtr requirements;         // null: accepts everything
    ExprPtr rank;                 // null: 0.0
    std::optional<internal::Program> requirements_program;  // borrows from `requirements`
    std::optional<internal::Program> rank_program;          // borrows from `rank`
    // This ad's values of the names the other side's programs read (borrow from `ad`).
    std::vector<internal::FastValue> slots;
  };
  static Compiled Compile(const ClassAd& ad, bool is_resource, internal::SlotNames& names);
  static void ResolveSlots(Compiled& c, const internal::SlotNames& names);
  double Rank(const Compiled& self, const Compiled& other) const;
  bool Accepts(const Compiled& self, const Compiled& other) const;

  EvalOptions options_;
  std::vector<Compiled> jobs_;
  std::vector<Compiled> resources_;
  internal::SlotNames job_reads_;       // names job programs read from resources
  internal::SlotNames resource_reads_;  // names resource programs read from jobs
};

}  // namespace gantry::classad
