#include "pmi/simple_server.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace gantry::pmi {
namespace {

// Records what the engine sends; completes barriers by hand.
class FakeHost : public SimpleServerHost {
 public:
  void Send(int client, std::string_view line) override { sent[client].emplace_back(line); }
  void OnLocalBarrier(uint64_t epoch, std::vector<KeyValue> puts) override {
    barriers.push_back(epoch);
    last_puts = std::move(puts);
  }
  void OnAbort(int rank, int exit_code) override { aborts.emplace_back(rank, exit_code); }
  std::string Last(int client) { return sent[client].empty() ? "" : sent[client].back(); }

  std::map<int, std::vector<std::string>> sent;
  std::vector<uint64_t> barriers;
  std::vector<KeyValue> last_puts;
  std::vector<std::pair<int, int>> aborts;
};

class SimpleServerTest : public ::testing::Test {
 protected:
  SimpleServerConfig Config(int size) {
    SimpleServerConfig config;
    config.kvsname = "kvs_7";
    config.size = size;
    config.universe_size = size;
    config.local_clients = size;
    config.preput = {{"PMI_process_mapping", "(vector,(0,1,2))"}};
    return config;
  }
  void Init(SimpleServer& server, int client) {
    ASSERT_TRUE(server.HandleLine(client, "cmd=init pmi_version=1 pmi_subversion=1"));
  }
  FakeHost host_;
};

TEST_F(SimpleServerTest, AnswersTheMpichStartupSequence) {
  SimpleServer server(Config(2), host_);
  int c = server.AddClient(0);
  Init(server, c);
  EXPECT_EQ(host_.Last(c), "cmd=response_to_init pmi_version=1 pmi_subversion=1 rc=0\n");
  ASSERT_TRUE(server.HandleLine(c, "cmd=get_maxes"));
  EXPECT_EQ(host_.Last(c), "cmd=maxes kvsname_max=256 keylen_max=64 vallen_max=1024 rc=0\n");
  ASSERT_TRUE(server.HandleLine(c, "cmd=get_appnum"));
  EXPECT_EQ(host_.Last(c), "cmd=appnum appnum=0 rc=0\n");
  ASSERT_TRUE(server.HandleLine(c, "cmd=get_my_kvsname"));
  EXPECT_EQ(host_.Last(c), "cmd=my_kvsname kvsname=kvs_7 rc=0\n");
  ASSERT_TRUE(server.HandleLine(c, "cmd=get kvsname=kvs_7 key=PMI_process_mapping"));
  EXPECT_EQ(host_.Last(c), "cmd=get_result rc=0 msg=success value=(vector,(0,1,2))\n");
  ASSERT_TRUE(server.HandleLine(c, "cmd=get_universe_size"));
  EXPECT_EQ(host_.Last(c), "cmd=universe_size size=2 rc=0\n");
}

TEST_F(SimpleServerTest, InitackOverTcpAssignsTheRank) {
  SimpleServer server(Config(4), host_);
  int c = server.AddClient(std::nullopt);
  EXPECT_FALSE(server.HandleLine(c, "cmd=init pmi_version=1 pmi_subversion=1"));
  int d = server.AddClient(std::nullopt);
  ASSERT_TRUE(server.HandleLine(d, "cmd=initack pmiid=3"));
  EXPECT_EQ(host_.sent[d], (std::vector<std::string>{"cmd=initack rc=0\n", "cmd=set size=4\n",
                                                    "cmd=set rank=3\n", "cmd=set debug=0\n"}));
  EXPECT_EQ(server.RankOf(d), 3);
}

TEST_F(SimpleServerTest, RejectsInitackForARankOutsideTheJob) {
  SimpleServer server(Config(2), host_);
  int c = server.AddClient(std::nullopt);
  EXPECT_FALSE(server.HandleLine(c, "cmd=initack pmiid=2"));
}

TEST_F(SimpleServerTest, BarrierWaitsForEveryLocalRankThenPublishesPuts) {
  SimpleServer server(Config(2), host_);
  int a = server.AddClient(0), b = server.AddClient(1);
  Init(server, a);
  Init(server, b);
  ASSERT_TRUE(server.HandleLine(a, "cmd=put kvsname=kvs_7 key=card0 value=tcp://x y"));
  EXPECT_EQ(host_.Last(a), "cmd=put_result rc=0 msg=success\n");
  ASSERT_TRUE(server.HandleLine(a, "cmd=barrier_in"));
  EXPECT_TRUE(host_.barriers.empty());
  ASSERT_TRUE(server.HandleLine(b, "cmd=barrier_in"));
  ASSERT_EQ(host_.barriers, std::vector<uint64_t>{0});
  ASSERT_EQ(host_.last_puts.size(), 1u);
  EXPECT_EQ(host_.last_puts[0].second, "tcp://x y");
  EXPECT_EQ(host_.Last(a), "cmd=put_result rc=0 msg=success\n");  // not released yet
  ASSERT_TRUE(server.CompleteBarrier(0, {{"card0", "tcp://x y"}, {"card9", "remote"}}));
  EXPECT_EQ(host_.Last(a), "cmd=barrier_out rc=0\n");
  EXPECT_EQ(host_.Last(b), "cmd=barrier_out rc=0\n");
  ASSERT_TRUE(server.HandleLine(b, "cmd=get kvsname=kvs_7 key=card9"));
  EXPECT_EQ(host_.Last(b), "cmd=get_result rc=0 msg=success value=remote\n");
  EXPECT_EQ(server.epoch(), 1u);
}

TEST_F(SimpleServerTest, AllgatherStoresEachContributionByRank) {
  SimpleServer server(Config(2), host_);
  int a = server.AddClient(0), b = server.AddClient(1);
  Init(server, a);
  Init(server, b);
  ASSERT_TRUE(server.HandleLine(a, "cmd=allgather_in value=zero"));
  ASSERT_TRUE(server.HandleLine(b, "cmd=allgather_in value=one"));
  ASSERT_TRUE(server.CompleteBarrier(0, host_.last_puts));
  EXPECT_EQ(host_.Last(a), "cmd=allgather_out rc=0 epoch=0\n");
  EXPECT_EQ(server.LookupForTest("-gantry-allgather-0-1"), "one");
}

TEST_F(SimpleServerTest, MissingKeyIsAnErrorReplyNotAProtocolError) {
  SimpleServer server(Config(1), host_);
  int c = server.AddClient(0);
  Init(server, c);
  ASSERT_TRUE(server.HandleLine(c, "cmd=get kvsname=kvs_7 key=nope"));
  EXPECT_EQ(host_.Last(c), "cmd=get_result rc=-1 msg=key_not_found\n");
}

TEST_F(SimpleServerTest, AbortIsReportedToTheHost) {
  SimpleServer server(Config(2), host_);
  int c = server.AddClient(1);
  Init(server, c);
  ASSERT_TRUE(server.HandleLine(c, "cmd=abort exitcode=7"));
  ASSERT_EQ(host_.aborts.size(), 1u);
  EXPECT_EQ(host_.aborts[0], std::make_pair(1, 7));
}

TEST_F(SimpleServerTest, GarbageAndUnknownCommandsAreProtocolErrors) {
  SimpleServer server(Config(1), host_);
  int c = server.AddClient(0);
  auto garbage = server.HandleLine(c, "\x01\x02 hello");
  ASSERT_FALSE(garbage);
  EXPECT_NE(garbage.error().message().find("rank 0"), std::string::npos);
  Init(server, c);
  EXPECT_FALSE(server.HandleLine(c, "cmd=frobnicate"));
  EXPECT_FALSE(server.HandleLine(c, std::string(4000, 'x')));
}

TEST_F(SimpleServerTest, ASpawnRequestIsRefusedByName) {
  SimpleServer server(Config(2), host_);
  int c = server.AddClient(1);
  Init(server, c);
  auto spawn = server.HandleLine(c, "mcmd=spawn");
  ASSERT_FALSE(spawn);
  EXPECT_EQ(spawn.error().message(),
            "rank 1 called MPI_Comm_spawn, which gantry run does not support");
}

TEST_F(SimpleServerTest, PmiVersionTwoIsRefused) {
  SimpleServer server(Config(1), host_);
  int c = server.AddClient(0);
  EXPECT_FALSE(server.HandleLine(c, "cmd=init pmi_version=2 pmi_subversion=0"));
  EXPECT_NE(host_.Last(c).find("rc=-1"), std::string::npos);
}

TEST_F(SimpleServerTest, DisconnectInBarrierIsAnErrorNamingTheBarrier) {
  SimpleServer server(Config(2), host_);
  int a = server.AddClient(0);
  server.AddClient(1);
  Init(server, a);
  ASSERT_TRUE(server.HandleLine(a, "cmd=barrier_in"));
  auto status = server.HandleDisconnect(a);
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().message().find("middle of barrier"), std::string::npos);
}

TEST_F(SimpleServerTest, DisconnectAfterFinalizeIsClean) {
  SimpleServer server(Config(1), host_);
  int c = server.AddClient(0);
  Init(server, c);
  ASSERT_TRUE(server.HandleLine(c, "cmd=finalize"));
  EXPECT_EQ(host_.Last(c), "cmd=finalize_ack rc=0\n");
  EXPECT_TRUE(server.AllFinalized());
  EXPECT_TRUE(server.HandleDisconnect(c));
}

TEST_F(SimpleServerTest, DuplicatePutIsRefused) {
  SimpleServer server(Config(1), host_);
  int c = server.AddClient(0);
  Init(server, c);
  ASSERT_TRUE(server.HandleLine(c, "cmd=put kvsname=kvs_7 key=k value=1"));
  ASSERT_TRUE(server.HandleLine(c, "cmd=put kvsname=kvs_7 key=k value=2"));
  EXPECT_EQ(host_.Last(c), "cmd=put_result rc=-1 msg=duplicate_key\n");
}

}  // namespace
}  // namespace gantry::pmi
