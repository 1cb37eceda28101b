// SandboxLink: the agent's client for the sandbox endpoints (docs/api.md "Sandboxes"):
// returning output files, reporting what could not be returned, and answering peeks for
// `gantry logs -f`. An interface for tests; ConnectSandboxHttp speaks HTTP. Thread-compatible:
// one per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/error.h"

namespace gantry::agent {

struct PeekOrder {
  int64_t id = 0;
  int64_t attempt_id = 0;
  std::string stream;  // stdout or stderr
  int64_t offset = 0;
  int64_t max = 0;
};

struct SandboxReport {
  struct Returned {
    std::string name;
    int64_t bytes = 0;
  };
  struct Missing {
    std::string name;
    std::string why;
  };
  std::vector<Returned> returned;
  std::vector<Missing> missing;
};

class SandboxLink {
 public:
  virtual ~SandboxLink() = default;
  // kind: stdout, stderr or file (then name, relative to the job's working directory).
  virtual Status PutFile(const std::string& agent, int64_t attempt_id, const std::string& kind,
                         const std::string& name, const std::string& bytes) = 0;
  virtual Status Report(const std::string& agent, int64_t attempt_id,
                        const SandboxReport& report) = 0;
  virtual Result<std::vector<PeekOrder>> WaitPeeks(const std::string& agent, int64_t wait_ms) = 0;
  virtual Status AnswerPeek(const std::string& agent, int64_t id, bool found,
                            const std::string& data) = 0;
};

Result<std::unique_ptr<SandboxLink>> ConnectSandboxHttp(const std::string& url,
                                                        const std::string& token,
                                                        const std::string& ca_file);

}  // namespace gantry::agent
