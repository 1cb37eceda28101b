// BulkMatcher's compiled fast path must give exactly what Match (the tree evaluator) gives:
// checked on hand-picked cases and on random expressions over ads with every value type.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "classad/flatten.h"
#include "classad/internal/compiled.h"
#include "classad/matchmaker.h"
#include "classad/parser.h"
#include "classad/unparse.h"

namespace gantry::classad {
namespace {

ClassAd Ad(const std::string& text) {
  Result<ClassAd> ad = ParseClassAd(text);
  EXPECT_TRUE(ad.has_value()) << text << ": " << ad.error().message();
  return ad.value_or(ClassAd{});
}

// Asserts that BulkMatcher and Match agree on every pair of `jobs` x `resources`.
void ExpectSameAsMatch(const std::vector<ClassAd>& jobs, const std::vector<ClassAd>& resources) {
  BulkMatcher bulk;
  // Interleaved adds: slots must be extended for names that appear later.
  size_t j = 0, r = 0;
  while (j < jobs.size() || r < resources.size()) {
    if (j < jobs.size()) bulk.AddJob(jobs[j++]);
    if (r < resources.size()) bulk.AddResource(resources[r++]);
  }
  for (size_t a = 0; a < jobs.size(); ++a) {
    for (size_t b = 0; b < resources.size(); ++b) {
      MatchResult want = Match(jobs[a], resources[b]);
      SCOPED_TRACE("job " + UnparseClassAd(jobs[a]) + "\nresource " +
                   UnparseClassAd(resources[b]));
      ASSERT_EQ(bulk.JobAccepts(a, b), want.job_accepts);
      ASSERT_EQ(bulk.Matches(a, b), want.matches());
      ASSERT_EQ(bulk.JobRank(a, b), want.job_rank);
    }
  }
}

TEST(CompiledTest, TypicalRequirementsCompileToSlotsAndAgreeWithMatch) {
  ClassAd job = Ad(R"([ RequestMemory = 2048; RequestCpus = 2; Sites = { "CERN", "RAL" };
      Requirements = TARGET.Memory >= MY.RequestMemory && TARGET.Cpus >= RequestCpus &&
                     TARGET.Arch == "x86_64" && member(TARGET.Site, MY.Sites);
      Rank = TARGET.Memory / 1024 ])");
  internal::SlotNames names;
  ClassAd copy = job;
  Result<ExprPtr> flat = ParseExpr(
      "TARGET.Memory >= 2048 && TARGET.Cpus >= 2 && TARGET.Arch == \"x86_64\" && "
      "member(TARGET.Site, { \"CERN\", \"RAL\" })");
  ASSERT_TRUE(flat.has_value());
  EXPECT_TRUE(internal::Program::Compile(**flat, copy, names).has_value());
  EXPECT_EQ(names.size(), 4u);
  std::vector<ClassAd> resources = {
      Ad(R"([ Memory = 4096; Cpus = 4; Arch = "X86_64"; Site = "ral"; START = true ])"),
      Ad(R"([ Memory = 1024; Cpus = 4; Arch = "X86_64"; Site = "RAL" ])"),
      Ad(R"([ Memory = 4096.5; Cpus = 4; Arch = "X86_64"; Site = "FNAL" ])"),
      Ad(R"([ Memory = 4096; Cpus = true; Arch = "X86_64"; Site = "CERN" ])"),
      Ad(R"([ Memory = Total - 1; Total = 8193; Cpus = 2; Arch = "x86_64"; Site = "CERN";
              START = TARGET.RequestCpus <= Cpus ])"),
      Ad(R"([ Cpus = 2; Arch = "x86_64"; Site = "CERN" ])"),
      Ad(R"([ Memory = "lots"; Cpus = 2; Arch = "x86_64"; Site = { "CERN" } ])"),
      Ad(R"([ Memory = [ a = 1 ]; Cpus = 2; Arch = 3; Site = error ])"),
  };
  ExpectSameAsMatch({job}, resources);
}

TEST(CompiledTest, ExpressionsOutsideTheSubsetFallBackToTheEvaluator) {
  std::vector<ClassAd> jobs = {
      Ad(R"([ Requirements = strcat(TARGET.Name, "x") == "ax" ])"),
      Ad(R"([ Requirements = TARGET.Memory > TARGET.Limit ?: false; Limit = TARGET.X ])"),
      Ad(R"([ Requirements = TARGET =?= undefined ])"),
      Ad(R"([ Requirements = .Foo; Foo = true ])"),
      Ad(R"([ Requirements = TARGET.Nested.a == 1 ])"),
  };
  std::vector<ClassAd> resources = {
      Ad(R"([ Name = "a"; Memory = 2; Limit = 1; Nested = [ a = 1 ] ])"),
      Ad(R"([ Name = "b"; Memory = 1; Requirements = MY.Foo =!= undefined ])"),
  };
  ExpectSameAsMatch(jobs, resources);
}

// Random expressions over ads holding every kind of value.
class RandomExpr {
 public:
  explicit RandomExpr(uint32_t seed) : rng_(seed) {}

  std::string Expr(int depth) {
    if (depth <= 0 || Pick(4) == 0) return Leaf();
    static const char* kBinary[] = {"&&", "||", "==", "!=", "<", "<=", ">", ">=", "+", "-",
                                    "*",  "/",  "%",  "=?=", "=!=", "?:", "&", "|"};
    switch (Pick(6)) {
      case 0: return "!" + Expr(depth - 1);
      case 1: return "-(" + Expr(depth - 1) + ")";
      case 2: return "(" + Expr(depth - 1) + " ? " + Expr(depth - 1) + " : " + Expr(depth - 1) + ")";
      case 3: return "member(" + Expr(depth - 1) + ", " + Expr(depth - 1) + ")";
      default:
        return "(" + Expr(depth - 1) + " " + kBinary[Pick(std::size(kBinary))] + " " +
               Expr(depth - 1) + ")";
    }
  }

  std::string Value() {
    static const char* kValues[] = {
        "0", "1", "2", "-3", "2.5", "0.0", "true", "false", "undefined", "error",
        "\"a\"", "\"A\"", "\"b\"", "{ 1, \"a\", 2.0 }", "{ }", "X0 + 1", "TARGET.Y1",
        "[ q = 1 ]", "9223372036854775807"};
    return kValues[Pick(std::size(kValues))];
  }

  std::string Ad(int attributes, const char* prefix) {
    std::string text = "[ ";
    for (int i = 0; i < attributes; ++i) {
      if (Pick(5) == 0) continue;  // absent
      text += std::string(prefix) + std::to_string(i) + " = " + Value() + "; ";
    }
    return text;
  }

 private:
  std::string Leaf() {
    switch (Pick(5)) {
      case 0: return Value();
      case 1: return "MY.X" + std::to_string(Pick(4));
      case 2: return "TARGET.Y" + std::to_string(Pick(4));
      case 3: return "Y" + std::to_string(Pick(4));
      default: return "X" + std::to_string(Pick(4));
    }
  }
  size_t Pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  std::mt19937 rng_;
};

TEST(CompiledTest, RandomExpressionsAgreeWithMatch) {
  RandomExpr gen(20240321);
  int compiled = 0, total = 0;
  for (int round = 0; round < 40; ++round) {
    std::vector<ClassAd> jobs, resources;
    for (int i = 0; i < 12; ++i) {
      jobs.push_back(Ad(gen.Ad(4, "X") + "Requirements = " + gen.Expr(4) + "; Rank = " +
                        gen.Expr(2) + " ]"));
      resources.push_back(Ad(gen.Ad(4, "Y") + "START = " + gen.Expr(3) + " ]"));
      internal::SlotNames names;
      ExprPtr flat = Flatten(*jobs.back().Lookup("Requirements"), jobs.back());
      compiled += internal::Program::Compile(*flat, jobs.back(), names).has_value();
      ++total;
    }
    ExpectSameAsMatch(jobs, resources);
    if (HasFatalFailure()) return;
  }
  // Most random expressions must take the compiled path, or this test proves little.
  EXPECT_GT(compiled, total / 2) << compiled << " of " << total << " compiled";
}

}  // namespace
}  // namespace gantry::classad
