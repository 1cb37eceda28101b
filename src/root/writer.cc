#include "root/writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <map>

#include "root/compression.h"
#include "root/fmt.h"
#include "root/wbuffer.h"

namespace gantry::root {
namespace {

// ROOT switches to 64-bit seeks past this offset (TFile::kStartBigFile).
constexpr int64_t kStartBigFile = 2000000000;
constexpr int32_t kBegin = 100;
constexpr int32_t kRootVersion = 62600;          // files as ROOT 6.26 writes them
constexpr uint32_t kDatime = (31u << 26) | (1u << 22) | (1u << 17);  // 2026-01-01 00:00:00
constexpr size_t kDirectoryRecord = 60;          // small record + 12 bytes of padding
constexpr size_t kTBasketFields = 2 + 4 + 4 + 4 + 4 + 1;

struct WrittenKey {
  std::string header;  // the key header bytes as written (for the keys list)
  int64_t seek = 0;
  int32_t nbytes = 0;
};

size_t KeyLength(std::string_view class_name, std::string_view name, std::string_view title,
                 bool large) {
  auto ts = [](std::string_view s) { return s.size() < 255 ? 1 + s.size() : 5 + s.size(); };
  return 18 + (large ? 16 : 8) + ts(class_name) + ts(name) + ts(title);
}

void KeyHeader(WBuffer& b, int32_t nbytes, int32_t objlen, int16_t keylen, int64_t seek,
               int64_t seek_pdir, std::string_view class_name, std::string_view name,
               std::string_view title, bool large) {
  b.I32(nbytes);
  b.I16(large ? 1004 : 4);
  b.I32(objlen);
  b.U32(kDatime);
  b.I16(keylen);
  b.I16(1);
  if (large) {
    b.I64(seek);
    b.I64(seek_pdir);
  } else {
    b.I32(static_cast<int32_t>(seek));
    b.I32(static_cast<int32_t>(seek_pdir));
  }
  b.TString(class_name);
  b.TString(name);
  b.TString(title);
}

char TypeCode(ScalarType t) {
  switch (t) {
    case ScalarType::kBool: return 'O';
    case ScalarType::kChar: return 'B';
    case ScalarType::kUChar: return 'b';
    case ScalarType::kShort: return 'S';
    case ScalarType::kUShort: return 's';
    case ScalarType::kInt: return 'I';
    case ScalarType::kUInt: return 'i';
    case ScalarType::kLong64: return 'L';
    case ScalarType::kULong64: return 'l';
    case ScalarType::kFloat: return 'F';
    case ScalarType::kDouble: return 'D';
  }
  return 'F';
}

std::string_view LeafClass(ScalarType t) {
  switch (t) {
    case ScalarType::kBool: return "TLeafO";
    case ScalarType::kChar:
    case ScalarType::kUChar: return "TLeafB";
    case ScalarType::kShort:
    case ScalarType::kUShort: return "TLeafS";
    case ScalarType::kInt:
    case ScalarType::kUInt: return "TLeafI";
    case ScalarType::kLong64:
    case ScalarType::kULong64: return "TLeafL";
    case ScalarType::kFloat: return "TLeafF";
    case ScalarType::kDouble: return "TLeafD";
  }
  return "TLeafF";
}

bool IsUnsigned(ScalarType t) {
  return t == ScalarType::kUChar || t == ScalarType::kUShort || t == ScalarType::kUInt ||
         t == ScalarType::kULong64;
}

// Native -> big-endian, element by element.
std::string ToBigEndian(const unsigned char* p, size_t bytes, size_t size) {
  std::string out(bytes, '\0');
  for (size_t i = 0; i < bytes; i += size) {
    for (size_t k = 0; k < size; ++k) out[i + k] = static_cast<char>(p[i + size - 1 - k]);
  }
  return out;
}

// fMinimum/fMaximum of a TLeaf<type>: written in the leaf's own type.
void LeafRange(WBuffer& b, ScalarType t, int64_t maximum) {
  for (int64_t v : {int64_t(0), maximum}) {
    switch (t) {
      case ScalarType::kBool:
      case ScalarType::kChar:
      case ScalarType::kUChar: b.U8(static_cast<uint8_t>(v)); break;
      case ScalarType::kShort:
      case ScalarType::kUShort: b.I16(static_cast<int16_t>(v)); break;
      case ScalarType::kInt:
      case ScalarType::kUInt: b.I32(static_cast<int32_t>(v)); break;
      case ScalarType::kLong64:
      case ScalarType::kULong64: b.I64(v); break;
      case ScalarType::kFloat: b.F32(static_cast<float>(v)); break;
      case ScalarType::kDouble: b.F64(static_cast<double>(v)); break;
    }
  }
}

struct BranchLayout {
  const BranchColumn* column = nullptr;
  std::vector<int32_t> basket_bytes;
  std::vector<int64_t> basket_entry;
  std::vector<int64_t> basket_seek;
  int64_t total_bytes = 0;
  int64_t zip_bytes = 0;
  int64_t max_count = 0;
  bool is_counter = false;
  std::string title;
};

void TAttLine(WBuffer& b) {
  size_t at = b.BeginObject(2);
  b.I16(1);
  b.I16(1);
  b.I16(1);
  b.EndObject(at);
}
void TAttFill(WBuffer& b, int16_t color, int16_t style) {
  size_t at = b.BeginObject(2);
  b.I16(color);
  b.I16(style);
  b.EndObject(at);
}
void TAttMarker(WBuffer& b) {
  size_t at = b.BeginObject(2);
  b.I16(1);
  b.I16(1);
  b.F32(1.0f);
  b.EndObject(at);
}
void TIOFeatures(WBuffer& b) {
  size_t at = b.BeginObject(1);
  b.U8(0);
  b.EndObject(at);
}
void EmptyTObjArray(WBuffer& b) {
  size_t at = b.BeginObject(3);
  b.TObject();
  b.TString("");
  b.I32(0);
  b.I32(0);
  b.EndObject(at);
}
void EmptyTList(WBuffer& b) {
  size_t at = b.BeginObject(5);
  b.TObject();
  b.TString("");
  b.I32(0);
  b.EndObject(at);
}

}  // namespace

struct Writer::Impl {
  std::string path;
  std::string name;  // file name as the TFile key holds it
  int fd = -1;
  int level = 1;
  int64_t pos = 0;
  std::vector<WrittenKey> keys;
  std::map<std::string, int16_t> cycles;
  bool closed = false;

  Status WriteAt(int64_t at, std::string_view bytes) {
    size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = ::pwrite(fd, bytes.data() + done, bytes.size() - done,
                           static_cast<off_t>(at + done));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return Fail(ErrnoError(Fmt("writing {}", path), errno));
      done += static_cast<size_t>(n);
    }
    return {};
  }

  // Appends a key whose payload was serialized with origin = key length; returns where.
  Result<WrittenKey> AppendKey(std::string_view class_name, std::string_view key_name,
                               std::string_view title, const std::string& payload,
                               bool compress, bool large, std::string_view extra_header = {}) {
    if (!large && pos + static_cast<int64_t>(payload.size()) + 1024 > kStartBigFile) {
      return Fail(Internal("a key past 2 GB needs 64-bit seeks"));
    }
    size_t keylen = KeyLength(class_name, key_name, title, large) + extra_header.size();
    std::string stored = payload;
    if (compress && level > 0) {
      GANTRY_ASSIGN_OR_RETURN(stored, CompressZlib(payload, level));
    }
    WBuffer h;
    int32_t nbytes = static_cast<int32_t>(keylen + stored.size());
    KeyHeader(h, nbytes, static_cast<int32_t>(payload.size()), static_cast<int16_t>(keylen), pos,
              kBegin, class_name, key_name, title, large);
    h.Raw(extra_header);
    WrittenKey k{h.bytes(), pos, nbytes};
    GANTRY_RETURN_IF_ERROR(WriteAt(pos, h.bytes() + stored));
    pos += nbytes;
    return k;
  }

  int16_t NextCycle(const std::string& key_name) { return ++cycles[key_name]; }
};

Writer::Writer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Writer::~Writer() {
  if (impl_ && impl_->fd >= 0) ::close(impl_->fd);
}

Result<std::unique_ptr<Writer>> Writer::Create(const std::string& path, int compression_level) {
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->name = path.substr(path.find_last_of('/') == std::string::npos ? 0
                                                                       : path.find_last_of('/') + 1);
  impl->level = std::clamp(compression_level, 0, 9);
  impl->fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (impl->fd < 0) return Fail(ErrnoError(Fmt("creating {}", path), errno));
  // The header and the TFile key are written at Close (their sizes are fixed now).
  size_t tfile_keylen = KeyLength("TFile", impl->name, "", false);
  size_t names = 1 + impl->name.size() + 1;
  impl->pos = kBegin + static_cast<int64_t>(tfile_keylen + names + kDirectoryRecord);
  return std::unique_ptr<Writer>(new Writer(std::move(impl)));
}

Status Writer::WriteTree(const TreeSpec& tree) {
  Impl& w = *impl_;
  if (w.closed) return Fail(FailedPrecondition("the writer is closed"));
  if (tree.entries < 0 || tree.entries_per_basket <= 0) {
    return Fail(InvalidArgument("tree entries and entries per basket must be positive"));
  }
  std::vector<BranchLayout> layouts(tree.branches.size());
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < tree.branches.size(); ++i) {
    const BranchColumn& c = tree.branches[i];
    const size_t size = ScalarSize(c.type);
    BranchLayout& l = layouts[i];
    l.column = &c;
    if (index.count(c.name)) return Fail(InvalidArgument(Fmt("branch {} given twice", c.name)));
    index[c.name] = i;
    if (c.values.size() % size != 0) {
      return Fail(InvalidArgument(Fmt("branch {}: {} bytes is not a whole number of values",
                                      c.name, c.values.size())));
    }
    size_t n = c.values.size() / size;
    if (c.count_branch.empty()) {
      if (static_cast<int64_t>(n) != tree.entries) {
        return Fail(InvalidArgument(Fmt("branch {} has {} values for {} entries", c.name, n,
                                        tree.entries)));
      }
      l.title = Fmt("{}/{}", c.name, TypeCode(c.type));
    } else {
      auto it = index.find(c.count_branch);
      if (it == index.end() || it->second == i) {
        return Fail(InvalidArgument(Fmt("branch {}: its count branch {} must come before it",
                                        c.name, c.count_branch)));
      }
      int64_t total = 0;
      for (int32_t k : c.counts) {
        if (k < 0) return Fail(InvalidArgument(Fmt("branch {}: a negative count", c.name)));
        total += k;
        l.max_count = std::max<int64_t>(l.max_count, k);
      }
      if (static_cast<int64_t>(c.counts.size()) != tree.entries ||
          total != static_cast<int64_t>(n)) {
        return Fail(InvalidArgument(Fmt("branch {}: {} counts summing to {} for {} entries and "
                                        "{} values",
                                        c.name, c.counts.size(), total, tree.entries, n)));
      }
      BranchLayout& counter = layouts[it->second];
      counter.is_counter = true;
      counter.max_count = std::max(counter.max_count, l.max_count);
      l.title = Fmt("{}[{}]/{}", c.name, c.count_branch, TypeCode(c.type));
    }
  }

  // Baskets, branch by branch.
  for (BranchLayout& l : layouts) {
    const BranchColumn& c = *l.column;
    const size_t size = ScalarSize(c.type);
    const bool jagged = !c.count_branch.empty();
    size_t value_at = 0;
    for (int64_t e0 = 0; e0 < tree.entries; e0 += tree.entries_per_basket) {
      int64_t e1 = std::min(tree.entries, e0 + tree.entries_per_basket);
      size_t values = 0;
      if (jagged) {
        for (int64_t e = e0; e < e1; ++e) values += static_cast<size_t>(c.counts[e]);
      } else {
        values = static_cast<size_t>(e1 - e0);
      }
      std::string data = ToBigEndian(c.values.data() + value_at * size, values * size, size);
      bool large = w.pos + static_cast<int64_t>(data.size()) + 1024 > kStartBigFile;
      size_t keylen = KeyLength("TBasket", c.name, tree.name, large) + kTBasketFields;
      std::string payload = data;
      if (jagged) {
        WBuffer offsets;
        offsets.I32(static_cast<int32_t>(e1 - e0));
        int64_t at = static_cast<int64_t>(keylen);
        for (int64_t e = e0; e < e1; ++e) {
          offsets.I32(static_cast<int32_t>(at));
          at += c.counts[e] * static_cast<int64_t>(size);
        }
        payload += offsets.bytes();
      }
      WBuffer extra;
      extra.I16(3);
      extra.I32(static_cast<int32_t>(std::max<size_t>(32000, keylen + payload.size())));
      extra.I32(jagged ? 1000 : static_cast<int32_t>(size));
      extra.I32(static_cast<int32_t>(e1 - e0));
      extra.I32(static_cast<int32_t>(keylen + data.size()));
      extra.U8(0);
      GANTRY_ASSIGN_OR_RETURN(WrittenKey k, w.AppendKey("TBasket", c.name, tree.name, payload,
                                                         true, large, extra.bytes()));
      l.basket_bytes.push_back(k.nbytes);
      l.basket_entry.push_back(e0);
      l.basket_seek.push_back(k.seek);
      l.total_bytes += static_cast<int64_t>(keylen + payload.size());
      l.zip_bytes += k.nbytes;
      value_at += values;
    }
  }

  // The TTree record.
  // The tree record's size is not known before it is serialized, but its references count
  // from its key's length, which depends on 64-bit seeks: decide those with room to spare.
  bool large = w.pos > kStartBigFile - (int64_t(1) << 28);
  size_t keylen = KeyLength("TTree", tree.name, tree.title, large);
  WBuffer b(keylen);
  int64_t tot = 0, zip = 0;
  for (const BranchLayout& l : layouts) {
    tot += l.total_bytes;
    zip += l.zip_bytes;
  }
  size_t tree_at = b.BeginObject(20);
  b.TNamed(tree.name, tree.title);
  TAttLine(b);
  TAttFill(b, 0, 1001);
  TAttMarker(b);
  b.I64(tree.entries);
  b.I64(tot);
  b.I64(zip);
  b.I64(0);     // fSavedBytes
  b.I64(zip);   // fFlushedBytes
  b.F64(1.0);   // fWeight
  b.I32(0);     // fTimerInterval
  b.I32(25);    // fScanField
  b.I32(0);     // fUpdate
  b.I32(1000);  // fDefaultEntryOffsetLen
  b.I32(0);     // fNClusterRange
  b.I64(1000000000000LL);  // fMaxEntries
  b.I64(1000000000000LL);  // fMaxEntryLoop
  b.I64(0);                // fMaxVirtualSize
  b.I64(-300000000);       // fAutoSave
  b.I64(tree.entries_per_basket);  // fAutoFlush: clusters of this many entries
  b.I64(1000000);          // fEstimate
  b.U8(0);                 // fClusterRangeEnd: none
  b.U8(0);                 // fClusterSize: none
  TIOFeatures(b);
  std::vector<uint32_t> leaf_tags(layouts.size());
  {
    size_t arr = b.BeginObject(3);
    b.TObject();
    b.TString("");
    b.I32(static_cast<int32_t>(layouts.size()));
    b.I32(0);
    for (size_t i = 0; i < layouts.size(); ++i) {
      const BranchLayout& l = layouts[i];
      const BranchColumn& c = *l.column;
      size_t obj = b.BeginObjectAny("TBranch");
      size_t br = b.BeginObject(13);
      b.TNamed(c.name, l.title);
      TAttFill(b, 0, 1001);
      b.I32(100 + w.level);  // fCompress
      b.I32(32000);          // fBasketSize
      b.I32(c.count_branch.empty() ? 0 : 1000);  // fEntryOffsetLen
      int32_t nbaskets = static_cast<int32_t>(l.basket_seek.size());
      b.I32(nbaskets);       // fWriteBasket
      b.I64(tree.entries);   // fEntryNumber
      TIOFeatures(b);
      b.I32(0);              // fOffset
      int32_t max_baskets = nbaskets + 1;
      b.I32(max_baskets);
      b.I32(0);              // fSplitLevel
      b.I64(tree.entries);
      b.I64(0);              // fFirstEntry
      b.I64(l.total_bytes);
      b.I64(l.zip_bytes);
      EmptyTObjArray(b);     // fBranches
      {
        size_t leaves = b.BeginObject(3);
        b.TObject();
        b.TString("");
        b.I32(1);
        b.I32(0);
        std::string_view leaf_class = LeafClass(c.type);
        size_t leaf = b.BeginObjectAny(std::string(leaf_class), &leaf_tags[i]);
        size_t lx = b.BeginObject(1);
        size_t base = b.BeginObject(2);
        std::string leaf_title = c.count_branch.empty() ? c.name
                                                        : Fmt("{}[{}]", c.name, c.count_branch);
        b.TNamed(c.name, leaf_title);
        b.I32(1);                                              // fLen
        b.I32(static_cast<int32_t>(ScalarSize(c.type)));       // fLenType
        b.I32(0);                                              // fOffset
        b.U8(l.is_counter ? 1 : 0);                            // fIsRange
        b.U8(IsUnsigned(c.type) ? 1 : 0);                      // fIsUnsigned
        if (c.count_branch.empty()) {
          b.Null();
        } else {
          b.Reference(leaf_tags[index.at(c.count_branch)]);
        }
        b.EndObject(base);
        LeafRange(b, c.type, l.is_counter ? l.max_count : 0);
        b.EndObject(lx);
        b.EndObject(leaf);
        b.EndObject(leaves);
      }
      {
        size_t baskets = b.BeginObject(3);
        b.TObject();
        b.TString("");
        b.I32(max_baskets);
        b.I32(0);
        for (int32_t k = 0; k < max_baskets; ++k) b.Null();
        b.EndObject(baskets);
      }
      b.U8(1);
      for (int32_t k = 0; k < max_baskets; ++k) b.I32(k < nbaskets ? l.basket_bytes[k] : 0);
      b.U8(1);
      for (int32_t k = 0; k < max_baskets; ++k) {
        b.I64(k < nbaskets ? l.basket_entry[k] : tree.entries);
      }
      b.U8(1);
      for (int32_t k = 0; k < max_baskets; ++k) b.I64(k < nbaskets ? l.basket_seek[k] : 0);
      b.TString("");  // fFileName
      b.EndObject(br);
      b.EndObject(obj);
    }
    b.EndObject(arr);
  }
  {
    size_t arr = b.BeginObject(3);  // fLeaves: the same leaf objects, by reference
    b.TObject();
    b.TString("");
    b.I32(static_cast<int32_t>(layouts.size()));
    b.I32(0);
    for (uint32_t tag : leaf_tags) b.Reference(tag);
    b.EndObject(arr);
  }
  b.Null();   // fAliases
  b.I32(0);   // fIndexValues (TArrayD)
  b.I32(0);   // fIndex (TArrayI)
  b.Null();   // fTreeIndex
  b.Null();   // fFriends
  b.Null();   // fUserInfo
  b.Null();   // fBranchRef
  b.EndObject(tree_at);
  GANTRY_ASSIGN_OR_RETURN(WrittenKey k,
                          w.AppendKey("TTree", tree.name, tree.title, b.bytes(), true, large));
  w.keys.push_back(std::move(k));
  return {};
}

Status Writer::WriteHistogram(const Histogram1D& h) {
  Impl& w = *impl_;
  if (w.closed) return Fail(FailedPrecondition("the writer is closed"));
  const size_t cells = static_cast<size_t>(h.bins) + 2;
  if (h.bins <= 0 || h.sumw.size() != cells || (!h.sumw2.empty() && h.sumw2.size() != cells) ||
      !(h.high > h.low)) {
    return Fail(InvalidArgument(Fmt("histogram {}: {} bins need {} sums and low < high",
                                    h.name, h.bins, cells)));
  }
  bool large = w.pos + 1024 > kStartBigFile;
  size_t keylen = KeyLength("TH1D", h.name, h.title, large);
  WBuffer b(keylen);
  double sumw = 0, sumw2 = 0, sumwx = 0, sumwx2 = 0;
  const double width = (h.high - h.low) / h.bins;
  for (int32_t i = 1; i <= h.bins; ++i) {
    double x = h.low + (i - 0.5) * width;
    sumw += h.sumw[i];
    sumw2 += h.sumw2.empty() ? h.sumw[i] : h.sumw2[i];
    sumwx += h.sumw[i] * x;
    sumwx2 += h.sumw[i] * x * x;
  }
  auto axis = [&](std::string_view name, std::string_view title, int32_t bins, double lo,
                  double hi) {
    size_t at = b.BeginObject(10);
    b.TNamed(name, title);
    size_t att = b.BeginObject(4);
    b.I32(510);
    b.I16(1);
    b.I16(1);
    b.I16(42);
    b.F32(0.005f);
    b.F32(0.035f);
    b.F32(0.03f);
    b.F32(1.0f);
    b.F32(0.035f);
    b.I16(1);
    b.I16(42);
    b.EndObject(att);
    b.I32(bins);
    b.F64(lo);
    b.F64(hi);
    b.I32(0);   // fXbins (TArrayD)
    b.I32(0);   // fFirst
    b.I32(0);   // fLast
    b.U16(0);   // fBits2
    b.U8(0);    // fTimeDisplay
    b.TString("");
    b.Null();   // fLabels
    b.Null();   // fModLabs
    b.EndObject(at);
  };
  size_t th1d = b.BeginObject(3);
  size_t th1 = b.BeginObject(8);
  b.TNamed(h.name, h.title);
  TAttLine(b);
  TAttFill(b, 0, 1001);
  TAttMarker(b);
  b.I32(static_cast<int32_t>(cells));
  axis("xaxis", h.x_title, h.bins, h.low, h.high);
  axis("yaxis", "", 1, 0, 1);
  axis("zaxis", "", 1, 0, 1);
  b.I16(0);      // fBarOffset
  b.I16(1000);   // fBarWidth
  b.F64(h.entries);
  b.F64(sumw);
  b.F64(sumw2);
  b.F64(sumwx);
  b.F64(sumwx2);
  b.F64(-1111);  // fMaximum
  b.F64(-1111);  // fMinimum
  b.F64(0);      // fNormFactor
  b.I32(0);      // fContour (TArrayD)
  b.I32(h.sumw2.empty() ? 0 : static_cast<int32_t>(cells));  // fSumw2 (TArrayD)
  for (double v : h.sumw2) b.F64(v);
  b.TString("");  // fOption
  size_t functions = b.BeginObjectAny("TList");
  EmptyTList(b);
  b.EndObject(functions);
  b.I32(0);  // fBufferSize
  b.U8(0);   // fBuffer: none
  b.I32(0);  // fBinStatErrOpt: kNormal
  b.I32(2);  // fStatOverflows: kNeutral
  b.EndObject(th1);
  b.I32(static_cast<int32_t>(cells));  // the TArrayD of bin contents
  for (double v : h.sumw) b.F64(v);
  b.EndObject(th1d);
  GANTRY_ASSIGN_OR_RETURN(WrittenKey k,
                          w.AppendKey("TH1D", h.name, h.title, b.bytes(), true, large));
  w.keys.push_back(std::move(k));
  return {};
}

Status Writer::Close() {
  Impl& w = *impl_;
  if (w.closed) return {};
  w.closed = true;
  // Streamer info: an empty list (see the header comment).
  bool large = w.pos + 4096 > kStartBigFile;
  WBuffer info(KeyLength("TList", "StreamerInfo", "Doubly linked list", large));
  EmptyTList(info);
  GANTRY_ASSIGN_OR_RETURN(WrittenKey info_key, w.AppendKey("TList", "StreamerInfo",
                                                           "Doubly linked list", info.bytes(),
                                                           true, large));
  // The top directory's keys list.
  WBuffer list;
  list.I32(static_cast<int32_t>(w.keys.size()));
  for (const WrittenKey& k : w.keys) list.Raw(k.header);
  GANTRY_ASSIGN_OR_RETURN(WrittenKey keys_key, w.AppendKey("TFile", w.name, "", list.bytes(),
                                                           false, large));
  // The free-segments list: everything after the end is free.
  size_t free_keylen = KeyLength("TFile", w.name, "", large);
  size_t free_payload = large ? 2 + 16 : 2 + 8;
  int64_t end = w.pos + static_cast<int64_t>(free_keylen + free_payload);
  WBuffer free;
  free.I16(large ? 1001 : 1);
  if (large) {
    free.I64(end);
    free.I64(int64_t(1) << 40);
  } else {
    free.I32(static_cast<int32_t>(end));
    free.I32(kStartBigFile);
  }
  GANTRY_ASSIGN_OR_RETURN(WrittenKey free_key, w.AppendKey("TFile", w.name, "", free.bytes(),
                                                           false, large));
  if (w.pos != end) return Fail(Internal("free list size mismatch"));

  // The TFile key and the top directory record at fBEGIN.
  size_t tfile_keylen = KeyLength("TFile", w.name, "", false);
  WBuffer names;
  names.TString(w.name);
  names.TString("");
  WBuffer dir;
  dir.I16(large ? 1005 : 5);
  dir.U32(kDatime);
  dir.U32(kDatime);
  dir.I32(keys_key.nbytes);
  dir.I32(static_cast<int32_t>(tfile_keylen + names.size()));
  if (large) {
    dir.I64(kBegin);
    dir.I64(0);
    dir.I64(keys_key.seek);
  } else {
    dir.I32(kBegin);
    dir.I32(0);
    dir.I32(static_cast<int32_t>(keys_key.seek));
  }
  dir.U16(1);
  for (int i = 0; i < 16; ++i) dir.U8(static_cast<uint8_t>(i * 17 + 3));
  while (dir.size() < kDirectoryRecord) dir.U8(0);
  WBuffer tfile;
  int32_t objlen = static_cast<int32_t>(names.size() + dir.size());
  KeyHeader(tfile, static_cast<int32_t>(tfile_keylen) + objlen, objlen,
            static_cast<int16_t>(tfile_keylen), kBegin, 0, "TFile", w.name, "", false);
  tfile.Raw(names.bytes());
  tfile.Raw(dir.bytes());
  GANTRY_RETURN_IF_ERROR(w.WriteAt(kBegin, tfile.bytes()));

  WBuffer head;
  head.Raw("root");
  head.I32(large ? kRootVersion + 1000000 : kRootVersion);
  head.I32(kBegin);
  if (large) {
    head.I64(end);
    head.I64(free_key.seek);
  } else {
    head.I32(static_cast<int32_t>(end));
    head.I32(static_cast<int32_t>(free_key.seek));
  }
  head.I32(free_key.nbytes);
  head.I32(1);  // one free segment
  head.I32(static_cast<int32_t>(tfile_keylen + names.size()));
  head.U8(large ? 8 : 4);
  head.I32(100 + w.level);
  if (large) {
    head.I64(info_key.seek);
  } else {
    head.I32(static_cast<int32_t>(info_key.seek));
  }
  head.I32(info_key.nbytes);
  head.U16(1);
  for (int i = 0; i < 16; ++i) head.U8(static_cast<uint8_t>(i * 17 + 3));
  while (head.size() < static_cast<size_t>(kBegin)) head.U8(0);
  GANTRY_RETURN_IF_ERROR(w.WriteAt(0, head.bytes()));
  if (::fsync(w.fd) != 0) return Fail(ErrnoError(Fmt("fsync {}", w.path), errno));
  if (::close(w.fd) != 0) {
    w.fd = -1;
    return Fail(ErrnoError(Fmt("closing {}", w.path), errno));
  }
  w.fd = -1;
  return {};
}

}  // namespace gantry::root
