#include "transfer/copier.h"

#include <gtest/gtest.h>

#include "base/file.h"
#include "base/temp_dir.h"
#include "catalog/checksum.h"

namespace gantry::transfer {
namespace {

// A file Source without its descriptor, so the copier streams through its buffer.
class NoFdStorage final : public Storage {
 public:
  explicit NoFdStorage(Storage& inner) : inner_(inner) {}
  Result<std::unique_ptr<Source>> OpenRead(const Url& url) override {
    GANTRY_ASSIGN_OR_RETURN(auto s, inner_.OpenRead(url));
    struct Wrapped final : Source {
      std::unique_ptr<Source> s;
      int64_t size() const override { return s->size(); }
      Result<size_t> ReadAt(int64_t o, std::span<char> b) override { return s->ReadAt(o, b); }
    };
    auto w = std::make_unique<Wrapped>();
    w->s = std::move(s);
    return std::unique_ptr<Source>(std::move(w));
  }
  Result<std::unique_ptr<Sink>> Create(const Url& u, const std::string& t, Overwrite o) override {
    return inner_.Create(u, t, o);
  }
  Result<int64_t> Size(const Url& u) override { return inner_.Size(u); }
  Result<std::string> Adler32(const Url& u) override { return inner_.Adler32(u); }
  Status Remove(const Url& u) override { return inner_.Remove(u); }

 private:
  Storage& inner_;
};

class CopierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_.resize(3'000'000);
    for (size_t i = 0; i < data_.size(); ++i) data_[i] = static_cast<char>((i * 131) % 251);
    ASSERT_TRUE(WriteFileAtomic(dir_.File("src"), data_));
    catalog::Adler32 a;
    a.Update(data_);
    adler_ = a.Hex();
  }
  Url U(const std::string& name) { return *ParseUrl("file://" + dir_.File(name)); }
  bool Exists(const std::string& name) { return FileExists(dir_.File(name)); }

  TempDir dir_;
  std::string data_;
  std::string adler_;
  std::unique_ptr<Storage> files_ = NewFileStorage();
};

TEST_F(CopierTest, KernelCopyVerifiesAndRenames) {
  int64_t last = 0;
  CopyOptions o;
  o.progress = [&](int64_t done, int64_t) { last = done; };
  auto r = Copy(*files_, U("src"), *files_, U("sub/dir/dst"), o);
  ASSERT_TRUE(r) << r.error().error.message();
  EXPECT_EQ(r->bytes, 3'000'000);
  EXPECT_EQ(r->adler32, adler_);
  EXPECT_EQ(r->method, "copy_file_range");
  EXPECT_EQ(last, 3'000'000);
  EXPECT_EQ(*ReadFile(dir_.File("sub/dir/dst")), data_);
  EXPECT_FALSE(Exists("sub/dir/dst.gantry-part-copy"));
}

TEST_F(CopierTest, StreamCopyChecksumsAsItGoes) {
  NoFdStorage no_fd(*files_);
  CopyOptions o;
  o.expected_adler32 = adler_;
  o.buffer_size = 1 << 16;
  auto r = Copy(no_fd, U("src"), *files_, U("dst"), o);
  ASSERT_TRUE(r) << r.error().error.message();
  EXPECT_EQ(r->method, "stream");
  EXPECT_EQ(*ReadFile(dir_.File("dst")), data_);
}

TEST_F(CopierTest, ASourceThatDoesNotMatchTheCatalogIsBadAndLeavesNothing) {
  for (bool stream : {false, true}) {
    NoFdStorage no_fd(*files_);
    CopyOptions o;
    o.expected_adler32 = "00000001";
    auto r = Copy(stream ? static_cast<Storage&>(no_fd) : *files_, U("src"), *files_, U("dst"), o);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().where, CopyError::Where::kBadSource);
    EXPECT_NE(r.error().error.message().find("the source replica is bad"), std::string::npos);
    EXPECT_FALSE(Exists("dst"));
    EXPECT_FALSE(Exists("dst.gantry-part-copy"));
  }
}

TEST_F(CopierTest, MissingSourceAndExistingDestinationAreRefused) {
  auto missing = Copy(*files_, U("none"), *files_, U("dst"), {});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().where, CopyError::Where::kSource);
  EXPECT_EQ(missing.error().error.code(), ErrorCode::kNotFound);
  ASSERT_TRUE(WriteFileAtomic(dir_.File("dst"), "old"));
  auto exists = Copy(*files_, U("src"), *files_, U("dst"), {});
  ASSERT_FALSE(exists);
  EXPECT_EQ(exists.error().error.code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(*ReadFile(dir_.File("dst")), "old");
  CopyOptions o;
  o.overwrite = Overwrite::kYes;
  EXPECT_TRUE(Copy(*files_, U("src"), *files_, U("dst"), o));
  EXPECT_EQ(*ReadFile(dir_.File("dst")), data_);
}

TEST_F(CopierTest, ACancelledCopyRemovesItsTemporary) {
  std::atomic<bool> cancel{true};
  CopyOptions o;
  o.cancel = &cancel;
  auto r = Copy(*files_, U("src"), *files_, U("dst"), o);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().error.code(), ErrorCode::kCancelled);
  EXPECT_FALSE(Exists("dst"));
  EXPECT_FALSE(Exists("dst.gantry-part-copy"));
}

}  // namespace
}  // namespace gantry::transfer
