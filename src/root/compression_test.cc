#include "root/compression.h"

#include <gtest/gtest.h>
#include <lz4.h>
#include <xxhash.h>

#include <string>

namespace gantry::root {
namespace {

std::string Sample(size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += static_cast<char>('a' + (i * 7 + i / 13) % 26);
  return s;
}

TEST(CompressionTest, ZlibRoundTripsAcrossBlocks) {
  std::string data = Sample(40u << 20);  // more than two 16 MiB blocks
  auto stored = CompressZlib(data);
  ASSERT_TRUE(stored) << stored.error().message();
  EXPECT_LT(stored->size(), data.size());
  Codec codec;
  auto back = Decompress(*stored, data.size(), &codec);
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(codec, Codec::kZlib);
  EXPECT_EQ(*back, data);
}

TEST(CompressionTest, StoredEqualToObjectLengthIsUncompressed) {
  Codec codec;
  auto back = Decompress("plain", 5, &codec);
  ASSERT_TRUE(back);
  EXPECT_EQ(codec, Codec::kNone);
  EXPECT_EQ(*back, "plain");
}

TEST(CompressionTest, RejectsUnknownAlgorithmAndTruncatedHeaders) {
  auto unknown = Decompress(std::string("QQ\x08\x01\x00\x00\x05\x00\x00x", 10), 5);
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message().find("unknown algorithm"), std::string::npos);
  auto truncated = Decompress("ZL\x08", 100);
  ASSERT_FALSE(truncated);
  EXPECT_NE(truncated.error().message().find("truncated"), std::string::npos);
}

TEST(CompressionTest, CorruptZlibBlockIsAnError) {
  std::string data = Sample(100000);
  auto stored = CompressZlib(data);
  ASSERT_TRUE(stored);
  (*stored)[stored->size() / 2] ^= 0x55;
  auto back = Decompress(*stored, data.size());
  ASSERT_FALSE(back);
  EXPECT_NE(back.error().message().find("zlib"), std::string::npos);
}

TEST(CompressionTest, BlockClaimingMoreThanTheObjectIsAnError) {
  std::string data = Sample(1000);
  auto stored = CompressZlib(data);
  ASSERT_TRUE(stored);
  auto back = Decompress(*stored, 10);
  ASSERT_FALSE(back);
  EXPECT_NE(back.error().message().find("uncompressed bytes"), std::string::npos);
}

// An LZ4 block as ROOT writes it: header, XXH64 of the compressed bytes (big-endian), data.
std::string Lz4Record(const std::string& data) {
  std::string compressed(LZ4_compressBound(static_cast<int>(data.size())), '\0');
  int n = LZ4_compress_default(data.data(), compressed.data(), static_cast<int>(data.size()),
                               static_cast<int>(compressed.size()));
  compressed.resize(static_cast<size_t>(n));
  uint64_t h = XXH64(compressed.data(), compressed.size(), 0);
  size_t c = compressed.size() + 8, u = data.size();
  std::string out = "L4";
  out += '\x01';
  for (int i = 0; i < 3; ++i) out += static_cast<char>((c >> (8 * i)) & 0xff);
  for (int i = 0; i < 3; ++i) out += static_cast<char>((u >> (8 * i)) & 0xff);
  for (int i = 7; i >= 0; --i) out += static_cast<char>((h >> (8 * i)) & 0xff);
  return out + compressed;
}

TEST(CompressionTest, Lz4ChecksumIsVerified) {
  std::string data = Sample(5000);
  std::string record = Lz4Record(data);
  auto good = Decompress(record, data.size());
  ASSERT_TRUE(good) << good.error().message();
  EXPECT_EQ(*good, data);
  record.back() ^= 1;
  auto bad = Decompress(record, data.size());
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("checksum"), std::string::npos) << bad.error().message();
}

}  // namespace
}  // namespace gantry::root
