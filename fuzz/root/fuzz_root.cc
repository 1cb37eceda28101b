// libFuzzer target for the ROOT file reader (src/root). The first byte picks what the rest
// is: 0 a whole file (opened, every tree listed and scanned), 1 a TTree record (parsed), 2 a
// compressed record (decompressed to the length in the next 3 bytes). Anything may be
// refused; nothing may crash, hang, leak or allocate without bound. A tree that parses must
// parse the same twice, and a scan's value counts must match its entry offsets.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "root/compression.h"
#include "root/file.h"
#include "root/reader.h"
#include "root/scan.h"
#include "root/tree.h"

namespace root = gantry::root;

namespace {

// The seeds are TTree records cut from files whose TTree key header is 40 bytes (object
// references count from the start of the key).
constexpr uint64_t kKeyLength = 40;

void WholeFile(std::string_view bytes) {
  auto file = root::File::Open(root::MemorySource(std::string(bytes), "fuzz"));
  if (!file) return;
  (void)(*file)->ReadStreamerInfo();
  auto trees = root::ListTrees(**file);
  if (!trees) return;
  for (const std::string& path : *trees) {
    auto tree = root::ReadTree(**file, path);
    if (!tree) continue;
    root::ReadOptions options;
    options.threads = 1;
    for (const root::Branch& b : tree->branches) {
      if (!b.type) continue;
      std::vector<std::string> names{b.name};
      auto data = root::ReadBranches(**file, *tree, names, options);
      if (!data) continue;
      const root::BranchData& d = (*data)[0];
      if (b.jagged() && (d.offsets.size() != static_cast<size_t>(d.entries) + 1 ||
                         d.offsets.back() != d.count())) {
        std::abort();
      }
    }
  }
}

void TreeRecord(std::string_view bytes) {
  auto a = root::ParseTree(bytes, kKeyLength, "TTree");
  auto b = root::ParseTree(bytes, kKeyLength, "TTree");
  if (a.has_value() != b.has_value()) std::abort();
  if (a && (a->branches.size() != b->branches.size() || a->entries != b->entries)) std::abort();
}

void Compressed(std::string_view bytes) {
  if (bytes.size() < 3) return;
  size_t length = static_cast<unsigned char>(bytes[0]) |
                  static_cast<size_t>(static_cast<unsigned char>(bytes[1])) << 8 |
                  static_cast<size_t>(static_cast<unsigned char>(bytes[2])) << 16;
  auto out = root::Decompress(bytes.substr(3), length);
  if (out && out->size() != length) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0: WholeFile(rest); break;
    case 1: TreeRecord(rest); break;
    default: Compressed(rest); break;
  }
  return 0;
}
