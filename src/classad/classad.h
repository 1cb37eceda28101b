// ClassAd: a record of named expressions, as in HTCondor. Names are case-insensitive
// and keep their first spelling for printing; attributes print in insertion order.
// Lookup hashes the lowercased name into an open-addressing table; it never allocates.
//
// A nested ad knows its lexical parent (for unqualified names and PARENT); copying or
// moving an ad keeps those links right. Thread-compatible: concurrent const use is safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "classad/expr.h"
#include "classad/value.h"

namespace gantry::classad {

class ClassAd {
 public:
  struct Attribute {
    std::string name;   // as first written
    std::string lower;  // lowercased
    uint64_t hash = 0;
    ExprPtr expr;
  };

  ClassAd() = default;
  ~ClassAd();
  ClassAd(const ClassAd& other);
  ClassAd& operator=(const ClassAd& other);
  ClassAd(ClassAd&& other) noexcept;
  ClassAd& operator=(ClassAd&& other) noexcept;

  // Sets `name` to `expr`, replacing any previous definition (keeping its position).
  void Insert(std::string_view name, ExprPtr expr);
  void InsertValue(std::string_view name, Value value);
  void InsertInteger(std::string_view name, int64_t v) { InsertValue(name, Value::Integer(v)); }
  void InsertReal(std::string_view name, double v) { InsertValue(name, Value::Real(v)); }
  void InsertBoolean(std::string_view name, bool v) { InsertValue(name, Value::Boolean(v)); }
  void InsertString(std::string_view name, std::string_view v);
  bool Remove(std::string_view name);

  // The expression bound to `name` (any case), or null.
  const Expr* Lookup(std::string_view name) const;
  // Same, with the name already lowercased and hashed (the evaluator's hot path).
  const Expr* LookupHashed(uint64_t hash, std::string_view lower) const;
  // The spelling `name` was first inserted with, or "" when absent.
  std::string_view SpelledName(std::string_view name) const;

  const std::vector<Attribute>& attributes() const { return attributes_; }
  size_t size() const { return attributes_.size(); }
  bool empty() const { return attributes_.empty(); }

  // Whether an attribute is named like a scope keyword (MY, SELF, TARGET, PARENT,
  // TOPLEVEL, ROOT), which then hides the keyword. Rare; lets lookups skip a search.
  bool has_scope_names() const { return has_scope_names_; }

  // The lexically enclosing ad, or null for a top-level ad.
  const ClassAd* parent() const { return parent_; }
  // Makes `parent` the enclosing ad of every ad literal directly inside `expr`.
  static void AdoptNestedAds(Expr& expr, const ClassAd* parent);

 private:
  void Reindex();
  int Find(uint64_t hash, std::string_view lower) const;

  std::vector<Attribute> attributes_;  // insertion order
  // Open-addressing table over attributes_ (size a power of two, at most half full):
  // a lookup is usually one probe.
  struct Slot {
    uint64_t hash = 0;
    uint32_t position = 0;  // index in attributes_ + 1; 0 = empty
  };
  std::vector<Slot> table_;
  void RebuildTable();
  bool has_scope_names_ = false;
  const ClassAd* parent_ = nullptr;
};

}  // namespace gantry::classad
