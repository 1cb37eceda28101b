// UsageReader: reads accounting records (the `usage` table of schema v5, docs/schema.md) on
// connections of its own, read-only, so that a month of records streams out while the broker
// writes: it never takes the broker's lock nor the store's connections. Thread-safe: each
// call opens its own connection (WAL readers do not block the writer, nor each other).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/error.h"
#include "model/usage_record.h"

namespace gantry::store {

class UsageReader {
 public:
  // path: the store's database, already opened (and so migrated) by OpenSqliteStore.
  static Result<std::unique_ptr<UsageReader>> Open(std::string path);

  // Calls on_record for each record the filter selects, ordered by user then end time when
  // users are named, else by end time, with the members filter.columns names filled (the
  // others keep their defaults). The record's strings are valid during the call only.
  // A callback returning false stops the scan.
  Status Scan(const model::UsageFilter& filter,
              const std::function<bool(const model::UsageRecord&)>& on_record) const;

  // Whether any attempt was ever charged to this account.
  Result<bool> AccountKnown(std::string_view account) const;

 private:
  explicit UsageReader(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

}  // namespace gantry::store
