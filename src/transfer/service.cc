#include "transfer/service.h"

#include <algorithm>
#include <cstdio>

#include "base/log.h"
#include "catalog/rse_expression.h"
#include "transfer/copier.h"
#include "transfer/rules.h"

namespace gantry::transfer {
namespace {

using catalog::ReplicaState;

// Protocols in the order the service prefers them for both ends.
constexpr const char* kSchemes[] = {"file", "root"};

std::string JoinPrefix(const std::string& prefix, const std::string& path) {
  std::string p = prefix;
  while (!p.empty() && p.back() == '/') p.pop_back();
  return p + "/" + path;
}

std::string Rate(int64_t bytes, TimeMicros micros) {
  double seconds = std::max<double>(static_cast<double>(micros) / kMicrosPerSecond, 1e-6);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%lld bytes in %.2f s (%.1f MB/s)", static_cast<long long>(bytes),
                seconds, static_cast<double>(bytes) / seconds / 1e6);
  return buf;
}

// A rule waits this long after a transfer it asked for failed before asking again.
constexpr TimeMicros kRuleRetryAfterFailure = 600 * kMicrosPerSecond;

}  // namespace

TransferService::TransferService(catalog::Catalog& catalog, TransferQueue& queue,
                                 const Clock& clock,
                                 std::map<std::string, std::unique_ptr<Storage>> storages,
                                 ServiceOptions options)
    : catalog_(catalog), queue_(queue), clock_(clock), storages_(std::move(storages)),
      options_(options), optimizer_(options.optimizer), random_(options.seed) {
  system_.kind = model::IdentityKind::kLocal;
  system_.subject = "gantry-transfers";
  system_.issuer = std::string(model::kLocalIssuer);
  system_.grants.admin = true;
  system_.source = "server:transfers";
}

Result<std::unique_ptr<TransferService>> TransferService::Start(
    catalog::Catalog& catalog, TransferQueue& queue, const Clock& clock,
    std::map<std::string, std::unique_ptr<Storage>> storages, ServiceOptions options) {
  if (options.workers < 1) return Fail(InvalidArgument("the transfer service needs a worker"));
  std::unique_ptr<TransferService> s(
      new TransferService(catalog, queue, clock, std::move(storages), options));
  // Attempts a previous run left half done: their temporaries go, the transfers queue again.
  GANTRY_ASSIGN_OR_RETURN(std::vector<Transfer> lost, queue.Recover());
  for (const Transfer& t : lost) s->RemoveTemporary(t);
  for (int i = 0; i < options.workers; ++i) {
    s->workers_.emplace_back([raw = s.get()] { raw->WorkerLoop(); });
  }
  s->planner_ = std::thread([raw = s.get()] { raw->PlannerLoop(); });
  return s;
}

TransferService::~TransferService() { Stop(); }

void TransferService::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
    // Running copies stop at their next step; their transfers are recovered at the next start.
    for (auto& [id, flag] : cancels_) flag->store(true);
    cv_.notify_all();
  }
  for (auto& w : workers_) {
    if (w.joinable()) w.join();
  }
  if (planner_.joinable()) planner_.join();
}

Storage* TransferService::StorageFor(const std::string& scheme) {
  auto it = storages_.find(scheme);
  return it == storages_.end() ? nullptr : it->second.get();
}

void TransferService::RemoveTemporary(const Transfer& t) {
  if (t.request.dest_url.empty()) return;
  auto url = ParseUrl(t.request.dest_url);
  if (!url) return;
  Storage* storage = StorageFor(url->scheme);
  if (!storage) return;
  Url temp = url->WithPath(TemporaryPath(*url, "t" + std::to_string(t.id)));
  if (auto s = storage->Remove(temp); !s) {
    LogWarning("transfer " + std::to_string(t.id) + ": cannot remove " + temp.text + ": " +
               s.error().message());
  }
}

bool TransferService::MayStart(const Transfer& t) {
  std::lock_guard lock(mu_);
  if (stopping_ || active_ >= options_.workers) return false;
  Link& link = links_[t.Link()];
  if (link.state.limit == 0) {
    link.last = optimizer_.Evaluate(link.state, {}, 1, link.active, clock_.Now());
  }
  if (link.active >= link.state.limit) {
    ++link.queued_seen;
    return false;
  }
  ++active_;
  ++link.active;
  return true;
}

void TransferService::WorkerLoop() {
  while (true) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
    }
    auto claimed = queue_.ClaimNext([this](const Transfer& t) { return MayStart(t); });
    if (!claimed || !*claimed) {
      if (!claimed) LogWarning("transfer queue: " + claimed.error().message());
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(500));
      continue;
    }
    Run(std::move(**claimed));
  }
}

void TransferService::Run(Transfer t) {
  const std::string link = t.Link();  // the key MayStart counted
  // The copy's options, for both kinds of transfer. Run holds the cancel flag until the copy
  // has returned (o.cancel points into it); cancels_ shares it so that Cancel and Stop can
  // set it.
  auto cancel = std::make_shared<std::atomic<bool>>(false);
  {
    std::lock_guard lock(mu_);
    progress_[t.id] = {0, t.request.bytes, clock_.Now()};
    cancels_[t.id] = cancel;
    if (stopping_) cancel->store(true);  // claimed as Stop began: left to the next start
  }
  CopyOptions o;
  o.temp_suffix = "t" + std::to_string(t.id);
  o.cancel = cancel.get();
  o.progress = [this, id = t.id](int64_t done, int64_t total) {
    std::lock_guard lock(mu_);
    auto& p = progress_[id];
    p.done = done;
    p.total = total;
  };
  if (t.request.scope.empty()) {
    RunUrlTransfer(t, o);
  } else {
    RunCatalogTransfer(t, std::move(o));
  }
  std::lock_guard lock(mu_);
  progress_.erase(t.id);
  cancels_.erase(t.id);
  --active_;
  --links_[link].active;
  cv_.notify_all();
}

void TransferService::Finish(const Transfer& t, bool success, int64_t bytes,
                             TimeMicros started) {
  TimeMicros now = clock_.Now();
  auto queued = queue_.CountQueued();  // before mu_: lock order
  std::lock_guard lock(mu_);
  Link& link = links_[t.Link()];
  link.samples.push_back({started, now, bytes, success});
  while (!link.samples.empty() &&
         link.samples.front().finished < now - options_.optimizer.window) {
    link.samples.pop_front();
  }
  std::vector<LinkSample> samples(link.samples.begin(), link.samples.end());
  int waiting = queued ? static_cast<int>(std::min<int64_t>(*queued, 1 << 20)) : 0;
  Decision d = optimizer_.Evaluate(link.state, samples, std::max(waiting, link.queued_seen),
                                   link.active, now);
  link.queued_seen = 0;
  if (d.changed) LogInfo("transfers: link " + t.Link() + ": limit " + std::to_string(d.limit) +
                         ": " + d.reason);
  if (!d.reason.starts_with("hold: evaluated recently")) link.last = d;
}

void TransferService::AttemptFailed(const Transfer& t, const Error& error, bool recoverable) {
  if (error.code() == ErrorCode::kCancelled) {
    // A cancel request already recorded it; a stopping server leaves it active, recovered
    // at the next start.
    return;
  }
  std::string message = error.message();
  if (recoverable && t.attempts < t.request.max_attempts) {
    double jitter;
    {
      std::lock_guard lock(mu_);
      jitter = std::uniform_real_distribution<double>(0, 1)(random_);
    }
    TimeMicros delay = RetryDelay(options_.retry, t.attempts + 1, jitter);
    (void)queue_.Retry(t.id, clock_.Now() + delay, message);
  } else {
    (void)queue_.MarkFailed(
        t.id, message + (recoverable ? " (attempt " + std::to_string(t.attempts) + " of " +
                                           std::to_string(t.request.max_attempts) + ": giving up)"
                                     : " (not recoverable)"));
  }
}

void TransferService::RunUrlTransfer(Transfer& t, const CopyOptions& o) {
  TimeMicros started = clock_.Now();
  auto src = ParseUrl(t.request.source_url);
  auto dst = ParseUrl(t.request.dest_url);
  if (!src || !dst) {
    AttemptFailed(t, !src ? src.error() : dst.error(), false);
    Finish(t, false, 0, started);
    return;
  }
  Storage* from = StorageFor(src->scheme);
  Storage* to = StorageFor(dst->scheme);
  if (!from || !to) {
    AttemptFailed(t, InvalidArgument("this server does not speak " +
                                     (!from ? src->scheme : dst->scheme) + "://"), false);
    Finish(t, false, 0, started);
    return;
  }
  (void)queue_.SetEnds(t.id, "", src->text, dst->text);
  auto r = Copy(*from, *src, *to, *dst, o);
  if (!r) {
    AttemptFailed(t, r.error().error, IsRecoverable(r.error().error));
    Finish(t, false, 0, started);
    return;
  }
  (void)queue_.Done(t.id, Rate(r->bytes, clock_.Now() - started) + ", adler32 " + r->adler32 +
                              " verified (" + r->method + ")");
  Finish(t, true, r->bytes, started);
}

void TransferService::RunCatalogTransfer(Transfer& t, CopyOptions o) {
  TimeMicros started = clock_.Now();
  catalog::Did did{t.request.scope, t.request.name};
  auto fail = [&](const Error& e, bool recoverable) {
    AttemptFailed(t, e, recoverable);
    Finish(t, false, 0, started);
  };
  auto files = catalog_.ListReplicas(system_, did);
  if (!files) return fail(files.error(), IsRecoverable(files.error()));
  if (files->size() != 1 || (*files)[0].file.type != catalog::DidType::kFile) {
    return fail(InvalidArgument(did.ToString() + " is not a file"), false);
  }
  const catalog::FileReplicas& file = (*files)[0];
  auto dest_rse = catalog_.GetRse(t.request.dest_rse);
  if (!dest_rse) return fail(dest_rse.error(), false);

  const catalog::ReplicaInfo* at_dest = nullptr;
  std::vector<const catalog::ReplicaInfo*> sources;
  for (const auto& r : file.replicas) {
    if (r.rse == t.request.dest_rse) {
      at_dest = &r;
    } else if (r.state == ReplicaState::kAvailable) {
      sources.push_back(&r);
    }
  }
  if (at_dest && at_dest->state == ReplicaState::kAvailable) {
    (void)queue_.Done(t.id, "already available on " + t.request.dest_rse);
    Finish(t, true, 0, started);
    return;
  }
  // The preferred source first, then the others in name order.
  std::stable_sort(sources.begin(), sources.end(), [&](auto* a, auto* b) {
    return (a->rse == t.request.source_rse) > (b->rse == t.request.source_rse);
  });
  const catalog::ReplicaInfo* source = nullptr;
  Url source_url, dest_url;
  Storage *from = nullptr, *to = nullptr;
  for (const auto* candidate : sources) {
    for (const char* scheme : kSchemes) {
      auto it = candidate->pfns.find(scheme);
      if (it == candidate->pfns.end() || !StorageFor(scheme)) continue;
      auto u = ParseUrl(it->second);
      if (!u) continue;
      source = candidate;
      source_url = *u;
      from = StorageFor(scheme);
      break;
    }
    if (source) break;
  }
  if (!source) {
    return fail(Unavailable("no available replica of " + did.ToString() +
                            " that this server can read (file://, root://)"),
                true);
  }
  std::string path = at_dest ? at_dest->path : did.scope + "/" + did.name;
  for (const char* scheme : kSchemes) {
    auto it = dest_rse->protocols.find(scheme);
    if (it == dest_rse->protocols.end() || !StorageFor(scheme)) continue;
    auto u = ParseUrl(JoinPrefix(it->second, path));
    if (!u) continue;
    dest_url = *u;
    to = StorageFor(scheme);
    break;
  }
  if (!to) {
    return fail(InvalidArgument("the RSE " + t.request.dest_rse +
                                " offers no protocol this server writes (file://, root://)"),
                false);
  }
  t.source_rse_used = source->rse;
  t.request.dest_url = dest_url.text;
  (void)queue_.SetEnds(t.id, source->rse, source_url.text, dest_url.text);

  // The destination replica is `copying` until the verified rename: never available early.
  // Given up, a record that held no good copy goes; a bad one stays bad (for its rule).
  bool was_bad = at_dest && at_dest->state == ReplicaState::kBad;
  Status registered = {};
  if (at_dest) {
    registered = catalog_.SetReplicaState(system_, t.request.dest_rse, did, ReplicaState::kCopying);
  } else {
    catalog::NewReplica r;
    r.file = {did, catalog::DidType::kFile, file.file.bytes, file.file.adler32, "", {}};
    r.state = ReplicaState::kCopying;
    std::vector<catalog::NewReplica> one = {r};
    registered = catalog_.AddReplicas(system_, t.request.dest_rse, one);
  }
  if (!registered) return fail(registered.error(), IsRecoverable(registered.error()));

  o.expected_adler32 = file.file.adler32;
  o.overwrite = Overwrite::kYes;  // the catalog's own path on its RSE: a stale copy is replaced
  auto r = Copy(*from, source_url, *to, dest_url, o);
  if (r) {
    auto s = catalog_.SetReplicaState(system_, t.request.dest_rse, did, ReplicaState::kAvailable);
    if (!s) return fail(s.error(), true);
    (void)queue_.Done(t.id, Rate(r->bytes, clock_.Now() - started) + " from " + source->rse +
                                ", adler32 " + r->adler32 + " verified (" + r->method + ")");
    Finish(t, true, r->bytes, started);
    return;
  }
  Error error = r.error().error;
  bool recoverable = IsRecoverable(error);
  if (r.error().where == CopyError::Where::kBadSource) {
    (void)catalog_.SetReplicaState(system_, source->rse, did, ReplicaState::kBad);
    (void)queue_.AddEvent(t.id, "bad-source", source->rse + " marked bad: " + error.message());
    recoverable = sources.size() > 1;  // another source may serve
    error = Unavailable(error.message());
  }
  bool retrying = recoverable && t.attempts < t.request.max_attempts &&
                  error.code() != ErrorCode::kCancelled;
  if (!retrying && error.code() != ErrorCode::kCancelled) {
    // Given up: the destination record goes back to what it was.
    if (was_bad) {
      (void)catalog_.SetReplicaState(system_, t.request.dest_rse, did, ReplicaState::kBad);
    } else {
      (void)catalog_.DeleteReplica(system_, t.request.dest_rse, did);
    }
  }
  fail(error, recoverable);
}

Result<std::vector<int64_t>> TransferService::Replicate(const model::Identity& who,
                                                        const catalog::Did& did,
                                                        const std::string& dest_rse,
                                                        int priority) {
  GANTRY_RETURN_IF_ERROR(catalog_.GetRse(dest_rse));
  GANTRY_ASSIGN_OR_RETURN(auto files, catalog_.ListReplicas(who, did));
  std::vector<int64_t> ids;
  for (const auto& f : files) {
    const catalog::Did& fd = f.file.did;
    GANTRY_RETURN_IF_ERROR(catalog::RequireStorageScope(who, catalog::StorageOp::kCreate,
                                                        "/" + fd.scope + "/" + fd.name));
    GANTRY_ASSIGN_OR_RETURN(catalog::ScopeRecord scope, catalog_.GetScope(fd.scope));
    GANTRY_RETURN_IF_ERROR(catalog::CheckAccess(scope, who, catalog::Right::kWrite));
  }
  for (const auto& f : files) {
    const catalog::Did& fd = f.file.did;
    std::string source;
    bool there = false;
    for (const auto& r : f.replicas) {
      if (r.rse == dest_rse && r.state == ReplicaState::kAvailable) there = true;
      if (r.rse != dest_rse && r.state == ReplicaState::kAvailable && source.empty()) source = r.rse;
    }
    if (there) continue;
    GANTRY_ASSIGN_OR_RETURN(auto latest, queue_.Latest(fd.scope, fd.name, dest_rse));
    if (latest && (latest->state == TransferState::kQueued ||
                   latest->state == TransferState::kActive)) {
      ids.push_back(latest->id);
      continue;
    }
    if (source.empty()) {
      return Fail(FailedPrecondition("no available replica of " + fd.ToString() +
                                     " to copy from"));
    }
    TransferRequest req;
    req.scope = fd.scope;
    req.name = fd.name;
    req.source_rse = source;
    req.dest_rse = dest_rse;
    req.bytes = f.file.bytes;
    req.adler32 = f.file.adler32;
    req.priority = priority;
    req.max_attempts = options_.retry.max_attempts;
    req.owner = who.Display();
    req.vo = who.vo;
    GANTRY_ASSIGN_OR_RETURN(int64_t id, queue_.Enqueue(req));
    ids.push_back(id);
  }
  cv_.notify_all();
  return ids;
}

Result<int64_t> TransferService::CopyUrl(const model::Identity& who, const std::string& source,
                                         const std::string& destination, int priority) {
  if (!who.grants.admin) {
    return Fail(PermissionDenied("copying plain URLs in the server writes with the server's "
                                 "rights: admins only (use gantry cp, or a catalog transfer)"));
  }
  GANTRY_ASSIGN_OR_RETURN(Url src, ParseUrl(source));
  GANTRY_ASSIGN_OR_RETURN(Url dst, ParseUrl(destination));
  for (const Url* u : {&src, &dst}) {
    if (!StorageFor(u->scheme)) {
      return Fail(InvalidArgument("this server does not speak " + u->scheme + "://"));
    }
  }
  TransferRequest req;
  req.source_url = src.text;
  req.dest_url = dst.text;
  req.priority = priority;
  req.max_attempts = options_.retry.max_attempts;
  req.owner = who.Display();
  req.vo = who.vo;
  GANTRY_ASSIGN_OR_RETURN(int64_t id, queue_.Enqueue(req));
  cv_.notify_all();
  return id;
}

Result<int64_t> TransferService::AddRule(const model::Identity& who, const catalog::Did& did,
                                         int copies, const std::string& expression,
                                         int64_t lifetime_seconds) {
  if (copies < 1) return Fail(InvalidArgument("a rule asks for at least 1 copy"));
  if (lifetime_seconds < 0) return Fail(InvalidArgument("a lifetime cannot be negative"));
  GANTRY_ASSIGN_OR_RETURN(auto rses, catalog_.ListRses(expression));
  if (static_cast<int>(rses.size()) < copies) {
    return Fail(InvalidArgument("the RSE expression '" + expression + "' matches " +
                                std::to_string(rses.size()) + " RSEs, fewer than the " +
                                std::to_string(copies) + " copies asked"));
  }
  GANTRY_RETURN_IF_ERROR(catalog_.GetDid(who, did));
  GANTRY_RETURN_IF_ERROR(catalog::RequireStorageScope(who, catalog::StorageOp::kCreate,
                                                      "/" + did.scope + "/" + did.name));
  GANTRY_ASSIGN_OR_RETURN(catalog::ScopeRecord scope, catalog_.GetScope(did.scope));
  GANTRY_RETURN_IF_ERROR(catalog::CheckAccess(scope, who, catalog::Right::kWrite));
  Rule rule;
  rule.scope = did.scope;
  rule.name = did.name;
  rule.copies = copies;
  rule.expression = expression;
  rule.expires = lifetime_seconds ? clock_.Now() + lifetime_seconds * kMicrosPerSecond : 0;
  rule.owner = who.Display();
  rule.vo = who.vo;
  GANTRY_ASSIGN_OR_RETURN(int64_t id, queue_.AddRule(rule));
  GANTRY_RETURN_IF_ERROR(EvaluateRules());
  return id;
}

Status TransferService::Cancel(const model::Identity& who, int64_t id) {
  GANTRY_ASSIGN_OR_RETURN(Transfer t, queue_.Get(id));
  if (!who.grants.admin && t.request.owner != who.Display()) {
    return Fail(PermissionDenied("transfer " + std::to_string(id) + " belongs to " +
                                 t.request.owner));
  }
  GANTRY_RETURN_IF_ERROR(queue_.Cancel(id));
  std::lock_guard lock(mu_);
  if (auto it = cancels_.find(id); it != cancels_.end()) it->second->store(true);
  return {};
}

Result<std::vector<TransferService::Verified>> TransferService::Verify(
    const model::Identity& who, const catalog::Did& did, const std::string& rse) {
  GANTRY_ASSIGN_OR_RETURN(auto files, catalog_.ListReplicas(who, did));
  std::vector<Verified> out;
  for (const auto& f : files) {
    const std::string name = f.file.did.ToString();
    for (const auto& r : f.replicas) {
      if (!rse.empty() && r.rse != rse) continue;
      if (r.state == ReplicaState::kCopying) continue;  // a transfer owns it
      Verified v{name, r.rse, "unreachable", "no protocol this server speaks"};
      for (const char* scheme : kSchemes) {
        auto it = r.pfns.find(scheme);
        if (it == r.pfns.end() || !StorageFor(scheme)) continue;
        auto url = ParseUrl(it->second);
        if (!url) continue;
        auto sum = StorageFor(scheme)->Adler32(*url);
        if (!sum) {
          v.state = sum.error().code() == ErrorCode::kNotFound ? "bad" : "unreachable";
          v.detail = sum.error().message();
        } else if (*sum != f.file.adler32) {
          v.state = "bad";
          v.detail = "adler32 " + *sum + ", the catalog's " + f.file.adler32;
        } else {
          v.state = "ok";
          v.detail = "adler32 " + *sum;
        }
        break;
      }
      if (v.state == "bad" && r.state != ReplicaState::kBad) {
        GANTRY_RETURN_IF_ERROR(
            catalog_.SetReplicaState(who, r.rse, f.file.did, ReplicaState::kBad));
      }
      out.push_back(std::move(v));
    }
  }
  cv_.notify_all();  // the planner repairs what went bad
  return out;
}

std::optional<ProgressInfo> TransferService::Progress(int64_t id) {
  std::lock_guard lock(mu_);
  auto it = progress_.find(id);
  if (it == progress_.end()) return std::nullopt;
  return it->second;
}

std::vector<LinkInfo> TransferService::Links() {
  std::lock_guard lock(mu_);
  std::vector<LinkInfo> out;
  for (const auto& [name, link] : links_) {
    out.push_back({name, link.state.limit, link.active, link.last.success_rate,
                   link.state.throughput_ema, link.last.reason});
  }
  return out;
}

void TransferService::PlannerLoop() {
  while (true) {
    {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::microseconds(options_.rule_interval));
      if (stopping_) return;
    }
    if (auto s = EvaluateRules(); !s) LogWarning("replication rules: " + s.error().message());
  }
}

Status TransferService::EvaluateRules() {
  std::lock_guard rules_lock(rules_mu_);
  GANTRY_ASSIGN_OR_RETURN(std::vector<Rule> rules, queue_.ListRules());
  TimeMicros now = clock_.Now();
  bool queued_any = false;
  for (const Rule& rule : rules) {
    if (rule.state == "expired") continue;
    if (rule.expires && now > rule.expires) {
      GANTRY_RETURN_IF_ERROR(queue_.SetRuleState(rule.id, "expired", "its lifetime ended"));
      continue;
    }
    auto rses = catalog_.ListRses(rule.expression);
    if (!rses) {
      GANTRY_RETURN_IF_ERROR(queue_.SetRuleState(rule.id, "stuck", rses.error().message()));
      continue;
    }
    auto files = catalog_.ListReplicas(system_, {rule.scope, rule.name});
    if (!files) {
      GANTRY_RETURN_IF_ERROR(queue_.SetRuleState(rule.id, "stuck", files.error().message()));
      continue;
    }
    std::vector<std::string> candidates;
    for (const auto& r : *rses) candidates.push_back(r.name);
    std::vector<FileView> views;
    for (const auto& f : *files) {
      FileView v{f.file.did.scope, f.file.did.name, f.file.bytes, f.file.adler32, {}};
      for (const auto& r : f.replicas) v.replicas.emplace_back(r.rse, r.state);
      views.push_back(std::move(v));
    }
    std::string last_failure;
    auto in_flight = [&](const std::string& scope, const std::string& name,
                         const std::string& rse) {
      auto latest = queue_.Latest(scope, name, rse);
      if (!latest || !*latest) return false;
      const Transfer& t = **latest;
      if (t.state == TransferState::kQueued || t.state == TransferState::kActive) return true;
      if (t.state == TransferState::kFailed && now - t.updated < kRuleRetryAfterFailure) {
        last_failure = "transfer " + std::to_string(t.id) + " to " + rse + " failed: " +
                       t.last_error;
        return true;  // wait before asking again
      }
      return false;
    };
    RulePlan plan = PlanRule(rule.copies, candidates, views, in_flight);
    for (const PlannedTransfer& p : plan.transfers) {
      TransferRequest req;
      req.scope = p.scope;
      req.name = p.name;
      req.source_rse = p.source_rse;
      req.dest_rse = p.dest_rse;
      req.bytes = p.bytes;
      req.adler32 = p.adler32;
      req.max_attempts = options_.retry.max_attempts;
      req.rule_id = rule.id;
      req.owner = rule.owner;
      req.vo = rule.vo;
      GANTRY_ASSIGN_OR_RETURN(int64_t id, queue_.Enqueue(req));
      GANTRY_RETURN_IF_ERROR(queue_.AddEvent(
          id, "rule", "for rule " + std::to_string(rule.id) +
                          (p.repair ? " (repairs the bad replica on " + p.dest_rse + ")" : "")));
      queued_any = true;
    }
    std::string state = "replicating", reason;
    if (!plan.stuck.empty()) {
      state = "stuck";
      reason = plan.stuck;
    } else if (plan.satisfied == plan.files) {
      state = "ok";
      reason = std::to_string(plan.files) + " files, " + std::to_string(rule.copies) +
               " copies each";
    } else if (!last_failure.empty() && plan.transfers.empty()) {
      state = "stuck";
      reason = last_failure;
    } else {
      reason = std::to_string(plan.satisfied) + " of " + std::to_string(plan.files) +
               " files have their copies";
    }
    GANTRY_RETURN_IF_ERROR(queue_.SetRuleState(rule.id, state, reason));
  }
  if (queued_any) cv_.notify_all();
  return {};
}

}  // namespace gantry::transfer
