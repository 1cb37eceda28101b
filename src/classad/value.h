// Value: the result of evaluating a ClassAd expression. A small tagged union of
// undefined, error, boolean, integer, real, string, list and ClassAd.
//
// A Value is thread-compatible. To keep evaluation free of allocations, a Value may
// *borrow* its string, list or ad from the expression tree it came from (the "View"
// constructors); such a Value is valid only while those ads are alive. Owned() returns a
// self-contained copy that may outlive them.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gantry::classad {

class ClassAd;
class Value;
using ValueList = std::vector<Value>;

enum class ValueType : uint8_t {
  kUndefined,
  kError,
  kBoolean,
  kInteger,
  kReal,
  kString,
  kList,
  kClassAd,
};

std::string_view ValueTypeName(ValueType type);

class Value {
 public:
  Value() : i_(0) {}

  static Value Undefined() { return Value(); }
  static Value Error() {
    Value v;
    v.type_ = ValueType::kError;
    return v;
  }
  static Value Boolean(bool b) {
    Value v;
    v.type_ = ValueType::kBoolean;
    v.b_ = b;
    return v;
  }
  static Value Integer(int64_t i) {
    Value v;
    v.type_ = ValueType::kInteger;
    v.i_ = i;
    return v;
  }
  static Value Real(double r) {
    Value v;
    v.type_ = ValueType::kReal;
    v.r_ = r;
    return v;
  }
  // Owns a copy of the text.
  static Value String(std::string s);
  // Borrows: `s` must outlive the Value.
  static Value StringView(std::string_view s) {
    Value v;
    v.type_ = ValueType::kString;
    v.s_ = s.data();
    v.n_ = s.size();
    return v;
  }
  static Value List(ValueList items);
  static Value ListView(const ValueList* items) {
    Value v;
    v.type_ = ValueType::kList;
    v.l_ = items;
    return v;
  }
  static Value Ad(std::shared_ptr<const ClassAd> ad);
  static Value AdView(const ClassAd* ad) {
    Value v;
    v.type_ = ValueType::kClassAd;
    v.a_ = ad;
    return v;
  }

  ValueType type() const { return type_; }
  bool IsUndefined() const { return type_ == ValueType::kUndefined; }
  bool IsError() const { return type_ == ValueType::kError; }
  bool IsExceptional() const { return type_ <= ValueType::kError; }
  bool IsBoolean() const { return type_ == ValueType::kBoolean; }
  bool IsInteger() const { return type_ == ValueType::kInteger; }
  bool IsReal() const { return type_ == ValueType::kReal; }
  bool IsNumber() const { return IsInteger() || IsReal(); }
  bool IsString() const { return type_ == ValueType::kString; }
  bool IsList() const { return type_ == ValueType::kList; }
  bool IsClassAd() const { return type_ == ValueType::kClassAd; }

  // Accessors: call only when the type matches (checked in debug builds by callers).
  bool boolean() const { return b_; }
  int64_t integer() const { return i_; }
  double real() const { return r_; }
  std::string_view string() const { return {s_, n_}; }
  const ValueList& list() const { return *l_; }
  const ClassAd& ad() const { return *a_; }

  // Boolean, or a number (non-zero is true), as HTCondor's IsBooleanValueEquiv.
  std::optional<bool> BooleanEquivalent() const;
  // Integer or real as a double; boolean as 0/1.
  std::optional<double> NumberAsReal() const;

  // The same value without keeping anything alive (a view of this value's storage).
  Value View() const;
  // A deep copy that borrows nothing.
  Value Owned() const;

  // True when both have the same type and value (=?= semantics, strings case-sensitive);
  // lists and ads compare element by element / by canonical text.
  bool IdenticalTo(const Value& other) const;

 private:
  ValueType type_ = ValueType::kUndefined;
  union {
    bool b_;
    int64_t i_;
    double r_;
    const char* s_;
    const ValueList* l_;
    const ClassAd* a_;
  };
  size_t n_ = 0;
  // Keeps owned strings, lists and ads alive; empty for views and scalars.
  std::shared_ptr<const void> owner_;
};

}  // namespace gantry::classad
