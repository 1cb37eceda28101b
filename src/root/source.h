// Where a ROOT file's bytes come from: a local file (pread), bytes in memory (tests, fuzzing)
// or an XRootD server (xrootd_source.h). The reader asks for many ranges at once (ReadV) so a
// remote source can send one vector read instead of one round trip per basket.
// Implementations are thread-safe: baskets are fetched and decompressed from several threads.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "base/error.h"

namespace gantry::root {

struct ReadRequest {
  uint64_t offset = 0;
  size_t size = 0;
  char* out = nullptr;  // size bytes, owned by the caller
};

class Source {
 public:
  virtual ~Source() = default;
  virtual uint64_t Size() const = 0;
  // Reads exactly request.size bytes at request.offset for each request; fails (naming the
  // range) if any lies past the end or the read fails.
  virtual Status ReadV(std::span<const ReadRequest> requests) = 0;
  // "file /path" or "root://host//path", for error messages.
  virtual std::string Describe() const = 0;

  Result<std::string> ReadAt(uint64_t offset, size_t size);
  // Bytes read so far and how many ReadV calls there were (for benchmarks and tests).
  uint64_t bytes_read() const { return bytes_read_; }
  uint64_t read_calls() const { return read_calls_; }

 protected:
  void Count(uint64_t bytes) {
    bytes_read_ += bytes;
    read_calls_ += 1;
  }

 private:
  std::atomic<uint64_t> bytes_read_{0};
  std::atomic<uint64_t> read_calls_{0};
};

Result<std::unique_ptr<Source>> OpenLocalSource(const std::string& path);
std::unique_ptr<Source> MemorySource(std::string bytes, std::string name = "memory");

struct SourceOptions {
  // For remote sources: how long one read may take before it fails with DeadlineExceeded.
  std::chrono::milliseconds timeout{60'000};
};

// A path, file://path, or root://host[:port]//path (XRootD).
Result<std::unique_ptr<Source>> OpenSource(const std::string& url, const SourceOptions& options);

}  // namespace gantry::root
