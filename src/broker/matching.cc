#include "broker/matching.h"

#include "base/check.h"
#include "classad/matchmaker.h"
#include "classad/parser.h"
#include "classad/unparse.h"

namespace gantry::broker {

bool HasMatchConstraints(const model::JobSpec& spec) {
  return !spec.requirements.empty() || !spec.rank.empty() || !spec.attributes.empty();
}

Result<classad::ClassAd> BuildJobAd(const model::Job& job) {
  const model::JobSpec& spec = job.spec;
  classad::ClassAd ad;
  ad.InsertInteger("ClusterId", job.id);
  ad.InsertString("Owner", job.owner.name);
  ad.InsertString("JobName", spec.name);
  ad.InsertInteger("RequestCpus", spec.TotalCpus());
  ad.InsertInteger("RequestMemory", spec.memory_mb);
  ad.InsertInteger("RequestGpus", spec.gpus);
  ad.InsertInteger("MaxRetries", spec.max_retries);
  if (!spec.partition.empty()) ad.InsertString("Partition", spec.partition);
  for (const auto& [name, text] : spec.attributes) {
    auto inserted = classad::InsertParsed(ad, name, text);
    if (!inserted) return Fail(inserted.error().Wrap("job attribute " + name));
  }
  if (spec.exclusive) ad.InsertBoolean("Exclusive", true);
  // The partition is a Requirements clause like the user's own, so that `status --why` names
  // it; the broker also checks it without evaluation (PartitionSet, AgentRecord).
  std::string requirements = spec.requirements;
  if (!spec.partition.empty()) {
    requirements = requirements.empty() ? std::string(kPartitionClause)
                                        : std::string(kPartitionClause) + " && (" +
                                              requirements + ")";
  }
  if (!requirements.empty()) {
    auto inserted = classad::InsertParsed(ad, "Requirements", requirements);
    if (!inserted) return Fail(inserted.error().Wrap("Requirements"));
  }
  if (!spec.rank.empty()) {
    auto inserted = classad::InsertParsed(ad, "Rank", spec.rank);
    if (!inserted) return Fail(inserted.error().Wrap("Rank"));
  }
  return ad;
}

Result<classad::ClassAd> ParseAgentAd(const std::string& text) {
  if (text.empty()) return classad::ClassAd();
  auto ad = classad::ParseClassAd(text);
  if (!ad) return Fail(ad.error().Wrap("agent ad"));
  return ad;
}

void CompleteAgentAd(classad::ClassAd& ad, const std::vector<std::string>& partitions) {
  std::string list = "{";
  for (const std::string& name : partitions) {
    list += (list.size() > 1 ? ", \"" : "\"") + name + "\"";
  }
  GANTRY_CHECK(classad::InsertParsed(ad, "Partitions", list + "}").has_value());
  for (const char* list : {"Features", "Modules", "ModuleNames"}) {
    if (ad.Lookup(list) == nullptr) GANTRY_CHECK(classad::InsertParsed(ad, list, "{}").has_value());
  }
}

MatchVerdict MatchJobToAgent(const classad::ClassAd& job, const classad::ClassAd& agent) {
  classad::MatchResult r = classad::Match(job, agent);
  return {r.matches(), r.job_rank};
}

std::string ExplainNoMatch(const classad::ClassAd& job, const classad::ClassAd& agent,
                           const std::string& agent_name) {
  classad::MatchAnalysis a = classad::AnalyzeMatch(job, agent);
  if (a.result.matches()) return "";
  std::string out = "agent '" + agent_name + "':";
  auto side = [&](const classad::RequirementsAnalysis& r, const char* whose) {
    if (r.satisfied) return;
    bool any = false;
    for (const classad::ClauseResult& c : r.clauses) {
      if (c.satisfied) continue;
      out += std::string(" ") + whose + " " + r.attribute + " clause " + c.text + " is " +
             classad::Unparse(c.value) + ";";
      any = true;
    }
    if (!any) {
      out += std::string(" ") + whose + " " + r.attribute + " is " + classad::Unparse(r.value) + ";";
    }
  };
  side(a.job, "job");
  side(a.resource, "agent");
  if (out.back() == ';') out.pop_back();
  return out;
}

}  // namespace gantry::broker
