#include "model/job_spec_json.h"

#include <gtest/gtest.h>

#include <fstream>

namespace gantry::model {
namespace {

using nlohmann::json;

JobSpec Sample() {
  JobSpec s;
  s.name = "x";
  s.script = "#!/bin/sh\ntrue\n";
  s.submit_dir = s.working_dir = "/tmp";
  s.ntasks = 2;
  s.environment = {{"A", "1"}};
  s.array = ArraySpec{{1, 3, 5}, 2, "1-5:2%2"};
  s.dependencies = {{DependencyType::kAfterNotOk, {"7", "8_1"}}};
  return s;
}

TEST(JobSpecJsonTest, RoundTrips) {
  JobSpec s = Sample();
  auto back = JobSpecFromJson(JobSpecToJson(s));
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(JobSpecToJson(*back), JobSpecToJson(s));
  EXPECT_EQ(back->array->task_ids, (std::vector<int64_t>{1, 3, 5}));
  EXPECT_EQ(back->dependencies[0].type, DependencyType::kAfterNotOk);
}

TEST(JobSpecJsonTest, ArrayTaskIdsTravelAsRuns) {
  JobSpec s = Sample();
  s.array->task_ids.clear();
  for (int64_t i = 0; i < 1'000'000; ++i) s.array->task_ids.push_back(i);
  s.array->task_ids.push_back(2'000'000);
  json j = JobSpecToJson(s);
  EXPECT_EQ(j["array"]["task_runs"].dump(), "[[0,999999,1],[2000000,2000000,1]]");
  EXPECT_FALSE(j["array"].contains("task_ids"));
  // One too many: refused before the runs are expanded.
  auto r = JobSpecFromJson(j);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(),
            "field 'array.task_runs' has too many tasks: an array may have at most 1000000");
  s.array->task_ids = {7, 1, 3, 5, 9, 9};
  auto back = JobSpecFromJson(JobSpecToJson(s));
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(back->array->task_ids, (std::vector<int64_t>{7, 1, 3, 5, 9, 9}));
}

TEST(JobSpecJsonTest, BadRunsAreRefusedByName) {
  json j = JobSpecToJson(Sample());
  j["array"]["task_runs"] = json::parse("[[0, 10, 3]]");
  EXPECT_EQ(JobSpecFromJson(j).error().message(),
            "field 'array.task_runs[0]' is not a run: need first <= last, step >= 1 and last - "
            "first a multiple of step");
  j["array"]["task_runs"] = json::parse("[[0, 1]]");
  EXPECT_EQ(JobSpecFromJson(j).error().message(),
            "field 'array.task_runs[0]' must be [first, last, step] (whole numbers; task ids "
            "from 0 to 4000000)");
  j["array"]["task_ids"] = json::parse("[1]");
  j["array"]["task_runs"] = json::parse("[[0, 1, 1]]");
  EXPECT_EQ(JobSpecFromJson(j).error().message(),
            "give either 'array.task_ids' or 'array.task_runs', not both");
}

TEST(JobSpecJsonTest, RejectsUnknownFieldsByName) {
  auto j = JobSpecToJson(Sample());
  j["colour"] = "red";
  auto r = JobSpecFromJson(j);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(), "unknown field 'colour'");
  j.erase("colour");
  j["array"]["bogus"] = 1;
  EXPECT_EQ(JobSpecFromJson(j).error().message(), "unknown field 'array.bogus'");
}

TEST(JobSpecJsonTest, RejectsWrongTypesByName) {
  auto j = JobSpecToJson(Sample());
  j["ntasks"] = "two";
  auto r = JobSpecFromJson(j);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("'ntasks'"), std::string::npos);
  j = JobSpecToJson(Sample());
  j["dependencies"][0]["type"] = "whenever";
  EXPECT_NE(JobSpecFromJson(j).error().message().find("dependencies[0].type"), std::string::npos);
}

TEST(JobSpecJsonTest, ValidateCatchesNonsense) {
  JobSpec s = Sample();
  EXPECT_TRUE(ValidateJobSpec(s));
  s.script = "echo no shebang";
  EXPECT_FALSE(ValidateJobSpec(s));
  s = Sample();
  s.ntasks = 0;
  EXPECT_FALSE(ValidateJobSpec(s));
  s = Sample();
  s.working_dir = "relative";
  EXPECT_FALSE(ValidateJobSpec(s));
  s = Sample();
  s.array->task_ids = {1, 5, 3};
  auto unordered = ValidateJobSpec(s);
  ASSERT_FALSE(unordered);
  EXPECT_EQ(unordered.error().message(),
            "array task ids must be in ascending order without repeats (5 before 3)");
  s.array->task_ids = {1, 3, 3};
  EXPECT_FALSE(ValidateJobSpec(s));
}

// testdata/bad_job_specs.txt: one POST /v1/jobs body per line and what the server answers.
TEST(JobSpecJsonTest, ConformanceFileOfBadBodies) {
  const std::string file = std::string(GANTRY_SOURCE_DIR) + "/src/model/testdata/bad_job_specs.txt";
  std::ifstream in(file);
  ASSERT_TRUE(in.good()) << "cannot open " << file;
  const json base = {
      {"script", "#!/bin/sh\ntrue\n"}, {"submit_dir", "/tmp"}, {"working_dir", "/tmp"}};
  std::string line;
  int number = 0, cases = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    SCOPED_TRACE("bad_job_specs.txt:" + std::to_string(number) + ": " + line);
    size_t arrow = line.rfind(" => ");
    ASSERT_NE(arrow, std::string::npos);
    json body = base;
    body.update(json::parse(line.substr(0, arrow)));
    std::string expected = line.substr(arrow + 4);
    auto spec = JobSpecFromJson(body);
    Status valid = spec ? ValidateJobSpec(*spec) : Status(std::unexpected(spec.error()));
    if (expected == "ok") {
      EXPECT_TRUE(valid) << valid.error().message();
    } else {
      ASSERT_TRUE(expected.starts_with("error: ")) << "expected 'ok' or 'error: MESSAGE'";
      ASSERT_FALSE(valid) << "accepted";
      EXPECT_EQ(valid.error().code(), ErrorCode::kInvalidArgument);
      EXPECT_EQ(valid.error().message(), expected.substr(7));
    }
    ++cases;
  }
  EXPECT_GT(cases, 50);
}

TEST(JobSpecJsonTest, NullNameIsAbsentNotUnknown) {
  json j = JobSpecToJson(Sample());
  j["name"] = nullptr;
  auto r = JobSpecFromJson(j);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->name, "");
}

TEST(JobSpecJsonTest, ArrayRunReachingInt64MaxEndsAndIsRefused) {
  // Regression: the expansion loop wrapped past INT64_MAX and never ended (std::bad_alloc).
  json j = JobSpecToJson(Sample());
  j["array"]["task_runs"] = json::parse("[[9223372036854775806, 9223372036854775807, 1]]");
  auto r = JobSpecFromJson(j);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->array->task_ids, (std::vector<int64_t>{9223372036854775806, 9223372036854775807}));
  EXPECT_FALSE(ValidateJobSpec(*r));
}

}  // namespace
}  // namespace gantry::model
