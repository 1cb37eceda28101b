#include "classad/value.h"

#include <cmath>
#include <utility>

#include "classad/classad.h"
#include "classad/unparse.h"

namespace gantry::classad {

std::string_view ValueTypeName(ValueType type) {
  switch (type) {
    case ValueType::kUndefined: return "undefined";
    case ValueType::kError: return "error";
    case ValueType::kBoolean: return "boolean";
    case ValueType::kInteger: return "integer";
    case ValueType::kReal: return "real";
    case ValueType::kString: return "string";
    case ValueType::kList: return "list";
    case ValueType::kClassAd: return "classad";
  }
  return "?";
}

Value Value::String(std::string s) {
  auto owned = std::make_shared<const std::string>(std::move(s));
  Value v = StringView(*owned);
  v.owner_ = std::move(owned);
  return v;
}

Value Value::List(ValueList items) {
  auto owned = std::make_shared<const ValueList>(std::move(items));
  Value v = ListView(owned.get());
  v.owner_ = std::move(owned);
  return v;
}

Value Value::Ad(std::shared_ptr<const ClassAd> ad) {
  Value v = AdView(ad.get());
  v.owner_ = std::move(ad);
  return v;
}

std::optional<bool> Value::BooleanEquivalent() const {
  switch (type_) {
    case ValueType::kBoolean: return b_;
    case ValueType::kInteger: return i_ != 0;
    case ValueType::kReal: return r_ != 0.0;
    default: return std::nullopt;
  }
}

std::optional<double> Value::NumberAsReal() const {
  switch (type_) {
    case ValueType::kBoolean: return b_ ? 1.0 : 0.0;
    case ValueType::kInteger: return static_cast<double>(i_);
    case ValueType::kReal: return r_;
    default: return std::nullopt;
  }
}

Value Value::View() const {
  // Copies the fields but not owner_: no reference-count traffic on the hot path.
  Value v;
  v.type_ = type_;
  v.i_ = i_;
  v.n_ = n_;
  return v;
}

Value Value::Owned() const {
  switch (type_) {
    case ValueType::kString: return String(std::string(string()));
    case ValueType::kList: {
      ValueList items;
      items.reserve(l_->size());
      for (const Value& item : *l_) items.push_back(item.Owned());
      return List(std::move(items));
    }
    case ValueType::kClassAd: return Ad(std::make_shared<const ClassAd>(*a_));
    default: return *this;
  }
}

bool Value::IdenticalTo(const Value& other) const {
  if (type_ != other.type_) return false;
  switch (type_) {
    case ValueType::kUndefined:
    case ValueType::kError: return true;
    case ValueType::kBoolean: return b_ == other.b_;
    case ValueType::kInteger: return i_ == other.i_;
    case ValueType::kReal:
      return r_ == other.r_ || (std::isnan(r_) && std::isnan(other.r_));
    case ValueType::kString: return string() == other.string();
    case ValueType::kList: {
      if (l_->size() != other.l_->size()) return false;
      for (size_t i = 0; i < l_->size(); ++i) {
        if (!(*l_)[i].IdenticalTo((*other.l_)[i])) return false;
      }
      return true;
    }
    case ValueType::kClassAd:
      return a_ == other.a_ || UnparseClassAd(*a_) == UnparseClassAd(*other.a_);
  }
  return false;
}

}  // namespace gantry::classad
