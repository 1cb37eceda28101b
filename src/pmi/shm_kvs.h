// Node-local shared-memory key-value store (docs/protocols/pmi.md, "Shared-memory store").
// Insert/lookup only. One writer (the launcher's node part) fills a memfd; the ranks of the
// node map it read-only and look keys up without a round trip to the launcher.
//
// ShmKvsWriter is thread-compatible (one writer). ShmKvsReader is thread-safe: lookups only
// read, and each slot is published with a release store after its entry is written.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "base/error.h"
#include "pmi/simple_server.h"

namespace gantry::pmi {

struct ShmKvsLayout;  // internal: header, slot table, entry arena

class ShmKvsWriter final : public KvsSink {
 public:
  // A store for about `expected_keys` keys and `arena_bytes` of keys + values. The memfd is
  // sized once (sparse: untouched pages cost nothing); Insert fails when it is full.
  static Result<std::unique_ptr<ShmKvsWriter>> Create(size_t expected_keys, size_t arena_bytes);
  ~ShmKvsWriter() override;
  ShmKvsWriter(const ShmKvsWriter&) = delete;
  ShmKvsWriter& operator=(const ShmKvsWriter&) = delete;

  // AlreadyExists if the key is present (first value wins), ResourceExhausted when full.
  Status Insert(std::string_view key, std::string_view value) override;
  // The memfd (close-on-exec). Children need it without FD_CLOEXEC to open a reader.
  int fd() const { return fd_; }
  size_t size() const { return size_; }
  uint32_t count() const;

 private:
  ShmKvsWriter(int fd, void* base, size_t size) : fd_(fd), base_(base), size_(size) {}
  int fd_;
  void* base_;
  size_t size_;
};

class ShmKvsReader {
 public:
  // Maps the store behind `fd` read-only. The fd may be closed afterwards.
  static Result<std::unique_ptr<ShmKvsReader>> Open(int fd);
  ~ShmKvsReader();
  ShmKvsReader(const ShmKvsReader&) = delete;
  ShmKvsReader& operator=(const ShmKvsReader&) = delete;

  // The value, pointing into shared memory (valid while the reader lives); nullopt if absent.
  std::optional<std::string_view> Lookup(std::string_view key) const;

 private:
  ShmKvsReader(const void* base, size_t size) : base_(base), size_(size) {}
  const void* base_;
  size_t size_;
};

}  // namespace gantry::pmi
