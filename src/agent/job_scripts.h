// The batch scripts of the attempts on this agent. A job's script is written once into the
// agent's scripts directory and shared by all its attempts here (an array's tasks follow each
// other), and removed when the last of them ends. Thread-safe.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "base/error.h"

namespace gantry::agent {

class JobScripts {
 public:
  // dir must exist; scripts left there by an earlier agent are removed.
  explicit JobScripts(std::string dir);

  // The path of job_id's script: written now (mode 0700, handed to owner if given) if no
  // attempt of the job holds it, else the one written before. Each call needs a Release.
  // kResourceExhausted when the disk is full.
  Result<std::string> Acquire(int64_t job_id, const std::string& text,
                              std::optional<std::pair<uid_t, gid_t>> owner);
  // The attempt no longer needs the script; the last one removes it.
  void Release(int64_t job_id);

 private:
  std::string Path(int64_t job_id) const { return dir_ + "/" + std::to_string(job_id); }

  const std::string dir_;
  std::mutex mu_;
  std::map<int64_t, int> holders_;  // GUARDED_BY(mu_)
};

}  // namespace gantry::agent
