// root:// through XrdCl (Debian's libxrootd-client). One XrdCl::File per Source; XrdCl's File
// is thread-safe, so ReadV may be called from several threads at once. Vector reads are cut
// to the protocol's limits (1024 chunks, 2 MiB less 16 bytes per chunk); larger ranges are
// read with plain reads. Every request carries the caller's timeout.
#include <XrdCl/XrdClDefaultEnv.hh>
#include <XrdCl/XrdClEnv.hh>
#include <XrdCl/XrdClFile.hh>
#include <XrdCl/XrdClXRootDResponses.hh>

#include <algorithm>
#include <memory>
#include <mutex>

#include "root/fmt.h"
#include "root/source.h"

namespace gantry::root {
namespace {

constexpr size_t kMaxChunks = 1024;
constexpr size_t kMaxChunkBytes = 2097136;

Error FromStatus(const XrdCl::XRootDStatus& s, const std::string& what) {
  std::string message = Fmt("{}: {}", what, s.ToString());
  if (s.code == XrdCl::errOperationExpired) return DeadlineExceeded(message);
  if (s.code == XrdCl::errErrorResponse) {
    if (s.errNo == kXR_NotFound) return NotFound(message);
    if (s.errNo == kXR_NotAuthorized) return PermissionDenied(message);
  }
  return Unavailable(message);
}

uint16_t TimeoutSeconds(std::chrono::milliseconds timeout) {
  int64_t s = (timeout.count() + 999) / 1000;
  return static_cast<uint16_t>(std::clamp<int64_t>(s, 1, 65535));
}

class XRootDSource final : public Source {
 public:
  XRootDSource(std::string url, uint16_t timeout) : url_(std::move(url)), timeout_(timeout) {}
  ~XRootDSource() override {
    XrdCl::XRootDStatus closed = file_.Close(timeout_);
    (void)closed;  // nothing to do about a failed close of a read-only file
  }

  Status Open() {
    XrdCl::XRootDStatus s = file_.Open(url_, XrdCl::OpenFlags::Read, XrdCl::Access::None,
                                       timeout_);
    if (!s.IsOK()) return Fail(FromStatus(s, Fmt("opening {}", url_)));
    XrdCl::StatInfo* info = nullptr;
    s = file_.Stat(false, info, timeout_);
    std::unique_ptr<XrdCl::StatInfo> owned(info);
    if (!s.IsOK() || !info) return Fail(FromStatus(s, Fmt("stat {}", url_)));
    size_ = info->GetSize();
    return {};
  }

  uint64_t Size() const override { return size_; }
  std::string Describe() const override { return url_; }

  Status ReadV(std::span<const ReadRequest> requests) override {
    XrdCl::ChunkList chunks;
    uint64_t total = 0;
    auto flush = [&]() -> Status {
      if (chunks.empty()) return {};
      XrdCl::VectorReadInfo* info = nullptr;
      XrdCl::XRootDStatus s = file_.VectorRead(chunks, nullptr, info, timeout_);
      std::unique_ptr<XrdCl::VectorReadInfo> owned(info);
      if (!s.IsOK()) {
        return Fail(FromStatus(s, Fmt("vector read of {} ranges from {}", chunks.size(), url_)));
      }
      chunks.clear();
      return {};
    };
    for (const ReadRequest& r : requests) {
      if (r.offset > size_ || r.size > size_ - r.offset) {
        return Fail(InvalidArgument(Fmt("truncated file: {} has {} bytes, a read wants {} "
                                        "bytes at offset {}",
                                        url_, size_, r.size, r.offset)));
      }
      total += r.size;
      if (r.size > kMaxChunkBytes) {
        GANTRY_RETURN_IF_ERROR(ReadWhole(r));
        continue;
      }
      chunks.emplace_back(r.offset, static_cast<uint32_t>(r.size), r.out);
      if (chunks.size() == kMaxChunks) GANTRY_RETURN_IF_ERROR(flush());
    }
    GANTRY_RETURN_IF_ERROR(flush());
    Count(total);
    return {};
  }

 private:
  Status ReadWhole(const ReadRequest& r) {
    size_t done = 0;
    while (done < r.size) {
      uint32_t want = static_cast<uint32_t>(std::min<size_t>(r.size - done, 64u << 20));
      uint32_t got = 0;
      XrdCl::XRootDStatus s = file_.Read(r.offset + done, want, r.out + done, got, timeout_);
      if (!s.IsOK()) return Fail(FromStatus(s, Fmt("reading {}", url_)));
      if (got == 0) {
        return Fail(InvalidArgument(Fmt("truncated file: {} ended at {}", url_, r.offset + done)));
      }
      done += got;
    }
    return {};
  }

  std::string url_;
  uint16_t timeout_;
  uint64_t size_ = 0;
  XrdCl::File file_;
};

}  // namespace

Result<std::unique_ptr<Source>> OpenXRootDSource(const std::string& url,
                                                 const SourceOptions& options) {
  // XrdCl checks request deadlines every TimeoutResolution seconds (15 by default), so a
  // short read timeout needs a finer resolution. Process-wide, set once.
  static std::once_flag configured;
  std::call_once(configured, [] {
    XrdCl::Env* env = XrdCl::DefaultEnv::GetEnv();
    env->PutInt("TimeoutResolution", 1);
  });
  auto source = std::make_unique<XRootDSource>(url, TimeoutSeconds(options.timeout));
  GANTRY_RETURN_IF_ERROR(source->Open());
  return std::unique_ptr<Source>(std::move(source));
}

}  // namespace gantry::root
