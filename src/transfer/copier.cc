#include "transfer/copier.h"

#include <unistd.h>

#include <thread>
#include <vector>

#include "catalog/checksum.h"

namespace gantry::transfer {
namespace {

using Where = CopyError::Where;

std::unexpected<CopyError> Failed(Where where, Error error) {
  return std::unexpected(CopyError{where, std::move(error)});
}

bool Cancelled(const CopyOptions& o) { return o.cancel && o.cancel->load(); }

// The adler32 of a source, read through it.
Result<std::string> SourceAdler32(Source& source, size_t buffer_size) {
  std::vector<char> buf(buffer_size);
  catalog::Adler32 sum;
  int64_t offset = 0;
  while (true) {
    GANTRY_ASSIGN_OR_RETURN(size_t n, source.ReadAt(offset, buf));
    if (n == 0) break;
    sum.Update({buf.data(), n});
    offset += static_cast<int64_t>(n);
  }
  return sum.Hex();
}

// copy_file_range in 64 MiB steps. Returns the bytes copied, or -1 when the kernel cannot
// copy between these files (another filesystem on an old kernel, a special file): the
// caller streams instead.
Result<int64_t> KernelCopy(int in, int out, int64_t size, const CopyOptions& o) {
  int64_t done = 0;
  while (done < size) {
    if (Cancelled(o)) return Fail(Error(ErrorCode::kCancelled, "the copy was cancelled"));
    loff_t in_off = done, out_off = done;
    size_t step = static_cast<size_t>(std::min<int64_t>(size - done, 64 << 20));
    ssize_t n = copy_file_range(in, &in_off, out, &out_off, step, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (done == 0 && (errno == EXDEV || errno == ENOSYS || errno == EINVAL ||
                        errno == EOPNOTSUPP)) {
        return -1;
      }
      return Fail(ErrnoError("copy_file_range", errno));
    }
    if (n == 0) break;  // the source shrank
    done += n;
    if (o.progress) o.progress(done, size);
  }
  return done;
}

}  // namespace

std::expected<CopyResult, CopyError> Copy(Storage& from, const Url& source_url, Storage& to,
                                          const Url& destination, const CopyOptions& o) {
  auto opened = from.OpenRead(source_url);
  if (!opened) return Failed(Where::kSource, opened.error());
  std::unique_ptr<Source> source = std::move(*opened);
  const int64_t size = source->size();
  auto created = to.Create(destination, o.temp_suffix, o.overwrite);
  if (!created) return Failed(Where::kDestination, created.error());
  std::unique_ptr<Sink> sink = std::move(*created);

  CopyResult result;
  std::string source_adler;  // of the bytes as read, when known
  int64_t copied = -1;
  if (source->fd() >= 0 && sink->fd() >= 0) {
    // The kernel copies; when there is no catalog checksum to verify against, a second
    // thread checksums the source meanwhile (from the page cache the copy fills).
    Result<std::string> parallel_sum = std::string();
    std::thread summer;
    if (o.expected_adler32.empty()) {
      summer = std::thread([&] { parallel_sum = SourceAdler32(*source, o.buffer_size); });
    }
    auto kernel = KernelCopy(source->fd(), sink->fd(), size, o);
    if (summer.joinable()) summer.join();
    if (!kernel) return Failed(Where::kDestination, kernel.error());
    if (*kernel >= 0) {
      if (!parallel_sum) return Failed(Where::kSource, parallel_sum.error());
      copied = *kernel;
      source_adler = *parallel_sum;
      result.method = "copy_file_range";
    }
  }
  if (copied < 0) {
    std::vector<char> buf(o.buffer_size);
    catalog::Adler32 sum;
    copied = 0;
    while (true) {
      if (Cancelled(o)) {
        return Failed(Where::kDestination, Error(ErrorCode::kCancelled, "the copy was cancelled"));
      }
      auto n = source->ReadAt(copied, buf);
      if (!n) return Failed(Where::kSource, n.error());
      if (*n == 0) break;
      sum.Update({buf.data(), *n});
      if (auto w = sink->WriteAt(copied, {buf.data(), *n}); !w) {
        return Failed(Where::kDestination, w.error());
      }
      copied += static_cast<int64_t>(*n);
      if (o.progress) o.progress(copied, size);
    }
    source_adler = sum.Hex();
    result.method = "stream";
  }
  if (copied != size) {
    return Failed(Where::kSource,
                  FailedPrecondition(source_url.text + " changed size while it was copied (" +
                                     std::to_string(size) + " bytes at the start, " +
                                     std::to_string(copied) + " read)"));
  }
  if (auto c = sink->Close(); !c) return Failed(Where::kDestination, c.error());
  auto stored = sink->StoredAdler32();
  if (!stored) return Failed(Where::kDestination, stored.error());
  if (!o.expected_adler32.empty()) {
    if (!source_adler.empty() && source_adler != o.expected_adler32) {
      return Failed(Where::kBadSource,
                    FailedPrecondition(source_url.text + " has adler32 " + source_adler +
                                       ", not the catalog's " + o.expected_adler32 +
                                       ": the source replica is bad"));
    }
    if (*stored != o.expected_adler32) {
      // Whose fault: the source's bytes or the copy's? Read the source to know.
      auto again = SourceAdler32(*source, o.buffer_size);
      if (again && *again != o.expected_adler32) {
        return Failed(Where::kBadSource,
                      FailedPrecondition(source_url.text + " has adler32 " + *again +
                                         ", not the catalog's " + o.expected_adler32 +
                                         ": the source replica is bad"));
      }
      return Failed(Where::kDestination,
                    Unavailable("the copy at " + destination.text + " has adler32 " + *stored +
                                ", not " + o.expected_adler32 + " (removed; will retry)"));
    }
  } else if (*stored != source_adler) {
    return Failed(Where::kDestination,
                  Unavailable("the copy at " + destination.text + " has adler32 " + *stored +
                              ", the source " + source_adler + " (removed)"));
  }
  if (auto c = sink->Commit(); !c) return Failed(Where::kDestination, c.error());
  result.bytes = copied;
  result.adler32 = *stored;
  return result;
}

}  // namespace gantry::transfer
