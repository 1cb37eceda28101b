#include "exec/cgroup.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "base/file.h"
#include "base/log.h"
#include "base/strings.h"

namespace gantry::exec {
namespace {

constexpr int64_t kUnlimitedV1 = int64_t{1} << 62;  // v1 reports ~LLONG_MAX rounded to pages

Status WriteString(const std::string& path, std::string_view value) {
  int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return Fail(ErrnoError("cannot open " + path, errno));
  ssize_t n = write(fd, value.data(), value.size());
  int err = errno;
  close(fd);
  if (n != static_cast<ssize_t>(value.size())) {
    return Fail(ErrnoError("cannot write '" + std::string(value) + "' to " + path, err));
  }
  return {};
}

int64_t ReadInt(const std::string& path) {
  auto text = ReadFile(path);
  if (!text) return 0;
  return ParseInt(Trim(*text)).value_or(0);
}

// "key value" lines (memory.events, memory.oom_control): the value of key, or -1.
int64_t ReadKeyedInt(const std::string& path, std::string_view key) {
  auto text = ReadFile(path);
  if (!text) return -1;
  for (const std::string& line : Split(*text, '\n')) {
    std::vector<std::string> fields = Split(Trim(line), ' ');
    if (fields.size() == 2 && fields[0] == key) return ParseInt(fields[1]).value_or(-1);
  }
  return -1;
}

// Our path in the hierarchy from /proc/self/cgroup: the "0::" line for v2, the line whose
// controller list has "memory" for v1.
std::string OwnRelativePath(CgroupMode mode) {
  auto text = ReadFile("/proc/self/cgroup");
  if (!text) return "";
  for (const std::string& line : Split(*text, '\n')) {
    size_t first = line.find(':');
    size_t second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    std::string controllers = line.substr(first + 1, second - first - 1);
    std::string path = line.substr(second + 1);
    if (mode == CgroupMode::kV2 && line.starts_with("0::")) return path;
    if (mode == CgroupMode::kV1) {
      for (const std::string& c : Split(controllers, ',')) {
        if (c == "memory") return path;
      }
    }
  }
  return "";
}

// Mount point and mount root of the hierarchy, from /proc/self/mountinfo:
// "36 35 0:30 <root> <mountpoint> <options> ... - <fstype> <source> <superoptions>".
struct Mount {
  std::string root, point;
};
std::vector<Mount> FindMounts(CgroupMode mode) {
  std::vector<Mount> mounts;
  auto text = ReadFile("/proc/self/mountinfo");
  if (!text) return mounts;
  for (const std::string& line : Split(*text, '\n')) {
    std::vector<std::string> f = Split(line, ' ');
    size_t dash = 0;
    while (dash < f.size() && f[dash] != "-") ++dash;
    if (f.size() < 5 || dash + 3 >= f.size() + 1 || dash + 1 >= f.size()) continue;
    const std::string& fstype = f[dash + 1];
    std::string super_options = dash + 3 < f.size() ? f[dash + 3] : "";
    bool match = false;
    if (mode == CgroupMode::kV2) match = fstype == "cgroup2";
    if (mode == CgroupMode::kV1 && fstype == "cgroup") {
      for (const std::string& o : Split(super_options, ',')) match = match || o == "memory";
    }
    if (match) mounts.push_back({f[3], f[4]});
  }
  return mounts;
}

bool Contains(const std::string& list, std::string_view word) {
  for (const std::string& w : Split(Trim(list), ' ')) {
    if (w == word) return true;
  }
  return false;
}

bool ProbeCreate(const std::string& dir) {
  std::string probe = dir + "/gantry-probe." + std::to_string(getpid());
  if (mkdir(probe.c_str(), 0755) != 0) return false;
  rmdir(probe.c_str());
  return true;
}

// On v2 a group with processes cannot hand controllers to children ("no internal processes"),
// so if enabling memory fails with EBUSY we move ourselves into a leaf "gantry-agent" first,
// as systemd-delegated daemons do.
Status EnableMemoryForChildren(const std::string& dir) {
  auto control = ReadFile(dir + "/cgroup.subtree_control");
  if (control && Contains(*control, "memory")) return {};
  auto first = WriteString(dir + "/cgroup.subtree_control", "+memory");
  if (first) return {};
  std::string leaf = dir + "/gantry-agent";
  if (mkdir(leaf.c_str(), 0755) != 0 && errno != EEXIST) {
    return Fail(ErrnoError("cannot create " + leaf, errno));
  }
  GANTRY_RETURN_IF_ERROR(WriteString(leaf + "/cgroup.procs", std::to_string(getpid())));
  return WriteString(dir + "/cgroup.subtree_control", "+memory");
}

// SIGKILLs whatever is left in a job cgroup, until it is empty (bounded: 2 s).
void KillLeftovers(const std::string& job_dir) {
  for (int round = 0; round < 200; ++round) {
    auto text = ReadFile(job_dir + "/cgroup.procs");
    if (!text) return;
    bool any = false;
    for (const std::string& line : Split(*text, '\n')) {
      if (auto pid = ParseInt(Trim(line)); pid && *pid > 0) {
        kill(static_cast<pid_t>(*pid), SIGKILL);
        any = true;
      }
    }
    if (!any) return;
    usleep(10'000);
  }
}

// A crashed agent leaves "gantry.<pid>" behind, and the jobs in it may still run: its
// server has requeued them, and two copies of one attempt must never run at once. So the
// processes left in a dead agent's groups are killed and the groups removed.
void RemoveStaleParents(const std::string& own) {
  DIR* dir = opendir(own.c_str());
  if (dir == nullptr) return;
  while (dirent* entry = readdir(dir)) {
    std::string_view name = entry->d_name;
    if (!name.starts_with("gantry.")) continue;
    auto pid = ParseInt(name.substr(7));
    if (!pid || *pid == getpid() || kill(static_cast<pid_t>(*pid), 0) == 0 || errno != ESRCH) {
      continue;
    }
    std::string stale = own + "/" + std::string(name);
    if (DIR* jobs = opendir(stale.c_str())) {
      while (dirent* job = readdir(jobs)) {
        if (job->d_type == DT_DIR && job->d_name[0] != '.') {
          std::string job_dir = stale + "/" + job->d_name;
          KillLeftovers(job_dir);
          if (rmdir(job_dir.c_str()) == 0) {
            LogWarning("removed cgroup " + job_dir + " left by a dead agent");
          }
        }
      }
      closedir(jobs);
    }
    if (rmdir(stale.c_str()) != 0) {
      LogWarning("cgroup " + stale + " of a dead agent still holds processes; left alone");
    }
  }
  closedir(dir);
}

}  // namespace

std::string_view CgroupModeName(CgroupMode mode) {
  switch (mode) {
    case CgroupMode::kV2:
      return "cgroup-v2";
    case CgroupMode::kV1:
      return "cgroup-v1";
    case CgroupMode::kNone:
      return "none";
  }
  return "unknown";
}

std::string OwnCgroupDir(CgroupMode mode) {
  if (mode == CgroupMode::kNone) return "";
  std::string own = OwnRelativePath(mode);
  if (own.empty()) return "";
  for (const Mount& m : FindMounts(mode)) {
    // In a cgroup namespace or a bind mount the mount's root is a prefix of our path.
    std::string relative = own;
    if (m.root != "/") {
      if (!own.starts_with(m.root)) continue;
      relative = own.substr(m.root.size());
    }
    std::string dir = m.point + relative;
    while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
    if (mode == CgroupMode::kV2) {
      auto controllers = ReadFile(dir + "/cgroup.controllers");
      if (!controllers || !Contains(*controllers, "memory")) continue;
    } else if (!FileExists(dir + "/memory.limit_in_bytes")) {
      continue;
    }
    return dir;
  }
  return "";
}

int64_t OwnCgroupMemoryLimitBytes() {
  if (std::string v2 = OwnCgroupDir(CgroupMode::kV2); !v2.empty()) {
    return ReadInt(v2 + "/memory.max");  // "max" parses as 0 = none
  }
  if (std::string v1 = OwnCgroupDir(CgroupMode::kV1); !v1.empty()) {
    int64_t limit = ReadInt(v1 + "/memory.limit_in_bytes");
    return limit >= kUnlimitedV1 ? 0 : limit;
  }
  return 0;
}

CgroupMode CgroupManager::Detect() {
  for (CgroupMode mode : {CgroupMode::kV2, CgroupMode::kV1}) {
    std::string dir = OwnCgroupDir(mode);
    if (!dir.empty() && ProbeCreate(dir)) return mode;
  }
  return CgroupMode::kNone;
}

Result<std::unique_ptr<CgroupManager>> CgroupManager::Create(CgroupMode mode) {
  if (mode == CgroupMode::kNone) return Fail(InvalidArgument("no cgroup mode to set up"));
  std::string own = OwnCgroupDir(mode);
  if (own.empty()) {
    return Fail(FailedPrecondition(std::string("no ") + std::string(CgroupModeName(mode)) +
                                   " memory hierarchy is mounted for this process"));
  }
  if (mode == CgroupMode::kV2) {
    auto enabled = EnableMemoryForChildren(own);
    if (!enabled) return Fail(enabled.error().Wrap("enabling the memory controller"));
  }
  RemoveStaleParents(own);
  std::string parent = own + "/gantry." + std::to_string(getpid());
  if (mkdir(parent.c_str(), 0755) != 0 && errno != EEXIST) {
    return Fail(ErrnoError("cannot create cgroup " + parent, errno));
  }
  if (mode == CgroupMode::kV2) {
    auto enabled = WriteString(parent + "/cgroup.subtree_control", "+memory");
    if (!enabled) {
      rmdir(parent.c_str());
      return Fail(enabled.error().Wrap("enabling the memory controller"));
    }
  }
  return std::unique_ptr<CgroupManager>(new CgroupManager(mode, std::move(parent)));
}

CgroupManager::~CgroupManager() {
  for (auto& group : pool_) {
    if (auto removed = group->Remove(); !removed) LogWarning(removed.error().message());
  }
  pool_.clear();
  if (rmdir(parent_.c_str()) != 0) {
    LogWarning("cannot remove cgroup " + parent_ + ": " + strerror(errno));
  }
}

Result<std::unique_ptr<JobCgroup>> CgroupManager::Acquire(int64_t memory_limit_bytes) {
  std::unique_ptr<JobCgroup> group;
  std::string path;
  {
    std::lock_guard lock(mu_);
    if (!pool_.empty()) {
      group = std::move(pool_.back());
      pool_.pop_back();
    } else {
      path = parent_ + "/job-" + std::to_string(next_name_++);
    }
  }
  if (group == nullptr) {
    if (mkdir(path.c_str(), 0755) != 0) return Fail(ErrnoError("cannot create cgroup " + path, errno));
    group = std::make_unique<JobCgroup>(mode_, path);
    if (mode_ == CgroupMode::kV2) {
      group->peak_fd_ = open((path + "/memory.peak").c_str(), O_RDWR | O_CLOEXEC);
    }
  }
  auto limited = group->SetMemoryLimit(memory_limit_bytes);
  if (!limited) return Fail(limited.error());  // the group goes (rmdir) with the unique_ptr
  return group;
}

void CgroupManager::Release(std::unique_ptr<JobCgroup> group) {
  if (group == nullptr) return;
  if (pooled() < kMaxPooled && group->ResetCounters()) {  // file writes: outside the lock
    std::lock_guard lock(mu_);
    pool_.push_back(std::move(group));
    return;
  }
  if (auto removed = group->Remove(); !removed) LogWarning(removed.error().message());
}

size_t CgroupManager::pooled() const {
  std::lock_guard lock(mu_);
  return pool_.size();
}

JobCgroup::JobCgroup(CgroupMode mode, std::string path)
    : mode_(mode), path_(std::move(path)), procs_path_(path_ + "/cgroup.procs") {}

JobCgroup::~JobCgroup() {
  if (peak_fd_ >= 0) close(peak_fd_);
  if (!removed_) rmdir(path_.c_str());
}

Status JobCgroup::SetMemoryLimit(int64_t bytes) {
  if (bytes == memory_limit_) return {};
  if (mode_ == CgroupMode::kV2) {
    GANTRY_RETURN_IF_ERROR(
        WriteString(path_ + "/memory.max", bytes > 0 ? std::to_string(bytes) : "max"));
    // Swap would let the job exceed its limit unnoticed; absent without swap accounting.
    if (FileExists(path_ + "/memory.swap.max")) {
      (void)WriteString(path_ + "/memory.swap.max", bytes > 0 ? "0" : "max");
    }
  } else {
    // memory+swap must stay >= memory: it is raised first and lowered second.
    std::string memsw = path_ + "/memory.memsw.limit_in_bytes";
    bool has_memsw = FileExists(memsw);
    std::string value = bytes > 0 ? std::to_string(bytes) : "-1";
    bool raising = bytes <= 0 || (memory_limit_ > 0 && bytes > memory_limit_);
    if (has_memsw && raising) GANTRY_RETURN_IF_ERROR(WriteString(memsw, value));
    GANTRY_RETURN_IF_ERROR(WriteString(path_ + "/memory.limit_in_bytes", value));
    if (has_memsw && !raising) GANTRY_RETURN_IF_ERROR(WriteString(memsw, value));
  }
  memory_limit_ = bytes;
  return {};
}

bool JobCgroup::ResetCounters() {
  if (mode_ == CgroupMode::kV2) {
    if (peak_fd_ < 0 || pwrite(peak_fd_, "reset", 5, 0) != 5) return false;
  } else {
    if (!WriteString(path_ + "/memory.max_usage_in_bytes", "0") ||
        !WriteString(path_ + "/memory.failcnt", "0")) {
      return false;
    }
  }
  oom_kills_base_ = std::max<int64_t>(OomKills(), 0);
  return true;
}

Result<std::vector<pid_t>> JobCgroup::ReadPids() const {
  GANTRY_ASSIGN_OR_RETURN(std::string text, ReadFile(procs_path_));
  std::vector<pid_t> pids;
  for (const std::string& line : Split(text, '\n')) {
    if (auto pid = ParseInt(Trim(line)); pid && *pid > 0) pids.push_back(static_cast<pid_t>(*pid));
  }
  return pids;
}

bool JobCgroup::KillAll() const {
  if (mode_ != CgroupMode::kV2) return false;
  return WriteString(path_ + "/cgroup.kill", "1").has_value();
}

int64_t JobCgroup::PeakMemoryBytes() const {
  if (mode_ == CgroupMode::kV1) return ReadInt(path_ + "/memory.max_usage_in_bytes");
  if (peak_fd_ >= 0) {
    // After a reset, only reads through the same fd see the fresh peak.
    char buf[32] = {};
    ssize_t n = pread(peak_fd_, buf, sizeof buf - 1, 0);
    if (n > 0) return ParseInt(Trim(std::string_view(buf, static_cast<size_t>(n)))).value_or(0);
  }
  return ReadInt(path_ + "/memory.peak");
}

int64_t JobCgroup::OomKills() const {
  std::string file = path_ + (mode_ == CgroupMode::kV2 ? "/memory.events" : "/memory.oom_control");
  return ReadKeyedInt(file, "oom_kill");
}

bool JobCgroup::OomKilled() const {
  int64_t kills = OomKills();
  if (kills >= 0) return kills > oom_kills_base_;
  // Kernels before 4.13 have no oom_kill counter in v1; hitting the limit is the best hint.
  return mode_ == CgroupMode::kV1 && ReadInt(path_ + "/memory.failcnt") > 0;
}

Status JobCgroup::Remove() {
  if (removed_) return {};
  if (rmdir(path_.c_str()) != 0 && errno != ENOENT) {
    return Fail(ErrnoError("cannot remove cgroup " + path_, errno));
  }
  removed_ = true;
  return {};
}

}  // namespace gantry::exec
