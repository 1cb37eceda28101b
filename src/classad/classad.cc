#include "classad/classad.h"

#include <algorithm>
#include <utility>

namespace gantry::classad {

ClassAd::~ClassAd() = default;

ClassAd::ClassAd(const ClassAd& other) { *this = other; }

ClassAd& ClassAd::operator=(const ClassAd& other) {
  if (this == &other) return *this;
  attributes_.clear();
  attributes_.reserve(other.attributes_.size());
  for (const Attribute& a : other.attributes_) {
    attributes_.push_back(Attribute{a.name, a.lower, a.hash, a.expr->Clone()});
    AdoptNestedAds(*attributes_.back().expr, this);
  }
  index_ = other.index_;
  // A copy is a new top-level ad: the caller decides where it lives.
  parent_ = nullptr;
  return *this;
}

ClassAd::ClassAd(ClassAd&& other) noexcept { *this = std::move(other); }

ClassAd& ClassAd::operator=(ClassAd&& other) noexcept {
  if (this == &other) return *this;
  attributes_ = std::move(other.attributes_);
  index_ = std::move(other.index_);
  parent_ = other.parent_;
  other.attributes_.clear();
  other.index_.clear();
  for (Attribute& a : attributes_) AdoptNestedAds(*a.expr, this);
  return *this;
}

void ClassAd::AdoptNestedAds(Expr& expr, const ClassAd* parent) {
  if (expr.kind == ExprKind::kClassAd) {
    expr.ad->parent_ = parent;
    return;
  }
  for (ExprPtr& c : expr.children) AdoptNestedAds(*c, parent);
}

int ClassAd::Find(uint64_t hash, std::string_view lower) const {
  size_t lo = 0, hi = index_.size();
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    const Attribute& a = attributes_[index_[mid]];
    if (a.hash < hash || (a.hash == hash && a.lower < lower)) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo < index_.size()) {
    const Attribute& a = attributes_[index_[lo]];
    if (a.hash == hash && a.lower == lower) return static_cast<int>(index_[lo]);
  }
  return -1;
}

const Expr* ClassAd::LookupHashed(uint64_t hash, std::string_view lower) const {
  int i = Find(hash, lower);
  return i < 0 ? nullptr : attributes_[i].expr.get();
}

const Expr* ClassAd::Lookup(std::string_view name) const {
  std::string lower = LowerName(name);
  return LookupHashed(NameHash(lower), lower);
}

std::string_view ClassAd::SpelledName(std::string_view name) const {
  std::string lower = LowerName(name);
  int i = Find(NameHash(lower), lower);
  return i < 0 ? std::string_view() : std::string_view(attributes_[i].name);
}

void ClassAd::Insert(std::string_view name, ExprPtr expr) {
  AdoptNestedAds(*expr, this);
  std::string lower = LowerName(name);
  uint64_t hash = NameHash(lower);
  int i = Find(hash, lower);
  if (i >= 0) {
    attributes_[i].expr = std::move(expr);
    return;
  }
  attributes_.push_back(Attribute{std::string(name), std::move(lower), hash, std::move(expr)});
  const Attribute& added = attributes_.back();
  auto at = std::lower_bound(index_.begin(), index_.end(), 0u, [&](uint32_t x, uint32_t) {
    const Attribute& a = attributes_[x];
    return a.hash < added.hash || (a.hash == added.hash && a.lower < added.lower);
  });
  index_.insert(at, static_cast<uint32_t>(attributes_.size() - 1));
}

void ClassAd::InsertValue(std::string_view name, Value value) {
  Insert(name, MakeLiteral(value.Owned()));
}

void ClassAd::InsertString(std::string_view name, std::string_view v) {
  Insert(name, MakeLiteral(Value::String(std::string(v))));
}

bool ClassAd::Remove(std::string_view name) {
  std::string lower = LowerName(name);
  int i = Find(NameHash(lower), lower);
  if (i < 0) return false;
  attributes_.erase(attributes_.begin() + i);
  Reindex();
  return true;
}

void ClassAd::Reindex() {
  index_.resize(attributes_.size());
  for (size_t i = 0; i < index_.size(); ++i) index_[i] = static_cast<uint32_t>(i);
  std::sort(index_.begin(), index_.end(), [this](uint32_t x, uint32_t y) {
    const Attribute& a = attributes_[x];
    const Attribute& b = attributes_[y];
    return a.hash < b.hash || (a.hash == b.hash && a.lower < b.lower);
  });
}

}  // namespace gantry::classad
