#include "catalog/checksum.h"

#include <gtest/gtest.h>

#include "base/file.h"
#include "base/temp_dir.h"

namespace gantry::catalog {
namespace {

TEST(ChecksumTest, Adler32OfKnownStrings) {
  Adler32 a;
  EXPECT_EQ(a.Hex(), "00000001");
  std::string wiki = "Wikipedia";  // the worked example on Wikipedia's Adler-32 page
  a.Update(wiki);
  EXPECT_EQ(a.Hex(), "11e60398");
}

TEST(ChecksumTest, StreamingEqualsOneShotAndCombines) {
  std::string data(300000, 'x');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 7919 % 251);
  Adler32 whole;
  whole.Update(data);
  Adler32 first, second, parts;
  first.Update({data.data(), 1000});
  second.Update({data.data() + 1000, data.size() - 1000});
  parts.Update({data.data(), 1000});
  parts.Update({data.data() + 1000, data.size() - 1000});
  EXPECT_EQ(parts.value(), whole.value());
  EXPECT_EQ(Adler32Combine(first.value(), second.value(),
                           static_cast<int64_t>(data.size() - 1000)),
            whole.value());
}

TEST(ChecksumTest, FileSumHasSizeAdlerAndMd5) {
  TempDir dir;
  std::string path = dir.path() + "/f";
  ASSERT_TRUE(WriteFileAtomic(path, "Wikipedia"));
  auto sum = ChecksumFile(path, WithMd5::kYes);
  ASSERT_TRUE(sum) << sum.error().message();
  EXPECT_EQ(sum->bytes, 9);
  EXPECT_EQ(sum->adler32, "11e60398");
  EXPECT_EQ(sum->md5, "9c677286866aad38f8e9b660f5411814");
  auto missing = ChecksumFile(dir.path() + "/none");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
  EXPECT_FALSE(ChecksumFile(dir.path()));
}

}  // namespace
}  // namespace gantry::catalog
