// Writing ROOT files that ROOT and uproot read: TTrees of flat and jagged numeric branches
// (the NanoAOD shape: nJet + Jet_pt[nJet]), baskets zlib-compressed in their own keys, and
// TH1D histograms (for fit tools such as cabinetry). Used for histograms.root and for
// synthetic NanoAOD test files. The layouts are those tree.h reads (TTree 20, TBranch 13,
// TLeaf 2, TH1D 3 / TH1 8 / TAxis 10); the streamer-info list is written empty, as ROOT and
// uproot know these classes built in (see README.md). Files over 2 GiB get 64-bit seeks.
// Thread-compatible: one writer per file, used from one thread.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "base/error.h"
#include "root/tree.h"

namespace gantry::root {

// One branch to write: values in native byte order, `entries` of them (flat) or, for a
// jagged branch, counts.size() entries with counts[i] values each.
struct BranchColumn {
  std::string name;
  ScalarType type = ScalarType::kFloat;
  std::vector<unsigned char> values;
  std::string count_branch;        // jagged: the name of its count branch (written too)
  std::vector<int32_t> counts;     // jagged: values per entry

  template <typename T>
  static BranchColumn Of(std::string name, ScalarType type, const std::vector<T>& v) {
    BranchColumn c{std::move(name), type, {}, {}, {}};
    c.values.resize(v.size() * sizeof(T));
    std::memcpy(c.values.data(), v.data(), c.values.size());
    return c;
  }
};

struct TreeSpec {
  std::string name = "Events";
  std::string title = "Events";
  int64_t entries = 0;
  std::vector<BranchColumn> branches;  // count branches before the jagged ones using them
  int64_t entries_per_basket = 10000;  // each branch gets a basket per this many entries
};

struct Histogram1D {
  std::string name;
  std::string title;
  int32_t bins = 0;
  double low = 0, high = 1;
  std::vector<double> sumw;   // bins + 2 (underflow, bins, overflow)
  std::vector<double> sumw2;  // same size, or empty
  double entries = 0;
  std::string x_title;
};

class Writer {
 public:
  // compression_level: zlib level 1-9, 0 for none.
  static Result<std::unique_ptr<Writer>> Create(const std::string& path,
                                                int compression_level = 1);
  ~Writer();

  // Appends one TTree (baskets first, then the tree record). Fails on inconsistent input
  // (sizes that do not match entries, an unknown count branch).
  Status WriteTree(const TreeSpec& tree);
  Status WriteHistogram(const Histogram1D& h);
  // Writes the keys list, streamer info, free list and header; the file is complete only
  // after Close succeeds.
  Status Close();

 private:
  struct Impl;
  explicit Writer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Reads a TH1D written by ROOT or by Writer (for tests and `gantry root ls`).
Result<Histogram1D> ReadHistogram(const File& file, const std::string& name);

}  // namespace gantry::root
