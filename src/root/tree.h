// TTree metadata: the branches, their leaves' types and where each branch's baskets are (on
// disk by seek and size, or embedded in the TTree record). Parsing is pure: ParseTree takes
// the TTree object's bytes. Supported: TTree 16-20, TBranch 10-13, TLeaf O/B/S/I/L/G/F/D with
// a fixed length or a count leaf (NanoAOD's nJet + Jet_pt[nJet]). Branches of other kinds
// (TBranchElement, TLeafC, leaf lists) are listed with the reason they cannot be read.
// Plain values: thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "root/file.h"

namespace gantry::root {

enum class ScalarType { kBool, kUChar, kChar, kShort, kUShort, kInt, kUInt, kLong64, kULong64,
                        kFloat, kDouble };
size_t ScalarSize(ScalarType type);
std::string_view ScalarTypeName(ScalarType type);  // "Float_t", "Bool_t", ...

// A basket on disk: its TKey (with the TBasket header) is at seek, `bytes` long.
struct BasketLocation {
  int64_t seek = 0;
  int32_t bytes = 0;
  int64_t first_entry = 0;
  int64_t entry_end = 0;  // one past its last entry
};

// A basket stored inside the TTree record (the branch's last, unflushed basket).
struct EmbeddedBasket {
  int64_t first_entry = 0;
  int32_t entries = 0;
  std::string data;                // the values, big-endian
  std::vector<int32_t> offsets;    // byte offset of each entry in data, plus data.size();
                                   // empty for fixed-size entries
};

struct Branch {
  std::string name;
  std::string title;
  std::string class_name;  // TBranch, TBranchElement, ...
  std::string leaf_class;  // TLeafF, ...
  std::optional<ScalarType> type;  // unset: not readable, see unsupported
  std::string unsupported;         // why it cannot be read
  int32_t fixed_length = 1;        // values per entry when there is no count leaf
  std::string count_leaf;          // "nJet" for Jet_pt[nJet]
  int64_t entries = 0;
  int64_t total_bytes = 0;  // uncompressed
  int64_t zip_bytes = 0;
  std::vector<BasketLocation> baskets;
  std::vector<EmbeddedBasket> embedded;
  bool jagged() const { return !count_leaf.empty(); }
};

struct Tree {
  std::string name;
  std::string title;
  std::string class_name;
  int16_t version = 0;
  int64_t entries = 0;
  std::vector<Branch> branches;  // depth first, sub-branches after their parent
  const Branch* Find(std::string_view name) const;
};

// bytes: the TTree object as stored under its key; key_length: that key's header length
// (object references count from the start of the key).
Result<Tree> ParseTree(std::string_view bytes, uint64_t key_length, std::string_view class_name);
// Finds the tree by path ("Events", "dir/tree"), reads and parses it.
Result<Tree> ReadTree(const File& file, std::string_view path);
// The trees in the file (paths), for `gantry root ls`.
Result<std::vector<std::string>> ListTrees(const File& file);

}  // namespace gantry::root
