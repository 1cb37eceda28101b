#include "classad/classad.h"

#include <algorithm>
#include <utility>

namespace gantry::classad {
namespace {

bool IsScopeName(std::string_view lower) {
  return lower == "my" || lower == "self" || lower == "target" || lower == "parent" ||
         lower == "toplevel" || lower == "root";
}

// Names are short and a 64-bit hash already matched: a plain loop beats a memcmp call.
bool SameName(const std::string& a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < b.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

}  // namespace

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
  table_ = other.table_;
  has_scope_names_ = other.has_scope_names_;
  // A copy is a new top-level ad: the caller decides where it lives.
  parent_ = nullptr;
  return *this;
}

ClassAd::ClassAd(ClassAd&& other) noexcept { *this = std::move(other); }

ClassAd& ClassAd::operator=(ClassAd&& other) noexcept {
  if (this == &other) return *this;
  attributes_ = std::move(other.attributes_);
  table_ = std::move(other.table_);
  has_scope_names_ = other.has_scope_names_;
  parent_ = other.parent_;
  other.attributes_.clear();
  other.table_.clear();
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
  if (table_.empty()) return -1;
  size_t mask = table_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& slot = table_[i];
    if (slot.position == 0) return -1;
    if (slot.hash == hash && SameName(attributes_[slot.position - 1].lower, lower)) {
      return static_cast<int>(slot.position - 1);
    }
  }
}

void ClassAd::RebuildTable() {
  size_t size = 8;
  while (size < attributes_.size() * 2) size *= 2;
  table_.assign(size, Slot{});
  for (size_t p = 0; p < attributes_.size(); ++p) {
    size_t i = attributes_[p].hash & (size - 1);
    while (table_[i].position != 0) i = (i + 1) & (size - 1);
    table_[i] = Slot{attributes_[p].hash, static_cast<uint32_t>(p + 1)};
  }
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
  has_scope_names_ = has_scope_names_ || IsScopeName(added.lower);
  if (attributes_.size() * 2 > table_.size()) {
    RebuildTable();
  } else {
    size_t mask = table_.size() - 1;
    size_t i = added.hash & mask;
    while (table_[i].position != 0) i = (i + 1) & mask;
    table_[i] = Slot{added.hash, static_cast<uint32_t>(attributes_.size())};
  }
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
  has_scope_names_ = false;
  for (const Attribute& a : attributes_) {
    has_scope_names_ = has_scope_names_ || IsScopeName(a.lower);
  }
  RebuildTable();
}

}  // namespace gantry::classad
