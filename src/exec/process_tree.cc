#include "exec/process_tree.h"

#include <dirent.h>
#include <signal.h>

#include <cerrno>
#include <string>

#include "base/file.h"
#include "base/strings.h"

namespace gantry::exec {
namespace {

struct StatFields {
  char state = '?';
  pid_t ppid = 0;
  pid_t pgrp = 0;
};

// /proc/<pid>/stat is "pid (comm) state ppid pgrp ..."; comm may hold spaces and ')'.
bool ReadStat(pid_t pid, StatFields& out) {
  auto text = ReadFile("/proc/" + std::to_string(pid) + "/stat");
  if (!text) return false;
  size_t close = text->rfind(')');
  if (close == std::string::npos) return false;
  std::vector<std::string> f = Split(Trim(std::string_view(*text).substr(close + 1)), ' ');
  if (f.size() < 3 || f[0].empty()) return false;
  out.state = f[0][0];
  out.ppid = static_cast<pid_t>(ParseInt(f[1]).value_or(0));
  out.pgrp = static_cast<pid_t>(ParseInt(f[2]).value_or(0));
  return true;
}

}  // namespace

std::vector<pid_t> ProcessGroupMembers(pid_t pgid) {
  std::vector<pid_t> members;
  if (kill(-pgid, 0) != 0 && errno == ESRCH) return members;
  DIR* dir = opendir("/proc");
  if (dir == nullptr) return members;
  while (dirent* entry = readdir(dir)) {
    auto pid = ParseInt(entry->d_name);
    if (!pid || *pid <= 0) continue;
    StatFields stat;
    if (!ReadStat(static_cast<pid_t>(*pid), stat)) continue;
    if (stat.pgrp == pgid && stat.state != 'Z' && stat.state != 'X') {
      members.push_back(static_cast<pid_t>(*pid));
    }
  }
  closedir(dir);
  return members;
}

std::vector<pid_t> ZombieChildrenOf(pid_t parent) {
  std::vector<pid_t> zombies;
  std::string task_dir = "/proc/" + std::to_string(parent) + "/task";
  DIR* dir = opendir(task_dir.c_str());
  if (dir == nullptr) return zombies;
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] == '.') continue;
    auto children = ReadFile(task_dir + "/" + entry->d_name + "/children");
    if (!children) continue;
    for (const std::string& word : Split(Trim(*children), ' ')) {
      auto child = ParseInt(word);
      StatFields stat;
      if (child && ReadStat(static_cast<pid_t>(*child), stat) && stat.state == 'Z') {
        zombies.push_back(static_cast<pid_t>(*child));
      }
    }
  }
  closedir(dir);
  return zombies;
}

bool ProcessIsAlive(pid_t pid) {
  StatFields stat;
  return ReadStat(pid, stat) && stat.state != 'Z' && stat.state != 'X';
}

}  // namespace gantry::exec
