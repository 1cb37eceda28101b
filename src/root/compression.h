// ROOT's compressed-record format: a record is one or more blocks, each with a 9-byte header
// ("ZL" zlib, "XZ" LZMA, "L4" LZ4 with an XXH64 checksum, "ZS" ZSTD; then a method byte and
// the compressed and uncompressed sizes as 3-byte little-endian numbers). A record whose
// stored size equals its object length is not compressed. Pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/error.h"

namespace gantry::root {

enum class Codec { kNone, kZlib, kLzma, kLz4, kZstd };
std::string_view CodecName(Codec codec);

// Decompresses `stored` (the bytes after a key's header) into exactly `object_length` bytes.
// Fails with a message naming the block and codec when a block is corrupt, a checksum does
// not match, or the sizes do not add up. *codec (if given) gets the first block's codec.
Result<std::string> Decompress(std::string_view stored, size_t object_length,
                               Codec* codec = nullptr);

// Compresses `data` the way ROOT's writer does with zlib (blocks of at most 0xffffff bytes).
// Returns data unchanged when compression would not make it smaller (ROOT stores it raw).
Result<std::string> CompressZlib(std::string_view data, int level = 1);

}  // namespace gantry::root
