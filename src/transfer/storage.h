// Storage: one protocol's way to read, write, checksum, rename and remove objects, behind
// one interface (the seam the copier and the transfer service use; FakeStorage-like tests
// use the file one on temp dirs). A Sink writes to a temporary name beside the final one and
// becomes visible only by Commit() (a rename), so a reader never sees half a file; Abort()
// or the Sink's destruction without Commit removes the temporary. Implementations:
// file_storage.cc (file://), xrootd_storage.cc (root:// through XrdCl). Each Storage is
// thread-safe; a Source or Sink is used by one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "base/error.h"
#include "transfer/url.h"

namespace gantry::transfer {

class Source {
 public:
  virtual ~Source() = default;
  virtual int64_t size() const = 0;
  // Reads up to buffer.size() bytes at offset; 0 at the end.
  virtual Result<size_t> ReadAt(int64_t offset, std::span<char> buffer) = 0;
  // A local file descriptor, or -1: file-to-file copies use copy_file_range on it.
  virtual int fd() const { return -1; }
};

class Sink {
 public:
  virtual ~Sink() = default;
  virtual Status WriteAt(int64_t offset, std::span<const char> bytes) = 0;
  virtual int fd() const { return -1; }
  // Flushes and closes the temporary; it stays invisible.
  virtual Status Close() = 0;
  // The adler32 of what the temporary holds, as the storage computes it (a server-side
  // checksum where the endpoint offers one, else read back). After Close.
  virtual Result<std::string> StoredAdler32() = 0;
  // Renames the temporary to the final name (replacing it only if overwrite was asked).
  virtual Status Commit() = 0;
  // Removes the temporary (idempotent).
  virtual void Abort() = 0;
  virtual const Url& temporary() const = 0;
};

enum class Overwrite { kNo, kYes };

class Storage {
 public:
  virtual ~Storage() = default;
  virtual Result<std::unique_ptr<Source>> OpenRead(const Url& url) = 0;
  // temp_suffix names the temporary: final + ".gantry-part-" + temp_suffix. Parent
  // directories are made.
  virtual Result<std::unique_ptr<Sink>> Create(const Url& url, const std::string& temp_suffix,
                                               Overwrite overwrite) = 0;
  virtual Result<int64_t> Size(const Url& url) = 0;
  virtual Result<std::string> Adler32(const Url& url) = 0;
  virtual Status Remove(const Url& url) = 0;
};

// The temporary beside url for suffix.
std::string TemporaryPath(const Url& url, const std::string& temp_suffix);

std::unique_ptr<Storage> NewFileStorage();
// timeout_seconds bounds each XrdCl request.
std::unique_ptr<Storage> NewXrootdStorage(int timeout_seconds = 60);

}  // namespace gantry::transfer
