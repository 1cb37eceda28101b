// Internal to src/classad: BulkMatcher's fast path. A flattened Requirements or Rank is
// compiled into a compact node array whose TARGET references are slot numbers; each ad
// on the other side resolves those names to values once, when it is added. Evaluation then
// does no lookups, no reference counting and no allocation. Anything outside the covered
// subset (or a TARGET attribute that is not a constant) falls back to the tree evaluator,
// so results are exactly the evaluator's. Programs are immutable after Compile: thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "classad/classad.h"
#include "classad/expr.h"
#include "classad/value.h"

namespace gantry::classad::internal {

// kDynamic: only the tree evaluator knows (a computed or ad-valued TARGET attribute).
enum class FastType : uint8_t {
  kUndefined, kError, kBoolean, kInteger, kReal, kString, kList, kDynamic
};

// A scalar, or a borrowed string or list: trivially copyable, 16 bytes.
struct FastValue {
  FastType type = FastType::kUndefined;
  uint32_t size = 0;  // string length
  union {
    bool b;
    int64_t i;
    double r;
    const char* s;
    const ValueList* l;
  };
  FastValue() : i(0) {}
};

FastValue FastFromValue(const Value& v);

// Names that programs read from the other side's ads, numbered in order of first use.
class SlotNames {
 public:
  uint32_t Intern(std::string_view lower, uint64_t hash);
  size_t size() const { return lower_.size(); }
  std::string_view lower(size_t i) const { return lower_[i]; }
  uint64_t hash(size_t i) const { return hash_[i]; }

 private:
  std::vector<std::string> lower_;
  std::vector<uint64_t> hash_;
  std::unordered_map<std::string, uint32_t> ids_;
};

// The value of attribute `names[i]` of `ad` seen as TARGET (undefined when absent,
// kDynamic when it is not a constant). Borrows from `ad`.
FastValue ResolveSlot(const ClassAd& ad, const SlotNames& names, size_t i);

class Program {
 public:
  // nullopt when `flattened` (evaluated with MY = `self`) uses something not covered.
  // Borrows literals from `flattened`, which must outlive the program.
  static std::optional<Program> Compile(const Expr& flattened, const ClassAd& self,
                                        SlotNames& names);
  // `slots[i]` is the other ad's value of names[i]. kDynamic: use the tree evaluator.
  FastValue Run(const FastValue* slots) const { return Eval(root_, slots); }

 private:
  enum class Kind : uint8_t {
    kConst, kSlot, kAnd, kOr, kUnary, kStrict, kMeta, kTernary, kElvis, kMember
  };
  struct Node {
    Kind kind = Kind::kConst;
    Op op = Op::kNone;
    bool negate = false;        // kMeta: =!=
    uint32_t a = 0, b = 0, c = 0;  // children (node indexes) or the slot number
    FastValue value;            // kConst
  };
  int Add(const Expr& e, const ClassAd& self, SlotNames& names);
  FastValue Eval(uint32_t index, const FastValue* slots) const;

  std::vector<Node> nodes_;
  uint32_t root_ = 0;
};

}  // namespace gantry::classad::internal
