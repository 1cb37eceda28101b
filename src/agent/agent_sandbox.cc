// The agent's sandboxes (docs/sandbox.md): deciding which attempts run in one, returning
// their output when they end (before their end is reported, so a job seen DONE has its files
// on the submit host), and answering peeks for `gantry logs -f` from the sandbox files.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "agent/agent.h"
#include "base/file.h"
#include "base/log.h"
#include "model/limits.h"
#include "model/sandbox.h"

namespace gantry::agent {
namespace {

// Reads a whole returned file, refusing one over the limit before reading it.
Result<std::string> ReadReturned(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    return Fail(ErrnoError("the job did not write it (" + path + ")", errno));
  }
  if (!S_ISREG(st.st_mode)) return Fail(InvalidArgument("it is not a regular file"));
  if (st.st_size > model::kMaxOutputFileBytes) {
    return Fail(ResourceExhausted("it is too big to return: " + model::ByteSize(st.st_size) +
                                  ", more than " + model::ByteSize(model::kMaxOutputFileBytes)));
  }
  return ReadFile(path);
}

Result<std::string> ReadChunk(const std::string& path, int64_t offset, int64_t max) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Fail(ErrnoError("cannot open " + path, errno));
  std::string out(static_cast<size_t>(std::clamp<int64_t>(max, 0, 1 << 20)), '\0');
  ssize_t n = pread(fd, out.data(), out.size(), offset);
  int err = errno;
  close(fd);
  if (n < 0) return Fail(ErrnoError("cannot read " + path, err));
  out.resize(static_cast<size_t>(n));
  return out;
}

}  // namespace

void Agent::EnableSandboxes(std::unique_ptr<SandboxLink> returns,
                            std::unique_ptr<SandboxLink> peeks) {
  returns_link_ = std::move(returns);
  peeks_link_ = std::move(peeks);
  returner_ = std::thread([this] { ReturnerLoop(); });
  if (peeks_link_) peeker_ = std::thread([this] { PeekLoop(); });
}

bool Agent::Sandboxed(const model::JobSpec& spec) const {
  if (!returns_link_) return false;
  if (options_.no_shared_fs) return true;
  // Detected: the job's working directory is not here, so neither is the submit host's
  // filesystem.
  struct stat st;
  return stat(spec.working_dir.c_str(), &st) != 0;
}

void Agent::ReturnerLoop() {
  std::unique_lock lock(mu_);
  while (true) {
    returns_cv_.wait(lock, [&] { return stopped_ || !returns_.empty(); });
    if (stopped_) return;
    Return r = std::move(returns_.front());
    returns_.pop_front();
    int64_t id = r.report.attempt_id;
    // The server knows where the output goes once it has the start: wait for its ack.
    returns_cv_.wait(lock, [&] {
      if (stopped_) return true;
      auto it = running_.find(id);
      if (it == running_.end() || !it->second.launched) return it == running_.end();
      return !unsent_starts_.count(id) &&
             std::none_of(reports_.begin(), reports_.end(),
                          [&](const wire::AttemptReport& q) { return q.attempt_id == id; });
    });
    if (stopped_) return;
    lock.unlock();
    ReturnFiles(r);
    if (!r.dir.empty()) scratch_.Release(r.dir);
    if (!r.script.empty()) scripts_.Release(r.script);
    lock.lock();
    reports_.push_back(std::move(r.report));
    unsent_starts_.erase(id);
    wake_needed_ = true;
    report_cv_.notify_all();
  }
}

void Agent::ReturnFiles(const Return& r) {
  const SandboxPlan& plan = *r.sandbox;
  int64_t id = r.report.attempt_id;
  SandboxReport report;
  auto send = [&](const std::string& kind, const std::string& name, const std::string& local,
                  const std::string& shown) {
    auto bytes = ReadReturned(local);
    if (!bytes) {
      report.missing.push_back({shown, bytes.error().message()});
      return;
    }
    Status sent;
    // A checksum mismatch or a lost connection is tried again; a refusal is not.
    for (int tries = 0; tries < 3; ++tries) {
      sent = returns_link_->PutFile(options_.name, id, kind, name, *bytes);
      if (sent || sent.error().code() == ErrorCode::kPermissionDenied ||
          sent.error().code() == ErrorCode::kNotFound) {
        break;
      }
    }
    if (!sent) {
      report.missing.push_back({shown, "the submit host did not take it: " +
                                           sent.error().message()});
      return;
    }
    report.returned.push_back({shown, static_cast<int64_t>(bytes->size())});
  };
  send("stdout", "", plan.stdout_local, plan.stdout_target);
  if (plan.stderr_local != plan.stdout_local) {
    send("stderr", "", plan.stderr_local, plan.stderr_target);
  }
  for (const std::string& name : plan.output_files) send("file", name, plan.dir + "/" + name, name);
  auto reported = returns_link_->Report(options_.name, id, report);
  if (!reported) {
    LogWarning("agent: cannot report the output of attempt " + std::to_string(id) + ": " +
               reported.error().message());
  }
}

void Agent::PeekLoop() {
  while (true) {
    {
      std::lock_guard lock(mu_);
      if (stopped_) return;
    }
    // Short waits: the thread notices Stop within one.
    auto orders = peeks_link_->WaitPeeks(options_.name, 2000);
    if (!orders) {
      std::unique_lock lock(mu_);
      returns_cv_.wait_for(lock, std::chrono::seconds(1), [&] { return stopped_; });
      continue;
    }
    for (const PeekOrder& o : *orders) {
      std::string path;
      {
        std::lock_guard lock(mu_);
        auto it = running_.find(o.attempt_id);
        if (it != running_.end() && it->second.sandbox) {
          path = o.stream == "stderr" ? it->second.sandbox->stderr_local
                                      : it->second.sandbox->stdout_local;
        }
      }
      Result<std::string> data = std::string();
      if (!path.empty()) data = ReadChunk(path, o.offset, o.max);
      (void)peeks_link_->AnswerPeek(options_.name, o.id, !path.empty() && data.has_value(),
                                    data ? *data : std::string());
    }
  }
}

}  // namespace gantry::agent
