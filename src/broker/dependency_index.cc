#include "broker/dependency_index.h"

#include <algorithm>

#include "model/task_ref.h"

namespace gantry::broker {

void DependencyIndex::Add(const model::Job& job) {
  Filed& f = filed_[job.id];
  if (f.units++ > 0) return;
  for (const model::Dependency& d : job.spec.dependencies) {
    if (d.type == model::DependencyType::kSingleton) f.singleton = true;
    for (const std::string& text : d.job_ids) {
      // Ids that do not parse were refused at submission; one stored before then never
      // changes, so it is filed under nothing.
      auto ref = model::ParseTaskRef(text);
      if (!ref) continue;
      if (std::find(f.parents.begin(), f.parents.end(), ref->id) == f.parents.end()) {
        f.parents.push_back(ref->id);
      }
    }
  }
  for (int64_t parent : f.parents) dependants_[parent].insert(job.id);
  if (f.singleton) {
    auto key = std::make_tuple(job.owner.uid, job.spec.name);
    singletons_[key].insert(job.id);
    owners_[job.id] = key;
  }
  if (job.spec.begin_time > 0) {
    f.begin_time = job.spec.begin_time;
    begins_.insert({f.begin_time, job.id});
  }
}

void DependencyIndex::Remove(const model::Job& job) {
  auto it = filed_.find(job.id);
  if (it == filed_.end() || --it->second.units > 0) return;
  const Filed& f = it->second;
  for (int64_t parent : f.parents) {
    auto d = dependants_.find(parent);
    if (d == dependants_.end()) continue;
    d->second.erase(job.id);
    if (d->second.empty()) dependants_.erase(d);
  }
  if (f.singleton) {
    auto key = owners_.at(job.id);
    auto s = singletons_.find(key);
    s->second.erase(job.id);
    if (s->second.empty()) singletons_.erase(s);
    owners_.erase(job.id);
  }
  if (f.begin_time > 0) begins_.erase({f.begin_time, job.id});
  // A due job stays due: a commit may unfile and refile it (its tail edited) before it is
  // evaluated, and the broker skips due jobs that no longer wait.
  filed_.erase(it);
}

void DependencyIndex::Changed(int64_t first, int64_t end) {
  for (auto it = dependants_.lower_bound(first); it != dependants_.end() && it->first < end;
       ++it) {
    due_.insert(it->second.begin(), it->second.end());
  }
}

void DependencyIndex::Finished(uint32_t uid, const std::string& name) {
  auto it = singletons_.find({uid, name});
  if (it != singletons_.end()) due_.insert(it->second.begin(), it->second.end());
}

void DependencyIndex::Tick(TimeMicros now) {
  while (!begins_.empty() && std::get<0>(*begins_.begin()) <= now) {
    int64_t job_id = std::get<1>(*begins_.begin());
    begins_.erase(begins_.begin());
    filed_.at(job_id).begin_time = 0;  // the time has come: it never holds the job again
    due_.insert(job_id);
  }
}

void DependencyIndex::AllDue() {
  for (const auto& [job_id, f] : filed_) due_.insert(job_id);
}

bool DependencyIndex::HasDependants(const model::Job& job, int64_t task_id) const {
  if (dependants_.count(job.id) || dependants_.count(task_id)) return true;
  return singletons_.count({job.owner.uid, job.spec.name}) > 0;
}

std::vector<int64_t> DependencyIndex::TakeDue() {
  std::vector<int64_t> out(due_.begin(), due_.end());
  due_.clear();
  return out;
}

}  // namespace gantry::broker
