#include "launch/job_exchange.h"

#include <gtest/gtest.h>

namespace gantry::launch {
namespace {

TEST(JobExchangeTest, DeliversAllPairsToEveryNodeOnceAllContributed) {
  std::vector<std::pair<int, size_t>> delivered;
  JobExchange exchange(2, [&](int node, uint64_t, const std::vector<pmi::KeyValue>& pairs) {
    delivered.emplace_back(node, pairs.size());
  });
  ASSERT_TRUE(exchange.Contribute(1, 0, {{"a", "1"}}));
  EXPECT_TRUE(delivered.empty());
  ASSERT_TRUE(exchange.Contribute(0, 0, {{"b", "2"}, {"c", "3"}}));
  EXPECT_EQ(delivered, (std::vector<std::pair<int, size_t>>{{0, 3}, {1, 3}}));
}

TEST(JobExchangeTest, RejectsASecondContributionToTheSameEpoch) {
  JobExchange exchange(2, [](int, uint64_t, const std::vector<pmi::KeyValue>&) {});
  ASSERT_TRUE(exchange.Contribute(0, 4, {}));
  EXPECT_FALSE(exchange.Contribute(0, 4, {}));
  EXPECT_FALSE(exchange.Contribute(5, 4, {}));
}

}  // namespace
}  // namespace gantry::launch
