// AcctWriter: turns usage records into `gantry acct` output (sacct's fixed-width table,
// --parsable, --parsable2, --json), appending to a buffer. Rows stream through without
// allocating, except with -X, which sums each job's attempts and writes them at Finish.
// Thread-compatible.
#pragma once

#include <map>
#include <string>

#include "acct/request.h"
#include "acct/text_format.h"

namespace gantry::acct {

class AcctWriter {
 public:
  explicit AcctWriter(const AcctRequest& request);

  // The record members the writer reads for `request` (UsageFilter::columns): its fields'
  // and the job id (for -j), or all of them for --json and -X.
  static model::UsageColumns Columns(const AcctRequest& request);

  // The header (if any) or the JSON opening.
  void Begin(std::string& out);
  // One record; skipped if -j named array indexes that do not select it.
  void Add(const model::UsageRecord& record, std::string& out);
  void Finish(std::string& out);
  int64_t rows() const { return rows_; }

 private:
  // A record with its own strings (for -X).
  struct Owned {
    model::UsageRecord record;  // views into the strings below
    std::string user, group, vo, account, partition, job_name, agent, state;
    int64_t last_attempt = 0;
    void Point();
  };
  bool Selected(const model::UsageRecord& r) const;
  void Write(const model::UsageRecord& r, std::string& out);
  void WriteJson(const model::UsageRecord& r, std::string& out);

  const AcctRequest& request_;
  DateWriter dates_;
  std::string cell_;  // reused for each table cell
  int64_t rows_ = 0;
  std::map<int64_t, Owned> allocations_;  // -X: by task id
};

}  // namespace gantry::acct
