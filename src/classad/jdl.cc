#include "classad/jdl.h"

#include <string>
#include <utility>

#include "classad/eval.h"
#include "classad/parser.h"
#include "classad/unparse.h"

namespace gantry::classad {
namespace {

constexpr std::string_view kKnown[] = {
    "type",          "jobtype",        "executable",     "arguments",
    "stdinput",      "stdoutput",      "stderror",       "inputsandbox",
    "outputsandbox", "environment",    "retrycount",     "shallowretrycount",
    "parameters",    "parameterstart", "parameterstep",  "requirements",
    "rank",
};

bool IsKnown(std::string_view lower) {
  for (std::string_view k : kKnown) {
    if (k == lower) return true;
  }
  return false;
}

// Blanks "#" and "//" comment lines (columns are kept: error positions stay true) and adds
// the optional outer brackets.
std::string Prepare(std::string_view text) {
  std::string out(text);
  size_t line_start = 0;
  while (line_start < out.size()) {
    size_t end = out.find('\n', line_start);
    if (end == std::string::npos) end = out.size();
    size_t first = out.find_first_not_of(" \t\r", line_start);
    if (first < end && (out[first] == '#' || out.compare(first, 2, "//") == 0)) {
      for (size_t i = first; i < end; ++i) out[i] = ' ';
    }
    line_start = end + 1;
  }
  size_t first = out.find_first_not_of(" \t\r\n");
  if (first == std::string::npos || out[first] != '[') {
    // Same line and columns for errors past the first line.
    out = "[" + out + "\n]";
  }
  return out;
}

Result<std::string> StringAttr(const ClassAd& ad, std::string_view name) {
  Value v = EvaluateAttr(ad, name);
  if (v.IsUndefined()) return std::string();
  if (!v.IsString()) return Fail(InvalidArgument("JDL attribute " + std::string(name) +
                                                 " must be a string"));
  return std::string(v.string());
}

Result<int64_t> IntegerAttr(const ClassAd& ad, std::string_view name, int64_t fallback) {
  Value v = EvaluateAttr(ad, name);
  if (v.IsUndefined()) return fallback;
  if (!v.IsInteger()) return Fail(InvalidArgument("JDL attribute " + std::string(name) +
                                                  " must be an integer"));
  return v.integer();
}

// A list of strings, or a single string meaning a one-element list.
Result<std::vector<std::string>> StringListAttr(const ClassAd& ad, std::string_view name) {
  Value v = EvaluateAttr(ad, name);
  std::vector<std::string> out;
  if (v.IsUndefined()) return out;
  if (v.IsString()) {
    out.emplace_back(v.string());
    return out;
  }
  if (v.IsList()) {
    for (const Value& item : v.list()) {
      if (!item.IsString()) break;
      out.emplace_back(item.string());
    }
    if (out.size() == v.list().size()) return out;
  }
  return Fail(InvalidArgument("JDL attribute " + std::string(name) +
                              " must be a string or a list of strings"));
}

Status ReadParameters(JdlJob& job) {
  GANTRY_ASSIGN_OR_RETURN(job.parameter_start, IntegerAttr(job.ad, "ParameterStart", 0));
  GANTRY_ASSIGN_OR_RETURN(job.parameter_step, IntegerAttr(job.ad, "ParameterStep", 1));
  Value p = EvaluateAttr(job.ad, "Parameters");
  if (p.IsList()) {
    for (const Value& item : p.list()) {
      if (item.IsString()) {
        job.parameter_values.emplace_back(item.string());
      } else if (item.IsInteger() || item.IsReal()) {
        job.parameter_values.push_back(Unparse(item));
      } else {
        return Fail(InvalidArgument("JDL Parameters list may hold only strings and numbers"));
      }
    }
    return {};
  }
  if (!p.IsInteger()) {
    return Fail(InvalidArgument(
        "a Parametric JDL job needs Parameters: an integer bound or a list of values"));
  }
  if (job.parameter_step <= 0) return Fail(InvalidArgument("JDL ParameterStep must be > 0"));
  int64_t bound = p.integer();
  if (bound > job.parameter_start &&
      (bound - job.parameter_start) / job.parameter_step > kMaxJdlParameters) {
    return Fail(InvalidArgument("JDL Parameters gives more than " +
                                std::to_string(kMaxJdlParameters) + " jobs"));
  }
  for (int64_t v = job.parameter_start; v < bound; v += job.parameter_step) {
    job.parameter_values.push_back(std::to_string(v));
  }
  return {};
}

void ReplaceAll(std::string& s, std::string_view from, std::string_view to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
}

// Rewrites every string literal under `e` with _PARAM_ replaced.
void Substitute(Expr& e, std::string_view value);

Value SubstituteValue(const Value& v, std::string_view value) {
  if (v.IsString()) {
    std::string s(v.string());
    ReplaceAll(s, "_PARAM_", value);
    return Value::String(std::move(s));
  }
  if (v.IsList()) {
    ValueList items;
    for (const Value& item : v.list()) items.push_back(SubstituteValue(item, value));
    return Value::List(std::move(items));
  }
  return v.Owned();
}

void Substitute(Expr& e, std::string_view value) {
  if (e.kind == ExprKind::kLiteral) e.value = SubstituteValue(e.value, value);
  for (ExprPtr& c : e.children) Substitute(*c, value);
  if (e.kind == ExprKind::kList && e.items != nullptr) {
    for (size_t i = 0; i < e.children.size(); ++i) (*e.items)[i] = e.children[i]->value.View();
  }
  if (e.ad != nullptr) {
    ClassAd rewritten;
    for (const ClassAd::Attribute& a : e.ad->attributes()) {
      ExprPtr copy = a.expr->Clone();
      Substitute(*copy, value);
      rewritten.Insert(a.name, std::move(copy));
    }
    *e.ad = std::move(rewritten);
  }
}

}  // namespace

JdlJob::JdlJob(const JdlJob& o) { *this = o; }

JdlJob& JdlJob::operator=(const JdlJob& o) {
  if (this == &o) return *this;
  job_type = o.job_type;
  executable = o.executable;
  arguments = o.arguments;
  std_input = o.std_input;
  std_output = o.std_output;
  std_error = o.std_error;
  input_sandbox = o.input_sandbox;
  output_sandbox = o.output_sandbox;
  environment = o.environment;
  retry_count = o.retry_count;
  shallow_retry_count = o.shallow_retry_count;
  parameter_values = o.parameter_values;
  parameter_start = o.parameter_start;
  parameter_step = o.parameter_step;
  requirements = o.requirements ? o.requirements->Clone() : nullptr;
  rank = o.rank ? o.rank->Clone() : nullptr;
  ad = o.ad;
  other = o.other;
  return *this;
}

Result<JdlJob> ParseJdl(std::string_view text) {
  Result<ClassAd> parsed = ParseClassAd(Prepare(text));
  if (!parsed) return Fail(parsed.error());
  JdlJob job;
  job.ad = std::move(*parsed);
  GANTRY_ASSIGN_OR_RETURN(std::string type, StringAttr(job.ad, "Type"));
  if (!type.empty() && LowerName(type) != "job") {
    return Fail(InvalidArgument("JDL Type \"" + type + "\" is not supported (only \"Job\")"));
  }
  GANTRY_ASSIGN_OR_RETURN(std::string job_type, StringAttr(job.ad, "JobType"));
  std::string lower_type = LowerName(job_type);
  if (lower_type == "parametric") {
    job.job_type = JdlJobType::kParametric;
  } else if (!lower_type.empty() && lower_type != "normal") {
    return Fail(InvalidArgument("JDL JobType \"" + job_type +
                                "\" is not supported (\"Normal\" or \"Parametric\")"));
  }
  GANTRY_ASSIGN_OR_RETURN(job.executable, StringAttr(job.ad, "Executable"));
  if (job.executable.empty()) return Fail(InvalidArgument("JDL has no Executable"));
  GANTRY_ASSIGN_OR_RETURN(job.arguments, StringAttr(job.ad, "Arguments"));
  GANTRY_ASSIGN_OR_RETURN(job.std_input, StringAttr(job.ad, "StdInput"));
  GANTRY_ASSIGN_OR_RETURN(job.std_output, StringAttr(job.ad, "StdOutput"));
  GANTRY_ASSIGN_OR_RETURN(job.std_error, StringAttr(job.ad, "StdError"));
  GANTRY_ASSIGN_OR_RETURN(job.input_sandbox, StringListAttr(job.ad, "InputSandbox"));
  GANTRY_ASSIGN_OR_RETURN(job.output_sandbox, StringListAttr(job.ad, "OutputSandbox"));
  GANTRY_ASSIGN_OR_RETURN(job.environment, StringListAttr(job.ad, "Environment"));
  GANTRY_ASSIGN_OR_RETURN(job.retry_count, IntegerAttr(job.ad, "RetryCount", 0));
  GANTRY_ASSIGN_OR_RETURN(job.shallow_retry_count, IntegerAttr(job.ad, "ShallowRetryCount", 0));
  if (job.retry_count < 0 || job.shallow_retry_count < 0) {
    return Fail(InvalidArgument("JDL RetryCount and ShallowRetryCount must be >= 0"));
  }
  if (job.job_type == JdlJobType::kParametric) GANTRY_RETURN_IF_ERROR(ReadParameters(job));
  if (const Expr* e = job.ad.Lookup("Requirements")) job.requirements = e->Clone();
  if (const Expr* e = job.ad.Lookup("Rank")) job.rank = e->Clone();
  for (const ClassAd::Attribute& a : job.ad.attributes()) {
    if (!IsKnown(a.lower)) job.other.Insert(a.name, a.expr->Clone());
  }
  return job;
}

Result<std::vector<ClassAd>> ExpandJdl(const JdlJob& job) {
  std::vector<ClassAd> out;
  if (job.job_type == JdlJobType::kNormal) {
    out.push_back(job.ad);
    return out;
  }
  out.reserve(job.parameter_values.size());
  for (const std::string& value : job.parameter_values) {
    ClassAd ad;
    for (const ClassAd::Attribute& a : job.ad.attributes()) {
      if (a.lower == "parameters" || a.lower == "parameterstart" ||
          a.lower == "parameterstep") {
        continue;
      }
      ExprPtr copy = a.expr->Clone();
      Substitute(*copy, value);
      ad.Insert(a.name, std::move(copy));
    }
    std::string_view spelled = job.ad.SpelledName("JobType");
    ad.InsertString(spelled.empty() ? "JobType" : spelled, "Normal");
    out.push_back(std::move(ad));
  }
  return out;
}

}  // namespace gantry::classad
