// Catalog: the file catalog (docs/data.md) kept in its own SQLite file (GANTRY_HOME/data.db,
// never the job store's): storage endpoints (RSEs) with attributes and a URL prefix per
// protocol; scopes with owners, VOs and ACLs; DIDs (files, datasets, containers) with their
// attachments and metadata; replicas of files on RSEs with their state; storage usage.
// Every call names its caller and is checked twice (catalog/access.h): the credential's
// storage scope for the DID's path, and the scope's ACL. A failed call changes nothing.
// Thread-safe: one mutex serialises the connection (mu_ guards db_).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/error.h"
#include "catalog/access.h"
#include "catalog/did.h"
#include "catalog/meta_filter.h"
#include "model/identity.h"

namespace gantry::store {
class CachedDb;
}  // namespace gantry::store

namespace gantry::catalog {

// A storage endpoint. Names are Rucio's: upper-case letters, digits, '_' and '-'.
struct Rse {
  std::string name;
  std::string site;
  std::map<std::string, std::string> attributes;  // "site" included
  std::map<std::string, std::string> protocols;   // scheme ("file", "root", "https") -> prefix
};
Status ValidateRseName(std::string_view name);
// "file:///data/rse1", "root://host:1094//data/rse1", "https://host:8443/data": the scheme
// is one of file, root, https; the prefix has a path.
Result<std::string> SchemeOfPrefix(std::string_view prefix);

struct DidInfo {
  Did did;
  DidType type = DidType::kFile;
  std::string owner;  // Identity::Display() of its creator
  std::string vo;
  int64_t bytes = 0;  // files: the size; datasets and containers: the sum of their files'
  std::string adler32;
  std::string md5;
  TimeMicros created = 0;
  std::map<std::string, std::string> meta;
};

struct NewDid {
  Did did;
  DidType type = DidType::kFile;
  int64_t bytes = 0;
  std::string adler32;  // required for files
  std::string md5;      // optional
  std::map<std::string, std::string> meta;
};

struct ReplicaInfo {
  std::string rse;
  ReplicaState state = ReplicaState::kAvailable;
  std::string path;  // under the RSE's prefixes: "scope/name" unless registered otherwise
  std::map<std::string, std::string> pfns;  // scheme -> URL
  TimeMicros updated = 0;
};

struct FileReplicas {
  DidInfo file;
  std::vector<ReplicaInfo> replicas;
};

// One file and (optionally) its replica, for bulk registration (Rucio's add_replicas).
struct NewReplica {
  NewDid file;
  std::string path;  // "" -> "scope/name"
  ReplicaState state = ReplicaState::kAvailable;
};

struct ListDidsQuery {
  std::string scope;
  std::string name_pattern = "*";  // '*' wildcards
  std::optional<DidType> type;
  std::vector<MetaCondition> filter;
  int64_t limit = 10000;
};

enum class UsageBy { kRse, kUser, kVo };
struct UsageRow {
  std::string rse;
  std::string account;  // the user (UsageBy::kUser) or the VO (kVo); "" for kRse
  int64_t files = 0;
  int64_t bytes = 0;
};

class Catalog {
 public:
  static Result<std::unique_ptr<Catalog>> Open(const std::string& path, const Clock& clock);
  ~Catalog();

  // RSEs: admins only.
  Status AddRse(const model::Identity& who, const Rse& rse);
  Status SetRseAttribute(const model::Identity& who, const std::string& rse,
                         const std::string& key, const std::string& value);
  Status SetRseProtocol(const model::Identity& who, const std::string& rse,
                        const std::string& prefix);
  // expression "" lists all; a malformed one is InvalidArgument.
  Result<std::vector<Rse>> ListRses(const std::string& expression = "");
  Result<Rse> GetRse(const std::string& name);

  // Scopes are made by their first DID (owned by its creator, in its VO) or explicitly.
  Status AddScope(const model::Identity& who, const std::string& scope, const std::string& vo);
  Result<ScopeRecord> GetScope(const std::string& scope);
  Result<std::vector<ScopeRecord>> ListScopes();
  // Owner or admin.
  Status SetAcl(const model::Identity& who, const std::string& scope, const AclEntry& entry,
                bool granted);

  Status AddDid(const model::Identity& who, const NewDid& did);
  Result<DidInfo> GetDid(const model::Identity& who, const Did& did);
  Result<std::vector<DidInfo>> ListDids(const model::Identity& who, const ListDidsQuery& query);
  // The name stays taken: a new DID of the same name is refused.
  Status EraseDid(const model::Identity& who, const Did& did);
  Status Attach(const model::Identity& who, const Did& parent, std::span<const Did> children);
  Status Detach(const model::Identity& who, const Did& parent, std::span<const Did> children);
  Result<std::vector<DidInfo>> ListContent(const model::Identity& who, const Did& did);
  // value "" removes the key.
  Status SetMeta(const model::Identity& who, const Did& did, const std::string& key,
                 const std::string& value);

  // Registers files (made if new; an existing file must agree on size and adler32) and
  // their replicas on rse, in one transaction.
  Status AddReplicas(const model::Identity& who, const std::string& rse,
                     std::span<const NewReplica> files);
  Status SetReplicaState(const model::Identity& who, const std::string& rse, const Did& did,
                         ReplicaState state);
  Status DeleteReplica(const model::Identity& who, const std::string& rse, const Did& did);
  // Every file of the DID (itself, or a dataset's or container's, recursively) with its
  // replicas; with state, only replicas in that state.
  Result<std::vector<FileReplicas>> ListReplicas(const model::Identity& who, const Did& did,
                                                 std::optional<ReplicaState> state = {});
  // Available replicas only. Non-admins see their own user or VO rows (all RSE rows).
  Result<std::vector<UsageRow>> Usage(const model::Identity& who, UsageBy by);

 private:
  Catalog(std::unique_ptr<store::CachedDb> db, const Clock& clock);
  // Helpers; mu_ held.
  Result<ScopeRecord> ScopeLocked(const std::string& scope);
  Status Authorise(const model::Identity& who, const Did& did, StorageOp op, Right right);
  Status EnsureScope(const model::Identity& who, const std::string& scope);
  struct DidRow {
    int64_t id;
    DidType type;
    bool deleted;
  };
  Result<std::optional<DidRow>> FindDid(const Did& did);
  Result<DidRow> LiveDid(const Did& did);
  Result<DidInfo> LoadDid(int64_t id);
  Result<int64_t> RseId(const std::string& name);
  Status InsertDid(const model::Identity& who, const NewDid& did);
  Result<Rse> LoadRse(int64_t id);

  const Clock& clock_;
  std::mutex mu_;
  std::unique_ptr<store::CachedDb> db_;  // GUARDED_BY(mu_); its statements with it
};

}  // namespace gantry::catalog
