// The batch scripts of the attempts on this agent. A script is written once into the agent's
// scripts directory and shared by every attempt here with the same owner and text (an
// array's tasks, or a stream of `--wrap` jobs). When no attempt holds it, it is kept for a
// while (up to kIdleKept scripts) in case the same text comes again: writing and removing a
// file per attempt costs inode churn, and on a filesystem mounted with `discard` a
// synchronous discard. Thread-safe.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "base/error.h"

namespace gantry::agent {

class JobScripts {
 public:
  static constexpr size_t kIdleKept = 64;

  // dir must exist; scripts left there by an earlier agent are removed.
  explicit JobScripts(std::string dir);
  ~JobScripts();  // removes every script it wrote (their attempts must be over)

  // The path of a script with this text, owned by owner (or by us if none), mode 0700:
  // written now unless one is kept. Each call needs a Release of the path.
  // kResourceExhausted when the disk is full.
  Result<std::string> Acquire(const std::string& text,
                              std::optional<std::pair<uid_t, gid_t>> owner);
  void Release(const std::string& path);

 private:
  using Key = std::pair<uid_t, std::string>;  // owner uid (-1: none), text
  struct Entry {
    std::string path;
    int holders = 0;
  };

  const std::string dir_;
  std::mutex mu_;
  int64_t next_name_ = 1;                     // GUARDED_BY(mu_)
  std::map<Key, Entry> scripts_;              // GUARDED_BY(mu_)
  std::map<std::string, Key> by_path_;        // GUARDED_BY(mu_)
  std::deque<std::string> idle_;              // GUARDED_BY(mu_), unheld, oldest first
};

}  // namespace gantry::agent
