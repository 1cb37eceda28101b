#include "classad/matchmaker.h"

#include <utility>

#include "classad/flatten.h"
#include "classad/unparse.h"

namespace gantry::classad {
namespace {

const ClassAd::Attribute* FindAttribute(const ClassAd& ad, std::string_view name) {
  std::string lower = LowerName(name);
  for (const ClassAd::Attribute& a : ad.attributes()) {
    if (a.lower == lower) return &a;
  }
  return nullptr;
}

// Requirements, or START for a resource without Requirements.
const ClassAd::Attribute* RequirementsOf(const ClassAd& ad, bool is_resource) {
  const ClassAd::Attribute* a = FindAttribute(ad, "requirements");
  if (a == nullptr && is_resource) a = FindAttribute(ad, "start");
  return a;
}

bool IsTrue(const Value& v) { return v.IsBoolean() && v.boolean(); }

double RankValue(const Value& v) {
  std::optional<double> r = v.NumberAsReal();
  return r.has_value() ? *r : 0.0;
}

RequirementsAnalysis Analyze(const ClassAd& self, const ClassAd& other, bool is_resource,
                             const EvalOptions& options) {
  RequirementsAnalysis out;
  const ClassAd::Attribute* req = RequirementsOf(self, is_resource);
  if (req == nullptr) {
    out.value = Value::Boolean(true);
    return out;
  }
  out.attribute = req->name;
  out.value = Evaluate(*req->expr, &self, &other, options).Owned();
  out.satisfied = IsTrue(out.value);
  for (const Expr* clause : Conjuncts(*req->expr)) {
    ClauseResult c;
    c.text = Unparse(*clause);
    c.value = Evaluate(*clause, &self, &other, options).Owned();
    c.satisfied = IsTrue(c.value);
    out.clauses.push_back(std::move(c));
  }
  return out;
}

void CollectConjuncts(const Expr& e, std::vector<const Expr*>& out) {
  const Expr* inner = &e;
  while (inner->kind == ExprKind::kParen) inner = inner->children[0].get();
  if (inner->kind == ExprKind::kBinary && inner->op == Op::kAnd) {
    CollectConjuncts(*inner->children[0], out);
    CollectConjuncts(*inner->children[1], out);
  } else {
    out.push_back(&e);
  }
}

}  // namespace

std::vector<const Expr*> Conjuncts(const Expr& e) {
  std::vector<const Expr*> out;
  CollectConjuncts(e, out);
  return out;
}

MatchResult Match(const ClassAd& job, const ClassAd& resource, const EvalOptions& options) {
  MatchResult r;
  const ClassAd::Attribute* job_req = RequirementsOf(job, false);
  const ClassAd::Attribute* res_req = RequirementsOf(resource, true);
  r.job_accepts = job_req == nullptr ||
                  IsTrue(Evaluate(*job_req->expr, &job, &resource, options));
  r.resource_accepts = res_req == nullptr ||
                       IsTrue(Evaluate(*res_req->expr, &resource, &job, options));
  r.job_rank = RankValue(EvaluateAttr(job, "Rank", &resource, options));
  r.resource_rank = RankValue(EvaluateAttr(resource, "Rank", &job, options));
  return r;
}

MatchAnalysis AnalyzeMatch(const ClassAd& job, const ClassAd& resource,
                           const EvalOptions& options) {
  MatchAnalysis a;
  a.result = Match(job, resource, options);
  a.job = Analyze(job, resource, false, options);
  a.resource = Analyze(resource, job, true, options);
  return a;
}

BulkMatcher::Compiled BulkMatcher::Compile(const ClassAd& ad, bool is_resource,
                                           internal::SlotNames& names) {
  Compiled c;
  c.ad = std::make_unique<ClassAd>(ad);
  if (const ClassAd::Attribute* req = RequirementsOf(*c.ad, is_resource)) {
    c.requirements = Flatten(*req->expr, *c.ad);
    ClassAd::AdoptNestedAds(*c.requirements, c.ad.get());
    c.requirements_program = internal::Program::Compile(*c.requirements, *c.ad, names);
  }
  if (const Expr* rank = c.ad->Lookup("Rank")) {
    c.rank = Flatten(*rank, *c.ad);
    ClassAd::AdoptNestedAds(*c.rank, c.ad.get());
    c.rank_program = internal::Program::Compile(*c.rank, *c.ad, names);
  }
  return c;
}

void BulkMatcher::ResolveSlots(Compiled& c, const internal::SlotNames& names) {
  for (size_t i = c.slots.size(); i < names.size(); ++i) {
    c.slots.push_back(internal::ResolveSlot(*c.ad, names, i));
  }
}

size_t BulkMatcher::AddJob(const ClassAd& job) {
  jobs_.push_back(Compile(job, false, job_reads_));
  ResolveSlots(jobs_.back(), resource_reads_);
  for (Compiled& r : resources_) ResolveSlots(r, job_reads_);
  return jobs_.size() - 1;
}

size_t BulkMatcher::AddResource(const ClassAd& resource) {
  resources_.push_back(Compile(resource, true, resource_reads_));
  ResolveSlots(resources_.back(), job_reads_);
  for (Compiled& j : jobs_) ResolveSlots(j, resource_reads_);
  return resources_.size() - 1;
}

bool BulkMatcher::Accepts(const Compiled& self, const Compiled& other) const {
  if (self.requirements == nullptr) return true;
  if (self.requirements_program) {
    internal::FastValue v = self.requirements_program->Run(other.slots.data());
    if (v.type != internal::FastType::kDynamic) {
      return v.type == internal::FastType::kBoolean && v.b;
    }
  }
  return IsTrue(Evaluate(*self.requirements, self.ad.get(), other.ad.get(), options_));
}

double BulkMatcher::Rank(const Compiled& self, const Compiled& other) const {
  if (self.rank == nullptr) return 0.0;
  if (self.rank_program) {
    internal::FastValue v = self.rank_program->Run(other.slots.data());
    switch (v.type) {
      case internal::FastType::kDynamic: break;
      case internal::FastType::kBoolean: return v.b ? 1.0 : 0.0;
      case internal::FastType::kInteger: return static_cast<double>(v.i);
      case internal::FastType::kReal: return v.r;
      default: return 0.0;
    }
  }
  return RankValue(Evaluate(*self.rank, self.ad.get(), other.ad.get(), options_));
}

bool BulkMatcher::Matches(size_t job, size_t resource) const {
  const Compiled& j = jobs_[job];
  const Compiled& r = resources_[resource];
  return Accepts(j, r) && Accepts(r, j);
}

bool BulkMatcher::JobAccepts(size_t job, size_t resource) const {
  return Accepts(jobs_[job], resources_[resource]);
}

double BulkMatcher::JobRank(size_t job, size_t resource) const {
  return Rank(jobs_[job], resources_[resource]);
}

std::vector<long> BulkMatcher::BestResourceForEachJob() const {
  std::vector<long> best(jobs_.size(), -1);
  for (size_t j = 0; j < jobs_.size(); ++j) {
    double best_rank = 0, best_resource_rank = 0;
    for (size_t r = 0; r < resources_.size(); ++r) {
      if (!Matches(j, r)) continue;
      double rank = Rank(jobs_[j], resources_[r]);
      double resource_rank = Rank(resources_[r], jobs_[j]);
      if (best[j] < 0 || rank > best_rank ||
          (rank == best_rank && resource_rank > best_resource_rank)) {
        best[j] = static_cast<long>(r);
        best_rank = rank;
        best_resource_rank = resource_rank;
      }
    }
  }
  return best;
}

}  // namespace gantry::classad
