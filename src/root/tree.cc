#include "root/tree.h"

#include "root/fmt.h"

#include "root/cursor.h"
#include "root/streamer.h"

namespace gantry::root {
namespace {

// Skips a TAtt* base (it carries a byte count in every ROOT that writes TTree >= 16).
Status SkipBase(Cursor& c, std::string_view what, size_t size_without_count) {
  GANTRY_ASSIGN_OR_RETURN(ObjectHeader h, ReadObjectHeader(c, what));
  if (!h.has_end()) return c.Skip(size_without_count, what);
  return SkipToEnd(c, h, what);
}

// A basic-pointer member ([n] array): one byte saying whether it is there, then n values.
Status SkipCountedArray(Cursor& c, int64_t n, size_t element, std::string_view what) {
  GANTRY_ASSIGN_OR_RETURN(uint8_t present, c.U8(what));
  if (!present || n <= 0) return {};
  if (static_cast<uint64_t>(n) > c.remaining() / element) {
    return Fail(InvalidArgument(Fmt("corrupt record: {} claims {} values", what, n)));
  }
  return c.Skip(static_cast<size_t>(n) * element, what);
}

template <typename T>
Result<std::vector<T>> ReadCountedArray(Cursor& c, int32_t n, std::string_view what) {
  std::vector<T> out;
  GANTRY_ASSIGN_OR_RETURN(uint8_t present, c.U8(what));
  if (!present || n <= 0) return out;
  if (static_cast<size_t>(n) > c.remaining() / sizeof(T)) {
    return Fail(InvalidArgument(Fmt("corrupt record: {} claims {} values", what, n)));
  }
  out.resize(static_cast<size_t>(n));
  for (T& v : out) {
    if constexpr (sizeof(T) == 4) {
      GANTRY_ASSIGN_OR_RETURN(v, c.I32(what));
    } else {
      GANTRY_ASSIGN_OR_RETURN(v, c.I64(what));
    }
  }
  return out;
}

Status SkipIOFeatures(Cursor& c) {
  GANTRY_ASSIGN_OR_RETURN(ObjectHeader h, ReadObjectHeader(c, "TIOFeatures"));
  GANTRY_RETURN_IF_ERROR(c.Skip(1, "TIOFeatures::fIOBits"));
  return SkipToEnd(c, h, "TIOFeatures");
}

std::optional<ScalarType> LeafType(std::string_view leaf_class, bool is_unsigned) {
  if (leaf_class == "TLeafO") return ScalarType::kBool;
  if (leaf_class == "TLeafB") return is_unsigned ? ScalarType::kUChar : ScalarType::kChar;
  if (leaf_class == "TLeafS") return is_unsigned ? ScalarType::kUShort : ScalarType::kShort;
  if (leaf_class == "TLeafI") return is_unsigned ? ScalarType::kUInt : ScalarType::kInt;
  if (leaf_class == "TLeafL" || leaf_class == "TLeafG") {
    return is_unsigned ? ScalarType::kULong64 : ScalarType::kLong64;
  }
  if (leaf_class == "TLeafF") return ScalarType::kFloat;
  if (leaf_class == "TLeafD") return ScalarType::kDouble;
  return std::nullopt;
}

struct Leaf {
  std::string class_name;
  std::string name;
  std::string title;
  int32_t length = 1;
  std::optional<ScalarType> type;
  std::string count_leaf;
};

// "Jet_pt[nJet]" -> "nJet" (used when the count leaf is a reference this reader cannot map).
std::string CountFromTitle(std::string_view title) {
  size_t open = title.find('['), close = title.find(']');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) return "";
  std::string_view inside = title.substr(open + 1, close - open - 1);
  if (inside.empty() || (inside[0] >= '0' && inside[0] <= '9')) return "";
  return std::string(inside);
}

class TreeParser {
 public:
  explicit TreeParser(Cursor& c) : c_(c) {}

  Result<Leaf> ParseLeaf(const AnyObject& object, int depth) {
    Leaf leaf;
    leaf.class_name = object.class_name;
    GANTRY_ASSIGN_OR_RETURN(ObjectHeader outer, ReadObjectHeader(c_, object.class_name));
    if (object.class_name == "TLeafElement" || object.class_name == "TLeafObject" ||
        object.class_name.starts_with("TLeaf")) {
      GANTRY_ASSIGN_OR_RETURN(ObjectHeader base, ReadObjectHeader(c_, "TLeaf"));
      GANTRY_ASSIGN_OR_RETURN(Named named, ReadTNamed(c_));
      leaf.name = std::move(named.name);
      leaf.title = std::move(named.title);
      refs_.object_names[object.tag] = leaf.name;
      GANTRY_ASSIGN_OR_RETURN(leaf.length, c_.I32("TLeaf::fLen"));
      GANTRY_RETURN_IF_ERROR(c_.Skip(8, "TLeaf::fLenType, fOffset"));
      GANTRY_RETURN_IF_ERROR(c_.Skip(1, "TLeaf::fIsRange"));
      GANTRY_ASSIGN_OR_RETURN(uint8_t is_unsigned, c_.U8("TLeaf::fIsUnsigned"));
      GANTRY_ASSIGN_OR_RETURN(AnyObject count, ReadObjectAny(c_, refs_));
      if (count.kind == AnyObject::Kind::kObject) {
        if (depth > 8) return Fail(InvalidArgument("corrupt record: count leaves nest too deep"));
        GANTRY_ASSIGN_OR_RETURN(Leaf counter, ParseLeaf(count, depth + 1));
        GANTRY_RETURN_IF_ERROR(c_.Seek(count.end, "count leaf"));
        leaf.count_leaf = counter.name;
      } else if (count.kind == AnyObject::Kind::kReference) {
        auto it = refs_.object_names.find(count.tag);
        leaf.count_leaf = it != refs_.object_names.end() ? it->second : CountFromTitle(leaf.title);
        if (leaf.count_leaf.empty()) {
          return Fail(InvalidArgument(Fmt(
              "corrupt record: leaf {} refers to a count leaf this reader cannot find", leaf.name)));
        }
      }
      GANTRY_RETURN_IF_ERROR(SkipToEnd(c_, base, "TLeaf"));
      leaf.type = LeafType(object.class_name, is_unsigned != 0);
    }
    GANTRY_RETURN_IF_ERROR(SkipToEnd(c_, outer, object.class_name));
    if (!outer.has_end()) {
      return Fail(InvalidArgument(Fmt("leaf {} ({}) has no byte count", leaf.name,
                                              object.class_name)));
    }
    return leaf;
  }

  Status ParseEmbeddedBasket(const AnyObject& object, int slot, Branch& branch,
                             const std::vector<int64_t>& basket_entry) {
    GANTRY_RETURN_IF_ERROR(c_.Skip(4, "TBasket::fNbytes"));
    GANTRY_ASSIGN_OR_RETURN(int16_t key_version, c_.I16("TBasket key version"));
    GANTRY_RETURN_IF_ERROR(c_.Skip(8, "TBasket::fObjlen, fDatime"));
    GANTRY_ASSIGN_OR_RETURN(int16_t key_length, c_.I16("TBasket::fKeylen"));
    GANTRY_RETURN_IF_ERROR(c_.Skip(2 + (key_version > 1000 ? 16 : 8), "TBasket seeks"));
    for (int i = 0; i < 3; ++i) GANTRY_RETURN_IF_ERROR(c_.TString("TBasket key names"));
    GANTRY_ASSIGN_OR_RETURN(int16_t version, c_.I16("TBasket version"));
    GANTRY_RETURN_IF_ERROR(c_.Skip(8, "TBasket::fBufferSize, fNevBufSize"));
    GANTRY_ASSIGN_OR_RETURN(int32_t nevbuf, c_.I32("TBasket::fNevBuf"));
    GANTRY_ASSIGN_OR_RETURN(int32_t last, c_.I32("TBasket::fLast"));
    GANTRY_ASSIGN_OR_RETURN(uint8_t flag, c_.U8("TBasket flag"));
    if (flag == 0 || nevbuf <= 0) return c_.Seek(object.end, "TBasket");
    std::vector<int32_t> offsets;
    if (flag % 10 != 2) {
      GANTRY_ASSIGN_OR_RETURN(int32_t n, c_.I32("TBasket entry offsets"));
      if (n < 0 || static_cast<size_t>(n) > c_.remaining() / 4) {
        return Fail(InvalidArgument(Fmt("corrupt embedded basket of {}: {} offsets",
                                                branch.name, n)));
      }
      offsets.resize(static_cast<size_t>(n));
      for (int32_t& o : offsets) {
        GANTRY_ASSIGN_OR_RETURN(o, c_.I32("TBasket entry offset"));
      }
    }
    if (flag > 40) {
      GANTRY_ASSIGN_OR_RETURN(int32_t n, c_.I32("TBasket displacements"));
      if (n < 0 || static_cast<size_t>(n) > c_.remaining() / 4) {
        return Fail(InvalidArgument("corrupt embedded basket displacements"));
      }
      GANTRY_RETURN_IF_ERROR(c_.Skip(static_cast<size_t>(n) * 4, "TBasket displacements"));
    }
    if (!(flag == 1 || flag > 10)) return c_.Seek(object.end, "TBasket");
    if (version <= 1) GANTRY_RETURN_IF_ERROR(c_.Skip(4, "TBasket buffer length"));
    if (last < key_length || key_length < 0) {
      return Fail(InvalidArgument(Fmt("corrupt embedded basket of {}: fLast {} < fKeylen "
                                              "{}",
                                              branch.name, last, key_length)));
    }
    GANTRY_ASSIGN_OR_RETURN(std::string_view buffer,
                            c_.Bytes(static_cast<size_t>(last), "TBasket buffer"));
    EmbeddedBasket b;
    b.entries = nevbuf;
    b.first_entry = slot < static_cast<int>(basket_entry.size()) ? basket_entry[slot]
                                                                  : branch.entries - nevbuf;
    b.data = std::string(buffer.substr(static_cast<size_t>(key_length)));
    if (!offsets.empty()) {
      if (offsets.size() < static_cast<size_t>(nevbuf)) {
        return Fail(InvalidArgument(Fmt("corrupt embedded basket of {}: {} offsets for "
                                                "{} entries",
                                                branch.name, offsets.size(), nevbuf)));
      }
      offsets.resize(static_cast<size_t>(nevbuf));
      for (int32_t& o : offsets) {
        o -= key_length;
        if (o < 0 || o > static_cast<int32_t>(b.data.size())) {
          return Fail(InvalidArgument(Fmt("corrupt embedded basket of {}: entry offset "
                                                  "outside its data",
                                                  branch.name)));
        }
      }
      offsets.push_back(static_cast<int32_t>(b.data.size()));
      b.offsets = std::move(offsets);
    }
    branch.embedded.push_back(std::move(b));
    return c_.Seek(object.end, "TBasket");
  }

  // Parses a TBranch (the cursor is at its header) and appends it and its sub-branches.
  Status ParseBranch(std::string class_name, int depth, std::vector<Branch>& out) {
    if (depth > 16) return Fail(InvalidArgument("corrupt record: branches nest too deep"));
    GANTRY_ASSIGN_OR_RETURN(ObjectHeader h, ReadObjectHeader(c_, "TBranch"));
    if (h.version < 10 || h.version > 13) {
      return Fail(InvalidArgument(Fmt(
          "unknown streamer: TBranch version {} (this reader knows 10 to 13)", h.version)));
    }
    Branch b;
    b.class_name = std::move(class_name);
    GANTRY_ASSIGN_OR_RETURN(Named named, ReadTNamed(c_));
    b.name = std::move(named.name);
    b.title = std::move(named.title);
    GANTRY_RETURN_IF_ERROR(SkipBase(c_, "TAttFill", 4));
    GANTRY_RETURN_IF_ERROR(c_.Skip(12, "TBranch::fCompress, fBasketSize, fEntryOffsetLen"));
    GANTRY_ASSIGN_OR_RETURN(int32_t write_basket, c_.I32("TBranch::fWriteBasket"));
    GANTRY_RETURN_IF_ERROR(c_.Skip(8, "TBranch::fEntryNumber"));
    if (h.version >= 13) GANTRY_RETURN_IF_ERROR(SkipIOFeatures(c_));
    GANTRY_RETURN_IF_ERROR(c_.Skip(4, "TBranch::fOffset"));
    GANTRY_ASSIGN_OR_RETURN(int32_t max_baskets, c_.I32("TBranch::fMaxBaskets"));
    GANTRY_RETURN_IF_ERROR(c_.Skip(4, "TBranch::fSplitLevel"));
    GANTRY_ASSIGN_OR_RETURN(b.entries, c_.I64("TBranch::fEntries"));
    if (h.version >= 11) GANTRY_RETURN_IF_ERROR(c_.Skip(8, "TBranch::fFirstEntry"));
    GANTRY_ASSIGN_OR_RETURN(b.total_bytes, c_.I64("TBranch::fTotBytes"));
    GANTRY_ASSIGN_OR_RETURN(b.zip_bytes, c_.I64("TBranch::fZipBytes"));
    if (max_baskets < 0 || write_basket < 0 || write_basket > max_baskets || b.entries < 0) {
      return Fail(InvalidArgument(Fmt("corrupt branch {}: fWriteBasket {} fMaxBaskets {}",
                                              b.name, write_basket, max_baskets)));
    }

    std::vector<Branch> children;
    {
      GANTRY_ASSIGN_OR_RETURN(ArrayHeader a, ReadTObjArrayHeader(c_));
      for (int32_t i = 0; i < a.count; ++i) {
        GANTRY_ASSIGN_OR_RETURN(AnyObject o, ReadObjectAny(c_, refs_));
        if (o.kind != AnyObject::Kind::kObject) continue;
        GANTRY_RETURN_IF_ERROR(ParseBranchObject(o, depth + 1, children));
      }
      GANTRY_RETURN_IF_ERROR(SkipToEnd(c_, a.header, "TBranch::fBranches"));
    }
    std::vector<Leaf> leaves;
    {
      GANTRY_ASSIGN_OR_RETURN(ArrayHeader a, ReadTObjArrayHeader(c_));
      for (int32_t i = 0; i < a.count; ++i) {
        GANTRY_ASSIGN_OR_RETURN(AnyObject o, ReadObjectAny(c_, refs_));
        if (o.kind != AnyObject::Kind::kObject) continue;
        GANTRY_ASSIGN_OR_RETURN(Leaf leaf, ParseLeaf(o, 0));
        GANTRY_RETURN_IF_ERROR(c_.Seek(o.end, "leaf"));
        leaves.push_back(std::move(leaf));
      }
      GANTRY_RETURN_IF_ERROR(SkipToEnd(c_, a.header, "TBranch::fLeaves"));
    }
    // The baskets array comes before the arrays that give their first entries: remember where
    // it is and come back to it.
    size_t baskets_at = c_.pos();
    GANTRY_RETURN_IF_ERROR(SkipTObjArray(c_, refs_));
    GANTRY_ASSIGN_OR_RETURN(std::vector<int32_t> basket_bytes,
                            ReadCountedArray<int32_t>(c_, max_baskets, "TBranch::fBasketBytes"));
    GANTRY_ASSIGN_OR_RETURN(std::vector<int64_t> basket_entry,
                            ReadCountedArray<int64_t>(c_, max_baskets, "TBranch::fBasketEntry"));
    GANTRY_ASSIGN_OR_RETURN(std::vector<int64_t> basket_seek,
                            ReadCountedArray<int64_t>(c_, max_baskets, "TBranch::fBasketSeek"));
    size_t after = c_.pos();
    GANTRY_RETURN_IF_ERROR(c_.Seek(baskets_at, "TBranch::fBaskets"));
    {
      GANTRY_ASSIGN_OR_RETURN(ArrayHeader a, ReadTObjArrayHeader(c_));
      for (int32_t i = 0; i < a.count; ++i) {
        GANTRY_ASSIGN_OR_RETURN(AnyObject o, ReadObjectAny(c_, refs_));
        if (o.kind != AnyObject::Kind::kObject) continue;
        if (o.class_name == "TBasket") {
          GANTRY_RETURN_IF_ERROR(ParseEmbeddedBasket(o, i, b, basket_entry));
        }
        GANTRY_RETURN_IF_ERROR(c_.Seek(o.end, "TBasket"));
      }
    }
    GANTRY_RETURN_IF_ERROR(c_.Seek(after, "TBranch"));
    GANTRY_RETURN_IF_ERROR(SkipToEnd(c_, h, "TBranch"));

    size_t on_disk = static_cast<size_t>(write_basket);
    if (basket_bytes.size() < on_disk || basket_entry.size() < on_disk ||
        basket_seek.size() < on_disk) {
      return Fail(InvalidArgument(Fmt("corrupt branch {}: {} baskets written but the "
                                              "basket tables hold {}",
                                              b.name, on_disk, basket_seek.size())));
    }
    for (size_t i = 0; i < on_disk; ++i) {
      BasketLocation loc;
      loc.seek = basket_seek[i];
      loc.bytes = basket_bytes[i];
      loc.first_entry = basket_entry[i];
      int64_t next = i + 1 < basket_entry.size() ? basket_entry[i + 1] : b.entries;
      if (i + 1 >= on_disk && next <= loc.first_entry) next = b.entries;
      loc.entry_end = next;
      // A basket kept in memory when the tree was written has no seek: it is one of the
      // embedded baskets (a tree saved as one record holds all of them that way).
      if (loc.seek == 0) continue;
      if (loc.seek < 0 || loc.bytes <= 0 || loc.entry_end < loc.first_entry ||
          loc.first_entry < 0) {
        return Fail(InvalidArgument(Fmt(
            "corrupt branch {}: basket {} at {} with {} bytes for entries {} to {}", b.name, i,
            loc.seek, loc.bytes, loc.first_entry, loc.entry_end)));
      }
      b.baskets.push_back(loc);
    }

    if (b.class_name != "TBranch") {
      b.unsupported = Fmt("{} (C++ object branches) is not supported", b.class_name);
    } else if (leaves.size() != 1) {
      b.unsupported = Fmt("a branch with {} leaves (a leaf list) is not supported",
                                  leaves.size());
    } else {
      Leaf& leaf = leaves[0];
      b.leaf_class = leaf.class_name;
      b.type = leaf.type;
      b.count_leaf = leaf.count_leaf;
      b.fixed_length = leaf.count_leaf.empty() ? leaf.length : 1;
      if (!b.type) {
        b.unsupported = Fmt("leaf type {} is not supported", leaf.class_name);
      } else if (b.fixed_length < 1) {
        b.unsupported = Fmt("leaf {} has length {}", leaf.name, b.fixed_length);
      }
    }
    if (b.unsupported.empty() && leaves.size() == 1) b.leaf_class = leaves[0].class_name;
    out.push_back(std::move(b));
    for (Branch& child : children) out.push_back(std::move(child));
    return {};
  }

  Status ParseBranchObject(const AnyObject& o, int depth, std::vector<Branch>& out) {
    if (o.class_name == "TBranch") {
      GANTRY_RETURN_IF_ERROR(ParseBranch(o.class_name, depth, out));
    } else if (o.class_name == "TBranchElement" || o.class_name == "TBranchObject" ||
               o.class_name == "TBranchSTL" || o.class_name == "TBranchRef") {
      GANTRY_ASSIGN_OR_RETURN(ObjectHeader outer, ReadObjectHeader(c_, o.class_name));
      (void)outer;
      GANTRY_RETURN_IF_ERROR(ParseBranch(o.class_name, depth, out));
    } else {
      return Fail(InvalidArgument(Fmt(
          "unknown streamer: branch class {} is not one this reader knows", o.class_name)));
    }
    return c_.Seek(o.end, "branch");
  }

  Result<Tree> Parse(std::string_view class_name) {
    Tree t;
    t.class_name = std::string(class_name);
    if (class_name != "TTree") {
      // TNtuple and TNtupleD are a TTree base plus fNvar.
      GANTRY_RETURN_IF_ERROR(ReadObjectHeader(c_, class_name));
    }
    GANTRY_ASSIGN_OR_RETURN(ObjectHeader h, ReadObjectHeader(c_, "TTree"));
    t.version = h.version;
    if (h.version < 16 || h.version > 20) {
      return Fail(InvalidArgument(Fmt(
          "unknown streamer: TTree version {} (this reader knows 16 to 20)", h.version)));
    }
    GANTRY_ASSIGN_OR_RETURN(Named named, ReadTNamed(c_));
    t.name = std::move(named.name);
    t.title = std::move(named.title);
    GANTRY_RETURN_IF_ERROR(SkipBase(c_, "TAttLine", 6));
    GANTRY_RETURN_IF_ERROR(SkipBase(c_, "TAttFill", 4));
    GANTRY_RETURN_IF_ERROR(SkipBase(c_, "TAttMarker", 8));
    GANTRY_ASSIGN_OR_RETURN(t.entries, c_.I64("TTree::fEntries"));
    GANTRY_RETURN_IF_ERROR(c_.Skip(24, "TTree byte totals"));
    if (h.version >= 18) GANTRY_RETURN_IF_ERROR(c_.Skip(8, "TTree::fFlushedBytes"));
    GANTRY_RETURN_IF_ERROR(c_.Skip(8 + 12, "TTree::fWeight, fTimerInterval, fScanField, fUpdate"));
    if (h.version >= 17) GANTRY_RETURN_IF_ERROR(c_.Skip(4, "TTree::fDefaultEntryOffsetLen"));
    int32_t cluster_ranges = 0;
    if (h.version >= 19) {
      GANTRY_ASSIGN_OR_RETURN(cluster_ranges, c_.I32("TTree::fNClusterRange"));
    }
    GANTRY_RETURN_IF_ERROR(c_.Skip(32, "TTree entry limits"));
    if (h.version >= 18) GANTRY_RETURN_IF_ERROR(c_.Skip(8, "TTree::fAutoFlush"));
    GANTRY_RETURN_IF_ERROR(c_.Skip(8, "TTree::fEstimate"));
    if (h.version >= 19) {
      GANTRY_RETURN_IF_ERROR(SkipCountedArray(c_, cluster_ranges, 8, "TTree::fClusterRangeEnd"));
      GANTRY_RETURN_IF_ERROR(SkipCountedArray(c_, cluster_ranges, 8, "TTree::fClusterSize"));
    }
    if (h.version >= 20) GANTRY_RETURN_IF_ERROR(SkipIOFeatures(c_));
    if (t.entries < 0) return Fail(InvalidArgument("corrupt TTree: negative entry count"));
    GANTRY_ASSIGN_OR_RETURN(ArrayHeader a, ReadTObjArrayHeader(c_));
    for (int32_t i = 0; i < a.count; ++i) {
      GANTRY_ASSIGN_OR_RETURN(AnyObject o, ReadObjectAny(c_, refs_));
      if (o.kind != AnyObject::Kind::kObject) continue;
      GANTRY_RETURN_IF_ERROR(ParseBranchObject(o, 0, t.branches));
    }
    return t;
  }

 private:
  Cursor& c_;
  StreamRefs refs_;
};

}  // namespace

size_t ScalarSize(ScalarType type) {
  switch (type) {
    case ScalarType::kBool:
    case ScalarType::kUChar:
    case ScalarType::kChar: return 1;
    case ScalarType::kShort:
    case ScalarType::kUShort: return 2;
    case ScalarType::kInt:
    case ScalarType::kUInt:
    case ScalarType::kFloat: return 4;
    case ScalarType::kLong64:
    case ScalarType::kULong64:
    case ScalarType::kDouble: return 8;
  }
  return 1;
}

std::string_view ScalarTypeName(ScalarType type) {
  switch (type) {
    case ScalarType::kBool: return "Bool_t";
    case ScalarType::kUChar: return "UChar_t";
    case ScalarType::kChar: return "Char_t";
    case ScalarType::kShort: return "Short_t";
    case ScalarType::kUShort: return "UShort_t";
    case ScalarType::kInt: return "Int_t";
    case ScalarType::kUInt: return "UInt_t";
    case ScalarType::kLong64: return "Long64_t";
    case ScalarType::kULong64: return "ULong64_t";
    case ScalarType::kFloat: return "Float_t";
    case ScalarType::kDouble: return "Double_t";
  }
  return "?";
}

const Branch* Tree::Find(std::string_view name) const {
  for (const Branch& b : branches) {
    if (b.name == name) return &b;
  }
  return nullptr;
}

Result<Tree> ParseTree(std::string_view bytes, uint64_t key_length, std::string_view class_name) {
  Cursor c(bytes, key_length);
  TreeParser parser(c);
  return parser.Parse(class_name);
}

namespace {
bool IsTreeClass(std::string_view c) { return c == "TTree" || c == "TNtuple" || c == "TNtupleD"; }
}  // namespace

Result<Tree> ReadTree(const File& file, std::string_view path) {
  GANTRY_ASSIGN_OR_RETURN(Key key, file.FindKey(path));
  if (!IsTreeClass(key.class_name)) {
    if (key.class_name.find("RNTuple") != std::string::npos) {
      return Fail(InvalidArgument(Fmt("{} in {} is an RNTuple, not a TTree (RNTuple is "
                                              "not supported)",
                                              path, file.Describe())));
    }
    return Fail(InvalidArgument(
        Fmt("{} in {} is a {}, not a TTree", path, file.Describe(), key.class_name)));
  }
  GANTRY_ASSIGN_OR_RETURN(std::string bytes, file.ReadObject(key));
  auto tree = ParseTree(bytes, static_cast<uint64_t>(key.key_length), key.class_name);
  if (!tree) return Fail(tree.error().Wrap(Fmt("{}: tree {}", file.Describe(), path)));
  return tree;
}

Result<std::vector<std::string>> ListTrees(const File& file) {
  GANTRY_ASSIGN_OR_RETURN(auto keys, file.AllKeys());
  std::vector<std::string> out;
  for (const auto& [dir, key] : keys) {
    if (!IsTreeClass(key.class_name)) continue;
    std::string path = dir.empty() ? key.name : dir + "/" + key.name;
    bool seen = false;
    for (const std::string& p : out) seen = seen || p == path;
    if (!seen) out.push_back(path);
  }
  return out;
}

}  // namespace gantry::root
