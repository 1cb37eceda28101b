#include "agent/leftovers.h"

#include <dirent.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <set>

#include "base/file.h"
#include "base/log.h"
#include "base/strings.h"

namespace gantry::agent {

std::vector<pid_t> FindLeftoverAttemptProcesses(const std::string& attempts_dir) {
  std::vector<pid_t> found;
  std::string prefix = "GANTRY_ATTEMPT_DIR=" + attempts_dir + "/";
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return found;
  while (dirent* entry = readdir(proc)) {
    auto pid = ParseInt(entry->d_name);
    if (!pid || *pid <= 0 || *pid == getpid()) continue;
    auto environ = ReadFile("/proc/" + std::string(entry->d_name) + "/environ");
    if (!environ) continue;
    for (const std::string& var : Split(*environ, '\0')) {
      if (var.starts_with(prefix)) {
        found.push_back(static_cast<pid_t>(*pid));
        break;
      }
    }
  }
  closedir(proc);
  return found;
}

int KillLeftoverAttempts(const std::string& attempts_dir) {
  std::set<pid_t> killed;
  for (int round = 0; round < 200; ++round) {
    std::vector<pid_t> pids = FindLeftoverAttemptProcesses(attempts_dir);
    bool alive = false;
    for (pid_t pid : pids) {
      // A zombie waiting for its (dead) parent's reaper is gone for our purpose.
      auto stat = ReadFile("/proc/" + std::to_string(pid) + "/stat");
      if (stat) {
        size_t close = stat->rfind(')');
        if (close != std::string::npos && close + 2 < stat->size() && (*stat)[close + 2] == 'Z') {
          continue;
        }
      }
      if (kill(pid, SIGKILL) == 0) {
        killed.insert(pid);
        alive = true;
      }
    }
    if (!alive) break;
    usleep(10'000);
  }
  if (!killed.empty()) {
    LogWarning("agent: killed " + std::to_string(killed.size()) +
               " process(es) left running by attempts of a previous agent in " + attempts_dir);
  }
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(attempts_dir, ec)) {
    std::error_code ignored;
    std::filesystem::remove_all(entry.path(), ignored);
  }
  return static_cast<int>(killed.size());
}

}  // namespace gantry::agent
