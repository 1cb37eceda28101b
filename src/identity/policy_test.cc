#include "identity/policy.h"

#include <gtest/gtest.h>

namespace gantry::identity {
namespace {

Identity Person(std::string subject, std::vector<std::string> groups,
                std::string issuer = "https://iam.example.org/") {
  Identity id;
  id.kind = Kind::kToken;
  id.subject = std::move(subject);
  id.issuer = std::move(issuer);
  AddGroupsAndRoles(groups, id);
  return id;
}

Policy Parsed(std::string_view text) {
  auto policy = Policy::Parse(text);
  EXPECT_TRUE(policy) << policy.error().message();
  return policy.value_or(Policy());
}

constexpr char kPolicy[] = R"(
# who sees which jobs
admin        user:root
see-vo       /cms/Role=admin
submit       /cms/Role=production  prod
steer-agents /ops/Role=admin
)";

TEST(PolicyTest, EveryoneSeesTheirOwnJobsOnly) {
  Policy policy = Parsed(kPolicy);
  Identity alice = Person("alice", {"/cms"});
  Identity bob = Person("bob", {"/cms"});
  EXPECT_TRUE(policy.CanSeeJob(alice, alice));
  Decision d = policy.CanSeeJob(bob, alice);
  EXPECT_FALSE(d);
  EXPECT_EQ(d.reason,
            "the job belongs to alice@https://iam.example.org/; only its owner, an admin or a VO "
            "admin role of its VO may see it");
}

TEST(PolicyTest, TheSameLocalAccountIsTheSamePerson) {
  Identity token = Person("8a3e", {"/cms"});
  token.local_account = "alice";
  Identity local = Person("alice", {}, "local");
  local.local_account = "alice";
  EXPECT_TRUE(Parsed("").CanSeeJob(token, local));
}

TEST(PolicyTest, AVoAdminRoleSeesTheJobsOfItsVoOnly) {
  Policy policy = Parsed(kPolicy);
  Identity admin = Person("carol", {"/cms", "/cms/Role=admin"});
  Identity alice = Person("alice", {"/cms/prod"});
  Identity dave = Person("dave", {"/atlas"});
  Decision d = policy.CanSeeJob(admin, alice);
  EXPECT_TRUE(d);
  EXPECT_EQ(d.reason, "see-vo /cms/Role=admin");
  EXPECT_FALSE(policy.CanSeeJob(admin, dave));
}

TEST(PolicyTest, AnAdminSeesEverything) {
  Policy policy = Parsed(kPolicy);
  Identity root = Person("root", {}, "local");
  EXPECT_TRUE(policy.IsAdmin(root));
  EXPECT_TRUE(policy.CanSeeJob(root, Person("dave", {"/atlas"})));
  EXPECT_TRUE(policy.CanSubmit(root, "prod"));
  EXPECT_TRUE(policy.CanSteerAgents(root));
}

TEST(PolicyTest, ARestrictedPartitionTakesOnlyItsSubmitters) {
  Policy policy = Parsed(kPolicy);
  Identity production = Person("prod1", {"/cms/Role=production"});
  Identity alice = Person("alice", {"/cms"});
  EXPECT_TRUE(policy.CanSubmit(production, "prod"));
  Decision d = policy.CanSubmit(alice, "prod");
  EXPECT_FALSE(d);
  EXPECT_EQ(d.reason,
            "the policy lets only the 'submit' rules of partition 'prod' submit there, and none "
            "names alice@https://iam.example.org/");
  EXPECT_TRUE(policy.CanSubmit(alice, "default"));
}

TEST(PolicyTest, SteeringAgentsNeedsARule) {
  Policy policy = Parsed(kPolicy);
  EXPECT_TRUE(policy.CanSteerAgents(Person("op", {"/ops/Role=admin"})));
  EXPECT_FALSE(policy.CanSteerAgents(Person("alice", {"/cms"})));
  EXPECT_FALSE(policy.CanSteerAgents(Person("ops-member", {"/ops"})));
}

TEST(PolicyTest, GroupRulesCoverSubgroupsAndIssuerRulesTheIssuer) {
  Policy policy = Parsed("submit /cms gpu\nsubmit issuer:https://other/ gpu\n");
  EXPECT_TRUE(policy.CanSubmit(Person("a", {"/cms/prod"}), "gpu"));
  EXPECT_TRUE(policy.CanSubmit(Person("b", {}, "https://other/"), "gpu"));
  EXPECT_FALSE(policy.CanSubmit(Person("c", {"/atlas"}), "gpu"));
}

TEST(PolicyTest, BadLinesAreRefusedWithTheirNumber) {
  struct Case {
    const char* text;
    const char* error;
  } cases[] = {
      {"admin\n", "policy:1: expected 'admin WHO', 'see-vo ROLE', 'submit WHO PARTITION' or "
                  "'steer-agents WHO'"},
      {"\nsee-all /cms\n", "policy:2: unknown rule 'see-all'"},
      {"see-vo /cms\n", "policy:1: see-vo takes a role such as /cms/Role=admin, not '/cms'"},
      {"admin bob\n", "policy:1: 'bob' is not a group, a role, user:NAME, issuer:URL or any"},
  };
  for (const Case& c : cases) {
    auto policy = Policy::Parse(c.text);
    ASSERT_FALSE(policy) << c.text;
    EXPECT_EQ(policy.error().message(), c.error);
  }
}

}  // namespace
}  // namespace gantry::identity
