#include "root/compression.h"

#include "root/fmt.h"

#include <lz4.h>
#include <lzma.h>
#include <xxhash.h>
#include <zlib.h>
#include <zstd.h>

#include "root/cursor.h"

namespace gantry::root {
namespace {

constexpr size_t kHeaderSize = 9;
constexpr size_t kLz4ChecksumSize = 8;
constexpr size_t kMaxBlock = 0xffffff;

size_t Load24(const unsigned char* p) { return size_t(p[0]) | size_t(p[1]) << 8 | size_t(p[2]) << 16; }

Error BlockError(size_t block, Codec codec, std::string_view what) {
  return InvalidArgument(
      Fmt("corrupt {} block {} of a compressed record: {}", CodecName(codec), block, what));
}

Status Inflate(std::string_view in, char* out, size_t out_size, size_t block) {
  z_stream stream{};
  if (inflateInit(&stream) != Z_OK) return Fail(Internal("zlib inflateInit failed"));
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  stream.avail_in = static_cast<uInt>(in.size());
  stream.next_out = reinterpret_cast<Bytef*>(out);
  stream.avail_out = static_cast<uInt>(out_size);
  int rc = inflate(&stream, Z_FINISH);
  size_t produced = out_size - stream.avail_out;
  inflateEnd(&stream);
  if (rc != Z_STREAM_END || produced != out_size) {
    return Fail(BlockError(block, Codec::kZlib,
                           Fmt("zlib says {} after {} of {} bytes",
                                       stream.msg ? stream.msg : zError(rc), produced, out_size)));
  }
  return {};
}

Status Unxz(std::string_view in, char* out, size_t out_size, size_t block) {
  uint64_t memlimit = 256u << 20;
  size_t in_pos = 0, out_pos = 0;
  lzma_ret rc = lzma_stream_buffer_decode(&memlimit, 0, nullptr,
                                          reinterpret_cast<const uint8_t*>(in.data()), &in_pos,
                                          in.size(), reinterpret_cast<uint8_t*>(out), &out_pos,
                                          out_size);
  if (rc != LZMA_OK || out_pos != out_size) {
    return Fail(BlockError(block, Codec::kLzma,
                           Fmt("liblzma error {} after {} of {} bytes",
                                       static_cast<int>(rc), out_pos, out_size)));
  }
  return {};
}

Status Unlz4(std::string_view in, char* out, size_t out_size, size_t block) {
  if (in.size() < kLz4ChecksumSize) {
    return Fail(BlockError(block, Codec::kLz4, "shorter than its checksum"));
  }
  uint64_t stored = LoadBE64(reinterpret_cast<const unsigned char*>(in.data()));
  std::string_view payload = in.substr(kLz4ChecksumSize);
  uint64_t computed = XXH64(payload.data(), payload.size(), 0);
  if (stored != computed) {
    return Fail(BlockError(block, Codec::kLz4,
                           Fmt("xxhash64 checksum {} does not match the data's {}",
                                       Hex(stored, 16), Hex(computed, 16))));
  }
  int n = LZ4_decompress_safe(payload.data(), out, static_cast<int>(payload.size()),
                              static_cast<int>(out_size));
  if (n < 0 || static_cast<size_t>(n) != out_size) {
    return Fail(BlockError(block, Codec::kLz4,
                           Fmt("LZ4 produced {} of {} bytes", n, out_size)));
  }
  return {};
}

Status Unzstd(std::string_view in, char* out, size_t out_size, size_t block) {
  size_t n = ZSTD_decompress(out, out_size, in.data(), in.size());
  if (ZSTD_isError(n) || n != out_size) {
    return Fail(BlockError(block, Codec::kZstd,
                           ZSTD_isError(n) ? ZSTD_getErrorName(n)
                                           : Fmt("{} of {} bytes", n, out_size)));
  }
  return {};
}

}  // namespace

std::string_view CodecName(Codec codec) {
  switch (codec) {
    case Codec::kNone: return "uncompressed";
    case Codec::kZlib: return "zlib";
    case Codec::kLzma: return "lzma";
    case Codec::kLz4: return "lz4";
    case Codec::kZstd: return "zstd";
  }
  return "?";
}

Result<std::string> Decompress(std::string_view stored, size_t object_length, Codec* codec) {
  if (stored.size() == object_length) {
    if (codec) *codec = Codec::kNone;
    return std::string(stored);
  }
  std::string out;
  size_t in_pos = 0;
  for (size_t block = 0; out.size() < object_length; ++block) {
    if (stored.size() - in_pos < kHeaderSize) {
      return Fail(InvalidArgument(Fmt(
          "truncated compressed record: block {} header needs {} bytes, {} remain (have {} "
          "of {} bytes)",
          block, kHeaderSize, stored.size() - in_pos, out.size(), object_length)));
    }
    const auto* h = reinterpret_cast<const unsigned char*>(stored.data() + in_pos);
    size_t compressed = Load24(h + 3), uncompressed = Load24(h + 6);
    std::string_view tag(stored.data() + in_pos, 2);
    Codec c;
    if (tag == "ZL") c = Codec::kZlib;
    else if (tag == "XZ") c = Codec::kLzma;
    else if (tag == "L4") c = Codec::kLz4;
    else if (tag == "ZS") c = Codec::kZstd;
    else if (tag == "CS") {
      return Fail(InvalidArgument("compressed record uses ROOT's old \"CS\" algorithm, which "
                                  "is not supported"));
    } else {
      return Fail(InvalidArgument(Fmt(
          "compressed record block {} has unknown algorithm tag {}{}", block, Hex(h[0], 2), Hex(h[1], 2))));
    }
    if (codec && block == 0) *codec = c;
    in_pos += kHeaderSize;
    if (compressed > stored.size() - in_pos) {
      return Fail(BlockError(block, c, Fmt("claims {} bytes, {} remain", compressed,
                                                   stored.size() - in_pos)));
    }
    if (uncompressed == 0 || uncompressed > object_length - out.size()) {
      return Fail(BlockError(block, c, Fmt("claims {} uncompressed bytes, {} expected",
                                                   uncompressed, object_length - out.size())));
    }
    std::string_view in = stored.substr(in_pos, compressed);
    size_t at = out.size();
    out.resize(at + uncompressed);
    char* dst = out.data() + at;
    Status s;
    switch (c) {
      case Codec::kZlib: s = Inflate(in, dst, uncompressed, block); break;
      case Codec::kLzma: s = Unxz(in, dst, uncompressed, block); break;
      case Codec::kLz4: s = Unlz4(in, dst, uncompressed, block); break;
      case Codec::kZstd: s = Unzstd(in, dst, uncompressed, block); break;
      case Codec::kNone: break;
    }
    if (!s) return Fail(s.error());
    in_pos += compressed;
  }
  return out;
}

Result<std::string> CompressZlib(std::string_view data, int level) {
  std::string out;
  for (size_t at = 0; at < data.size(); at += kMaxBlock) {
    std::string_view piece = data.substr(at, kMaxBlock);
    uLongf bound = compressBound(piece.size());
    std::string block(kHeaderSize + bound, '\0');
    int rc = compress2(reinterpret_cast<Bytef*>(block.data() + kHeaderSize), &bound,
                       reinterpret_cast<const Bytef*>(piece.data()), piece.size(), level);
    if (rc != Z_OK) return Fail(Internal(Fmt("zlib compress2 failed: {}", zError(rc))));
    if (bound > kMaxBlock) return std::string(data);
    block.resize(kHeaderSize + bound);
    block[0] = 'Z';
    block[1] = 'L';
    block[2] = 8;  // method: deflate
    for (int i = 0; i < 3; ++i) {
      block[3 + i] = static_cast<char>((bound >> (8 * i)) & 0xff);
      block[6 + i] = static_cast<char>((piece.size() >> (8 * i)) & 0xff);
    }
    out += block;
  }
  if (out.size() >= data.size()) return std::string(data);
  return out;
}

}  // namespace gantry::root
