// Partitions (SLURM's word for queues): the server has a fixed set, the first the default;
// agents belong to some of them and a job runs only on agents of its own. Pure, immutable
// after creation: thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "classad/classad.h"

namespace gantry::broker {

inline constexpr std::string_view kDefaultPartition = "local";

class PartitionSet {
 public:
  // names: in order, the first the default; none: just "local". Names are SLURM-like
  // (letters, digits, _ - .), without repeats.
  static Result<PartitionSet> Create(std::vector<std::string> names);

  const std::string& default_name() const { return names_.front(); }
  const std::vector<std::string>& names() const { return names_; }
  bool Has(std::string_view name) const;
  // The partition a job asked for ("" = the default); an unknown one is refused as sbatch
  // refuses it.
  Result<std::string> Resolve(std::string_view requested) const;
  // The partitions an agent's ad names (Partitions = {"a", "b"} or Partition = "a"); none:
  // the default. A partition this server does not have is an error naming it.
  Result<std::vector<std::string>> OfAgent(const classad::ClassAd& ad) const;

 private:
  explicit PartitionSet(std::vector<std::string> names) : names_(std::move(names)) {}
  std::string Listed() const;
  std::vector<std::string> names_;
};

// A partitions file: one name per line; "NAME default" makes NAME the default (else the
// first line is); '#' starts a comment.
Result<std::vector<std::string>> ParsePartitionsFile(std::string_view text);

}  // namespace gantry::broker
