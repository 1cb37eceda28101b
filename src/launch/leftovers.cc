#include "launch/leftovers.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string_view>

#include "base/file.h"
#include "base/strings.h"

namespace gantry::launch {
namespace {
constexpr std::string_view kShmDir = "/dev/shm/";
}  // namespace

void CollectShmFilesMappedBy(pid_t pid, std::set<std::string>& files) {
  auto maps = ReadFile("/proc/" + std::to_string(pid) + "/maps");
  if (!maps) return;  // already gone: nothing to learn
  size_t start = 0;
  while (start < maps->size()) {
    size_t end = maps->find('\n', start);
    if (end == std::string::npos) end = maps->size();
    std::string_view line(maps->data() + start, end - start);
    size_t at = line.find(kShmDir);
    if (at != std::string_view::npos) {
      std::string_view path = line.substr(at);
      if (path.ends_with(" (deleted)")) path.remove_suffix(10);
      if (path.find('/', kShmDir.size()) == std::string_view::npos) files.emplace(path);
    }
    start = end + 1;
  }
}

int RemoveShmLeftovers(const std::set<std::string>& files,
                       std::chrono::system_clock::time_point job_start) {
  std::set<std::string> doomed = files;
  std::set<std::string> prefixes;
  for (const std::string& f : files) {
    std::string_view name = std::string_view(f).substr(kShmDir.size());
    if (name.starts_with("vader_segment.")) {
      size_t dot = name.rfind('.');
      prefixes.emplace(name.substr(0, dot + 1));
    }
  }
  if (!prefixes.empty()) {
    if (DIR* dir = opendir("/dev/shm")) {
      while (dirent* entry = readdir(dir)) {
        std::string_view name = entry->d_name;
        for (const std::string& prefix : prefixes) {
          if (name.starts_with(prefix)) doomed.emplace(std::string(kShmDir) + entry->d_name);
        }
      }
      closedir(dir);
    }
  }
  const auto start_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                            job_start.time_since_epoch()).count();
  int removed = 0;
  for (const std::string& f : doomed) {
    struct stat st;
    if (lstat(f.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid()) continue;
    const int64_t created_ns = int64_t{st.st_ctim.tv_sec} * 1'000'000'000 + st.st_ctim.tv_nsec;
    if (created_ns < start_ns) continue;
    removed += unlink(f.c_str()) == 0 ? 1 : 0;
  }
  return removed;
}

std::set<std::string> OpenMpiJobIdsOf(std::string_view nspace) {
  uint32_t hash = 0;
  for (unsigned char c : nspace) {
    hash += c;
    hash += hash << 10;
    hash ^= hash >> 6;
  }
  hash += hash << 3;
  hash ^= hash >> 11;
  hash += hash << 15;
  char with[16], without[16];
  std::snprintf(with, sizeof(with), "%x", hash);
  std::snprintf(without, sizeof(without), "%x", hash & ~uint32_t{0x8000});
  return {with, without};
}

void CollectOpenMpiSegmentsOf(std::string_view nspace, std::set<std::string>& files) {
  const std::set<std::string> ids = OpenMpiJobIdsOf(nspace);
  DIR* dir = opendir("/dev/shm");
  if (dir == nullptr) return;
  while (dirent* entry = readdir(dir)) {
    std::string_view name = entry->d_name;
    if (!name.starts_with("vader_segment.")) continue;
    // "... .<job id>.<local rank>"
    size_t last = name.rfind('.');
    if (last == std::string_view::npos || last + 1 == name.size() ||
        name.find_first_not_of("0123456789", last + 1) != std::string_view::npos) {
      continue;
    }
    size_t before = name.rfind('.', last - 1);
    if (before == std::string_view::npos) continue;
    if (ids.contains(std::string(name.substr(before + 1, last - before - 1)))) {
      files.emplace(std::string(kShmDir) + entry->d_name);
    }
  }
  closedir(dir);
}

}  // namespace gantry::launch
