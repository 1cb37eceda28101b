// root:// storage through XrdCl's synchronous API (Debian's libxrootd-client). Checksums come
// from the server (kXR_Qcksum, "adler32 <hex>") when it computes them (xrootd.chksum
// adler32), else by reading the object back. Renames are FileSystem::Mv; a destination that
// exists is refused unless overwrite was asked.
#include <XProtocol/XProtocol.hh>
#include <XrdCl/XrdClDefaultEnv.hh>
#include <XrdCl/XrdClFile.hh>
#include <XrdCl/XrdClFileSystem.hh>
#include <XrdCl/XrdClURL.hh>

#include <vector>

#include "catalog/checksum.h"
#include "catalog/did.h"
#include "transfer/storage.h"

namespace gantry::transfer {
namespace {

// For the XrdCl calls whose outcome does not matter (closing after a failure, cleanup).
void Ignore(const XrdCl::XRootDStatus&) {}

// An XrdCl status as an Error: the server's own error numbers map to our codes, so a
// missing file is NotFound (not retried) and a dropped connection Unavailable (retried).
Error FromStatus(const XrdCl::XRootDStatus& st, const std::string& what) {
  std::string message = what + ": " + st.ToStr();
  if (st.code == XrdCl::errErrorResponse) {
    switch (st.errNo) {
      case kXR_NotFound: return NotFound(message);
      case kXR_NotAuthorized: return PermissionDenied(message);
      case kXR_NoSpace:
      case kXR_overQuota: return ResourceExhausted(message);
      case kXR_ItExists: return AlreadyExists(message);
      case kXR_ArgInvalid:
      case kXR_isDirectory: return InvalidArgument(message);
      default: return Unavailable(message);
    }
  }
  if (st.code == XrdCl::errInvalidArgs || st.code == XrdCl::errInvalidAddr) {
    return InvalidArgument(message);
  }
  return Unavailable(message);
}

std::string Endpoint(const Url& url) { return "root://" + url.authority + "/"; }

class XrootdSource final : public Source {
 public:
  XrootdSource(std::unique_ptr<XrdCl::File> file, int64_t size, std::string url, uint16_t timeout)
      : file_(std::move(file)), size_(size), url_(std::move(url)), timeout_(timeout) {}
  ~XrootdSource() override { Ignore(file_->Close(timeout_)); }
  int64_t size() const override { return size_; }
  Result<size_t> ReadAt(int64_t offset, std::span<char> buffer) override {
    uint32_t got = 0;
    auto st = file_->Read(static_cast<uint64_t>(offset), static_cast<uint32_t>(buffer.size()),
                          buffer.data(), got, timeout_);
    if (!st.IsOK()) return Fail(FromStatus(st, "reading " + url_));
    return static_cast<size_t>(got);
  }

 private:
  std::unique_ptr<XrdCl::File> file_;
  int64_t size_;
  std::string url_;
  uint16_t timeout_;
};

Result<std::string> ServerOrReadBackAdler32(const Url& url, uint16_t timeout) {
  XrdCl::FileSystem fs{XrdCl::URL(Endpoint(url))};
  XrdCl::Buffer arg;
  arg.FromString(url.path);
  XrdCl::Buffer* response = nullptr;
  auto st = fs.Query(XrdCl::QueryCode::Checksum, arg, response, timeout);
  std::unique_ptr<XrdCl::Buffer> owned(response);
  if (st.IsOK() && owned) {
    std::string text(owned->GetBuffer(), owned->GetSize());
    while (!text.empty() && (text.back() == '\0' || text.back() == '\n')) text.pop_back();
    if (text.starts_with("adler32 ")) {
      auto hex = catalog::NormalizeAdler32(text.substr(8));
      if (hex) return *hex;
    }
  } else if (st.code == XrdCl::errErrorResponse && st.errNo == kXR_NotFound) {
    return Fail(FromStatus(st, "checksumming " + url.text));
  }
  // The server computes no adler32: read the object back.
  XrdCl::File file;
  auto open = file.Open(url.text, XrdCl::OpenFlags::Read, XrdCl::Access::None, timeout);
  if (!open.IsOK()) return Fail(FromStatus(open, "opening " + url.text));
  std::vector<char> buf(8 << 20);
  catalog::Adler32 sum;
  uint64_t offset = 0;
  while (true) {
    uint32_t got = 0;
    auto r = file.Read(offset, static_cast<uint32_t>(buf.size()), buf.data(), got, timeout);
    if (!r.IsOK()) return Fail(FromStatus(r, "reading " + url.text));
    if (got == 0) break;
    sum.Update({buf.data(), got});
    offset += got;
  }
  Ignore(file.Close(timeout));
  return sum.Hex();
}

class XrootdSink final : public Sink {
 public:
  XrootdSink(std::unique_ptr<XrdCl::File> file, Url final_url, Url temp, Overwrite overwrite,
             uint16_t timeout)
      : file_(std::move(file)), final_(std::move(final_url)), temp_(std::move(temp)),
        overwrite_(overwrite), timeout_(timeout) {}
  ~XrootdSink() override {
    if (!committed_) Abort();
  }
  const Url& temporary() const override { return temp_; }

  Status WriteAt(int64_t offset, std::span<const char> bytes) override {
    auto st = file_->Write(static_cast<uint64_t>(offset), static_cast<uint32_t>(bytes.size()),
                           bytes.data(), timeout_);
    if (!st.IsOK()) return Fail(FromStatus(st, "writing " + temp_.text));
    return {};
  }

  Status Close() override {
    if (!open_) return {};
    open_ = false;
    auto st = file_->Close(timeout_);
    if (!st.IsOK()) return Fail(FromStatus(st, "closing " + temp_.text));
    return {};
  }

  Result<std::string> StoredAdler32() override { return ServerOrReadBackAdler32(temp_, timeout_); }

  Status Commit() override {
    XrdCl::FileSystem fs{XrdCl::URL(Endpoint(final_))};
    XrdCl::StatInfo* info = nullptr;
    auto exists = fs.Stat(final_.path, info, timeout_);
    delete info;
    if (exists.IsOK()) {
      if (overwrite_ == Overwrite::kNo) {
        return Fail(AlreadyExists(final_.text + " exists (it appeared while copying)"));
      }
      auto rm = fs.Rm(final_.path, timeout_);
      if (!rm.IsOK()) return Fail(FromStatus(rm, "replacing " + final_.text));
    }
    auto st = fs.Mv(temp_.path, final_.path, timeout_);
    if (!st.IsOK()) return Fail(FromStatus(st, "renaming " + temp_.text + " to " + final_.text));
    committed_ = true;
    return {};
  }

  void Abort() override {
    if (open_) {
      Ignore(file_->Close(timeout_));
      open_ = false;
    }
    if (committed_ || removed_) return;
    removed_ = true;
    XrdCl::FileSystem fs{XrdCl::URL(Endpoint(temp_))};
    Ignore(fs.Rm(temp_.path, timeout_));
  }

 private:
  std::unique_ptr<XrdCl::File> file_;
  Url final_;
  Url temp_;
  Overwrite overwrite_;
  uint16_t timeout_;
  bool open_ = true;
  bool committed_ = false;
  bool removed_ = false;
};

class XrootdStorage final : public Storage {
 public:
  explicit XrootdStorage(int timeout) : timeout_(static_cast<uint16_t>(timeout)) {
    // XrdCl retries a refused connection for minutes by default; the transfer service has
    // its own retries with backoff, so one connection attempt per request is enough (the
    // XRD_CONNECTIONRETRY and XRD_CONNECTIONWINDOW variables still win).
    XrdCl::Env* env = XrdCl::DefaultEnv::GetEnv();
    if (!getenv("XRD_CONNECTIONRETRY")) env->PutInt("ConnectionRetry", 1);
    if (!getenv("XRD_CONNECTIONWINDOW")) env->PutInt("ConnectionWindow", timeout);
  }

  Result<std::unique_ptr<Source>> OpenRead(const Url& url) override {
    auto file = std::make_unique<XrdCl::File>();
    auto st = file->Open(url.text, XrdCl::OpenFlags::Read, XrdCl::Access::None, timeout_);
    if (!st.IsOK()) return Fail(FromStatus(st, "cannot open " + url.text));
    XrdCl::StatInfo* info = nullptr;
    auto stat = file->Stat(false, info, timeout_);
    std::unique_ptr<XrdCl::StatInfo> owned(info);
    if (!stat.IsOK() || !owned) return Fail(FromStatus(stat, "cannot stat " + url.text));
    return std::unique_ptr<Source>(new XrootdSource(
        std::move(file), static_cast<int64_t>(owned->GetSize()), url.text, timeout_));
  }

  Result<std::unique_ptr<Sink>> Create(const Url& url, const std::string& temp_suffix,
                                       Overwrite overwrite) override {
    if (overwrite == Overwrite::kNo) {
      auto size = Size(url);
      if (size) return Fail(AlreadyExists(url.text + " exists"));
      if (size.error().code() != ErrorCode::kNotFound) return Fail(size.error());
    }
    Url temp = url.WithPath(TemporaryPath(url, temp_suffix));
    auto file = std::make_unique<XrdCl::File>();
    auto st = file->Open(temp.text,
                         XrdCl::OpenFlags::Delete | XrdCl::OpenFlags::MakePath |
                             XrdCl::OpenFlags::Write,
                         XrdCl::Access::UR | XrdCl::Access::UW | XrdCl::Access::GR |
                             XrdCl::Access::OR,
                         timeout_);
    if (!st.IsOK()) return Fail(FromStatus(st, "cannot create " + temp.text));
    return std::unique_ptr<Sink>(new XrootdSink(std::move(file), url, std::move(temp), overwrite,
                                                timeout_));
  }

  Result<int64_t> Size(const Url& url) override {
    XrdCl::FileSystem fs{XrdCl::URL(Endpoint(url))};
    XrdCl::StatInfo* info = nullptr;
    auto st = fs.Stat(url.path, info, timeout_);
    std::unique_ptr<XrdCl::StatInfo> owned(info);
    if (!st.IsOK() || !owned) return Fail(FromStatus(st, "cannot stat " + url.text));
    return static_cast<int64_t>(owned->GetSize());
  }

  Result<std::string> Adler32(const Url& url) override {
    return ServerOrReadBackAdler32(url, timeout_);
  }

  Status Remove(const Url& url) override {
    XrdCl::FileSystem fs{XrdCl::URL(Endpoint(url))};
    auto st = fs.Rm(url.path, timeout_);
    if (!st.IsOK() && !(st.code == XrdCl::errErrorResponse && st.errNo == kXR_NotFound)) {
      return Fail(FromStatus(st, "cannot remove " + url.text));
    }
    return {};
  }

 private:
  uint16_t timeout_;
};

}  // namespace

std::unique_ptr<Storage> NewXrootdStorage(int timeout_seconds) {
  return std::make_unique<XrootdStorage>(timeout_seconds);
}

}  // namespace gantry::transfer
