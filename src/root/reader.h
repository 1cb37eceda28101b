// Reading branch values: only the baskets of the branches asked for, fetched with one vector
// read per batch, decompressed and decoded in parallel (one task per basket), then joined in
// entry order. Values come back in native byte order; jagged branches also get per-entry
// offsets. Thread-safe: ReadBranches may be called from several threads on one File.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "base/error.h"
#include "root/file.h"
#include "root/tree.h"

namespace gantry::root {

// One branch's values over an entry range.
struct BranchData {
  std::string name;
  ScalarType type = ScalarType::kFloat;
  int64_t entries = 0;
  std::vector<unsigned char> values;  // count() values of ScalarSize(type), native order
  std::vector<int64_t> offsets;       // jagged: entries + 1 value offsets; else empty
  int64_t count() const { return static_cast<int64_t>(values.size() / ScalarSize(type)); }
  double Value(int64_t i) const;  // as double
  double Sum() const;             // in entry order, in double
  template <typename T>
  std::span<const T> As() const {
    return {reinterpret_cast<const T*>(values.data()), values.size() / sizeof(T)};
  }
};

struct ReadOptions {
  int64_t entry_start = 0;
  int64_t entry_stop = -1;  // -1: to the end
  int threads = 0;          // decompression threads; 0: one per core
  // Compressed bytes fetched per vector read before decoding starts (bounds memory).
  size_t batch_bytes = 64u << 20;
};

// Counters for benchmarks and the performance report.
struct ReadStats {
  uint64_t baskets = 0;
  uint64_t bytes_read = 0;          // compressed, from the source
  uint64_t bytes_uncompressed = 0;
  uint64_t vector_reads = 0;
  double read_seconds = 0;
  double decode_seconds = 0;  // wall time of the parallel decompress + decode
};

// Fails with NotFound naming the branch when one does not exist, InvalidArgument when it
// cannot be read (with the reason) or a basket is corrupt (naming the basket).
Result<std::vector<BranchData>> ReadBranches(const File& file, const Tree& tree,
                                             std::span<const std::string> names,
                                             const ReadOptions& options = {},
                                             ReadStats* stats = nullptr);

// Decodes one basket record (TKey + TBasket header + stored data) of `branch`. Pure; exposed
// for tests and fuzzing.
struct DecodedBasket {
  std::vector<unsigned char> values;  // native order
  std::vector<int64_t> entry_values;  // jagged: values per entry
  int32_t entries = 0;
};
Result<DecodedBasket> DecodeBasket(std::string_view record, const Branch& branch);

}  // namespace gantry::root
