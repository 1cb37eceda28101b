// libFuzzer target for the ClassAd parser and evaluator. The first byte picks what the
// rest is: an expression, a new-syntax ad, old-syntax ads or a JDL. Anything may fail to
// parse; nothing may crash, hang, leak or break the canonical-text round trip.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "classad/eval.h"
#include "classad/flatten.h"
#include "classad/jdl.h"
#include "classad/matchmaker.h"
#include "classad/parser.h"
#include "classad/unparse.h"

namespace ca = gantry::classad;

namespace {

// Unparsed text must parse again (deep inputs may exceed the nesting bound on reparse).
void CheckReparses(const std::string& text) {
  auto again = ca::ParseExpr(text);
  if (!again && again.error().message().find("nested too deeply") == std::string::npos) {
    std::abort();
  }
}

void ExerciseAd(const ca::ClassAd& ad, const ca::ClassAd& other) {
  ca::EvalOptions options{.now_seconds = 1700000000, .random_seed = 1};
  for (const ca::ClassAd::Attribute& a : ad.attributes()) {
    ca::Value v = ca::EvaluateAttr(ad, a.name, &other, options);
    CheckReparses(ca::Unparse(v));
    CheckReparses(ca::Unparse(*a.expr));
    ca::ExprPtr flat = ca::Flatten(*a.expr, ad);
    CheckReparses(ca::Unparse(*flat));
  }
  ca::MatchAnalysis analysis = ca::AnalyzeMatch(ad, other, options);
  // BulkMatcher (flattened, compiled with slots) must agree with Match (the tree walk).
  ca::BulkMatcher bulk(options);
  bulk.AddJob(ad);
  bulk.AddResource(other);
  const ca::MatchResult& want = analysis.result;
  double rank = bulk.JobRank(0, 0);
  if (bulk.JobAccepts(0, 0) != want.job_accepts || bulk.Matches(0, 0) != want.matches() ||
      !(rank == want.job_rank || (rank != rank && want.job_rank != want.job_rank))) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  static const ca::ClassAd* kTarget = [] {
    auto ad = ca::ParseClassAd(
        "[ Memory = 2048; Cpus = 4; Arch = \"X86_64\"; l = { 1, [ a = 2 ] }; "
        "Requirements = TARGET.RequestMemory <= Memory; self_ref = self_ref ]");
    return new ca::ClassAd(std::move(*ad));
  }();
  switch (data[0] % 4) {
    case 0: {
      auto e = ca::ParseExpr(text);
      if (!e) return 0;
      ca::Value v = ca::Evaluate(**e, kTarget, kTarget);
      CheckReparses(ca::Unparse(**e));
      CheckReparses(ca::Unparse(v));
      (void)ca::Unparse(v.Owned());
      break;
    }
    case 1: {
      auto ad = ca::ParseClassAd(text);
      if (ad) ExerciseAd(*ad, *kTarget);
      break;
    }
    case 2: {
      auto ads = ca::ParseOldClassAds(text);
      if (ads) {
        for (const ca::ClassAd& ad : *ads) ExerciseAd(ad, *kTarget);
      }
      break;
    }
    case 3: {
      auto job = ca::ParseJdl(text);
      if (job && job->parameter_values.size() <= 64) {
        auto ads = ca::ExpandJdl(*job);
        if (ads) {
          for (const ca::ClassAd& ad : *ads) (void)ca::UnparseClassAd(ad);
        }
      }
      break;
    }
  }
  return 0;
}
