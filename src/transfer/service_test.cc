#include "transfer/service.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include <unistd.h>

#include "base/file.h"
#include "base/temp_dir.h"
#include "catalog/checksum.h"

namespace gantry::transfer {
namespace {

using catalog::Did;
using catalog::ReplicaState;

model::Identity Admin() {
  model::Identity id;
  id.kind = model::IdentityKind::kLocal;
  id.subject = "root";
  id.issuer = "local";
  id.grants.admin = true;
  return id;
}

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    catalog_ = std::move(*catalog::Catalog::Open(dir_.File("data.db"), clock_));
    queue_ = std::move(*TransferQueue::Open(dir_.File("transfers.db"), clock_));
    for (const char* rse : {"A", "B", "C"}) {
      ASSERT_TRUE(MakeDirs(dir_.File(rse)));
      ASSERT_TRUE(catalog_->AddRse(admin_, {rse, std::string("SITE_") + rse, {{"tier", "2"}},
                                            {{"file", "file://" + dir_.File(rse)}}}));
    }
    ASSERT_TRUE(catalog_->AddRse(admin_, {"FAR", "FAR", {{"tier", "3"}},
                                          {{"root", "root://127.0.0.1:1//data"}}}));
  }
  void TearDown() override {
    if (service_) service_->Stop();
  }

  void StartService(int max_attempts = 3) {
    ServiceOptions o;
    o.workers = 4;
    o.retry.max_attempts = max_attempts;
    o.retry.base_delay = 10'000;
    o.rule_interval = 100'000;
    std::map<std::string, std::unique_ptr<Storage>> storages;
    storages["file"] = NewFileStorage();
    storages["root"] = NewXrootdStorage(2);
    auto s = TransferService::Start(*catalog_, *queue_, clock_, std::move(storages), o);
    ASSERT_TRUE(s) << s.error().message();
    service_ = std::move(*s);
  }

  // A file of n bytes at RSE rse, registered available.
  std::string AddFile(const std::string& name, const std::string& rse, size_t n) {
    std::string data(n, 0);
    for (size_t i = 0; i < n; ++i) data[i] = static_cast<char>((i * 7 + name.size()) % 253);
    EXPECT_TRUE(MakeDirs(dir_.File(rse + "/cms")));
    EXPECT_TRUE(WriteFileAtomic(dir_.File(rse + "/cms/" + name), data));
    catalog::Adler32 a;
    a.Update(data);
    std::vector<catalog::NewReplica> r = {
        {{{"cms", name}, catalog::DidType::kFile, static_cast<int64_t>(n), a.Hex(), "", {}},
         "",
         ReplicaState::kAvailable}};
    EXPECT_TRUE(catalog_->AddReplicas(admin_, rse, r));
    return data;
  }

  std::optional<ReplicaState> StateOn(const std::string& name, const std::string& rse) {
    auto files = catalog_->ListReplicas(admin_, {"cms", name});
    if (!files) return std::nullopt;
    for (const auto& r : (*files)[0].replicas) {
      if (r.rse == rse) return r.state;
    }
    return std::nullopt;
  }

  // Waits (bounded) until the transfer has ended; returns it.
  Transfer WaitEnded(int64_t id) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      auto t = queue_->Get(id);
      if (t && (t->state == TransferState::kDone || t->state == TransferState::kFailed ||
                t->state == TransferState::kCancelled)) {
        return *t;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "transfer " << id << " did not end";
    return *queue_->Get(id);
  }

  std::string EventTypes(int64_t id) {
    std::string out;
    auto events = queue_->Events(id);
    for (const auto& e : *events) out += (out.empty() ? "" : " ") + e.type;
    return out;
  }

  template <typename F>
  bool Eventually(F f) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      if (f()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  TempDir dir_;
  SystemClock clock_;
  model::Identity admin_ = Admin();
  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<TransferQueue> queue_;
  std::unique_ptr<TransferService> service_;
};

TEST_F(ServiceTest, ReplicatesAFileVerifiedAndRegistersItAvailable) {
  std::string data = AddFile("f1", "A", 200'000);
  StartService();
  auto ids = service_->Replicate(admin_, {"cms", "f1"}, "B", 3);
  ASSERT_TRUE(ids) << ids.error().message();
  ASSERT_EQ(ids->size(), 1u);
  Transfer t = WaitEnded((*ids)[0]);
  EXPECT_EQ(t.state, TransferState::kDone) << t.last_error;
  EXPECT_EQ(*ReadFile(dir_.File("B/cms/f1")), data);
  EXPECT_EQ(StateOn("f1", "B"), ReplicaState::kAvailable);
  EXPECT_EQ(EventTypes(t.id), "queued started done");
  // Asking again queues nothing: it is there.
  EXPECT_TRUE(service_->Replicate(admin_, {"cms", "f1"}, "B", 3)->empty());
}

TEST_F(ServiceTest, ASourceWhoseBytesChangedIsMarkedBadAndAnotherServes) {
  std::string data = AddFile("f2", "A", 100'000);
  ASSERT_TRUE(MakeDirs(dir_.File("C/cms")));
  ASSERT_TRUE(WriteFileAtomic(dir_.File("C/cms/f2"), data));
  std::string adler = catalog_->GetDid(admin_, {"cms", "f2"})->adler32;
  std::vector<catalog::NewReplica> at_c = {
      {{{"cms", "f2"}, catalog::DidType::kFile, 100'000, adler, "", {}},
       "",
       ReplicaState::kAvailable}};
  ASSERT_TRUE(catalog_->AddReplicas(admin_, "C", at_c));
  std::string corrupt = data;
  corrupt[500] ^= 1;
  ASSERT_TRUE(WriteFileAtomic(dir_.File("A/cms/f2"), corrupt));
  StartService();
  TransferRequest req;
  req.scope = "cms";
  req.name = "f2";
  req.source_rse = "A";  // the bad one first
  req.dest_rse = "B";
  auto id = queue_->Enqueue(req);
  ASSERT_TRUE(id);
  Transfer t = WaitEnded(*id);
  EXPECT_EQ(t.state, TransferState::kDone) << t.last_error;
  EXPECT_EQ(StateOn("f2", "A"), ReplicaState::kBad);
  EXPECT_EQ(*ReadFile(dir_.File("B/cms/f2")), data);
  EXPECT_NE(EventTypes(*id).find("bad-source"), std::string::npos) << EventTypes(*id);
}

TEST_F(ServiceTest, NoSuchFileIsNotRetriedAndRegistersNothing) {
  AddFile("gone", "A", 1000);
  ASSERT_EQ(unlink(dir_.File("A/cms/gone").c_str()), 0);
  StartService();
  auto ids = service_->Replicate(admin_, {"cms", "gone"}, "B", 3);
  ASSERT_TRUE(ids);
  Transfer t = WaitEnded((*ids)[0]);
  EXPECT_EQ(t.state, TransferState::kFailed);
  EXPECT_EQ(t.attempts, 1);
  EXPECT_NE(t.last_error.find("not recoverable"), std::string::npos) << t.last_error;
  EXPECT_EQ(StateOn("gone", "B"), std::nullopt);
  EXPECT_FALSE(FileExists(dir_.File("B/cms/gone")));
}

TEST_F(ServiceTest, AnUnreachableEndpointIsRetriedWithBackoffThenFails) {
  AddFile("far", "A", 1000);
  StartService(/*max_attempts=*/2);
  auto ids = service_->Replicate(admin_, {"cms", "far"}, "FAR", 3);
  ASSERT_TRUE(ids);
  Transfer t = WaitEnded((*ids)[0]);
  EXPECT_EQ(t.state, TransferState::kFailed);
  EXPECT_EQ(t.attempts, 2);
  EXPECT_EQ(EventTypes(t.id), "queued started retry started failed");
  EXPECT_NE(t.last_error.find("giving up"), std::string::npos) << t.last_error;
  EXPECT_EQ(StateOn("far", "FAR"), std::nullopt);
}

TEST_F(ServiceTest, ARuleMakesItsCopiesAndRepairsABadOne) {
  std::string data = AddFile("r1", "A", 50'000);
  ASSERT_TRUE(catalog_->AddDid(admin_, {{"cms", "ds"}, catalog::DidType::kDataset, 0, "", "", {}}));
  std::vector<Did> files = {{"cms", "r1"}};
  ASSERT_TRUE(catalog_->Attach(admin_, {"cms", "ds"}, files));
  StartService();
  auto few = service_->AddRule(admin_, {"cms", "ds"}, 5, "tier=2", 0);
  ASSERT_FALSE(few);
  EXPECT_NE(few.error().message().find("fewer than the 5 copies"), std::string::npos);
  auto rule = service_->AddRule(admin_, {"cms", "ds"}, 3, "tier=2", 3600);
  ASSERT_TRUE(rule) << rule.error().message();
  ASSERT_TRUE(Eventually([&] { return queue_->GetRule(*rule)->state == "ok"; }))
      << queue_->GetRule(*rule)->reason;
  EXPECT_EQ(StateOn("r1", "B"), ReplicaState::kAvailable);
  EXPECT_EQ(StateOn("r1", "C"), ReplicaState::kAvailable);
  // A copy goes bad: the rule repairs it from a good one.
  ASSERT_TRUE(WriteFileAtomic(dir_.File("C/cms/r1"), "garbage"));
  ASSERT_TRUE(catalog_->SetReplicaState(admin_, "C", {"cms", "r1"}, ReplicaState::kBad));
  ASSERT_TRUE(Eventually([&] { return StateOn("r1", "C") == ReplicaState::kAvailable; }));
  EXPECT_EQ(*ReadFile(dir_.File("C/cms/r1")), data);
  EXPECT_TRUE(Eventually([&] { return queue_->GetRule(*rule)->state == "ok"; }));
}

TEST_F(ServiceTest, AnAttemptLostWithTheServerIsQueuedAgainAndItsPartialFileRemoved) {
  AddFile("lost", "A", 10'000);
  TransferRequest req;
  req.scope = "cms";
  req.name = "lost";
  req.source_rse = "A";
  req.dest_rse = "B";
  auto id = queue_->Enqueue(req);
  ASSERT_TRUE(id);
  // A previous server claimed it, wrote half a temporary and died.
  auto claimed = queue_->ClaimNext([](const Transfer&) { return true; });
  ASSERT_TRUE(claimed && *claimed);
  std::string dest = dir_.File("B/cms/lost");
  ASSERT_TRUE(queue_->SetEnds(*id, "A", "file://" + dir_.File("A/cms/lost"), "file://" + dest));
  ASSERT_TRUE(MakeDirs(dir_.File("B/cms")));
  std::string temp = dest + ".gantry-part-t" + std::to_string(*id);
  ASSERT_TRUE(WriteFileAtomic(temp, "half"));
  StartService();
  Transfer t = WaitEnded(*id);
  EXPECT_EQ(t.state, TransferState::kDone) << t.last_error;
  EXPECT_EQ(t.attempts, 2);
  EXPECT_NE(EventTypes(*id).find("lost"), std::string::npos);
  EXPECT_FALSE(FileExists(temp));
  EXPECT_EQ(StateOn("lost", "B"), ReplicaState::kAvailable);
}

TEST_F(ServiceTest, VerifyMarksAReplicaWhoseBytesChangedBad) {
  AddFile("v", "A", 5000);
  AddFile("w", "B", 5000);
  StartService();
  ASSERT_TRUE(WriteFileAtomic(dir_.File("A/cms/v"), "changed"));
  auto rows = service_->Verify(admin_, {"cms", "v"}, "");
  ASSERT_TRUE(rows) << rows.error().message();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].state, "bad");
  EXPECT_EQ(StateOn("v", "A"), ReplicaState::kBad);
  auto good = service_->Verify(admin_, {"cms", "w"}, "B");
  ASSERT_TRUE(good);
  EXPECT_EQ((*good)[0].state, "ok");
  EXPECT_EQ(StateOn("w", "B"), ReplicaState::kAvailable);
}

TEST_F(ServiceTest, HigherPriorityGoesFirst) {
  AddFile("p", "A", 100);
  TransferRequest low, high;
  low.source_url = high.source_url = "file://" + dir_.File("A/cms/p");
  low.dest_url = "file://" + dir_.File("B/low");
  high.dest_url = "file://" + dir_.File("B/high");
  low.priority = 1;
  high.priority = 5;
  ASSERT_TRUE(queue_->Enqueue(low));
  ASSERT_TRUE(queue_->Enqueue(high));
  auto first = queue_->ClaimNext([](const Transfer&) { return true; });
  ASSERT_TRUE(first && *first);
  EXPECT_EQ((*first)->request.dest_url, high.dest_url);
}

}  // namespace
}  // namespace gantry::transfer
