#include "submit/jdl_to_spec.h"

#include <cctype>
#include <optional>
#include <utility>
#include <vector>

#include "base/strings.h"
#include "classad/expr.h"
#include "classad/jdl.h"
#include "classad/unparse.h"
#include "model/limits.h"
#include "submit/internal/numbers.h"

namespace gantry::submit {
namespace {

namespace ca = gantry::classad;

constexpr std::string_view kParam = "_PARAM_";
using model::kMaxRetries;  // ValidateJobSpec's bound

// Attributes that become JobSpec fields (or are consumed by the expansion) rather than
// job ClassAd attributes. Lowercase.
constexpr std::string_view kMapped[] = {
    "type",        "jobtype",     "executable",   "arguments",     "stdinput",
    "stdoutput",   "stderror",    "environment",  "retrycount",    "parameters",
    "parameterstart", "parameterstep", "requirements", "rank",        "requestgpus",
};

bool IsMapped(std::string_view lower) {
  for (std::string_view m : kMapped) {
    if (m == lower) return true;
  }
  return false;
}

bool HasParam(std::string_view s) { return s.find(kParam) != std::string_view::npos; }

std::string BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

// 'text' for /bin/sh: nothing inside single quotes is special.
std::string ShellQuote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// Like ShellQuote, but every _PARAM_ becomes "$GANTRY_JDL_PARAM" (when `parametric`).
std::string ShellQuoteParam(std::string_view s, bool parametric) {
  if (!parametric || !HasParam(s)) return ShellQuote(s);
  std::string out;
  size_t start = 0;
  for (size_t at = s.find(kParam); at != std::string_view::npos; at = s.find(kParam, start)) {
    if (at > start) out += ShellQuote(s.substr(start, at - start));
    out += "\"$" + std::string(kJdlParamVariable) + "\"";
    start = at + kParam.size();
  }
  if (start < s.size()) out += ShellQuote(s.substr(start));
  return out;
}

// A file name as a -o/-e pattern ('%' doubled), with _PARAM_ -> `param_as` when given.
// nullopt when a pattern cannot say it (a backslash turns pattern expansion off).
std::optional<std::string> AsPattern(std::string_view name, std::optional<std::string_view> param_as) {
  if (name.find('\\') != std::string_view::npos) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    if (param_as && name.substr(i, kParam.size()) == kParam) {
      out += *param_as;
      i += kParam.size() - 1;
    } else if (name[i] == '%') {
      out += "%%";
    } else {
      out += name[i];
    }
  }
  return out;
}

// The first character that is not blank or inside a "#" / "//" comment line.
char FirstSignificant(std::string_view text) {
  size_t at = 0;
  while (at < text.size()) {
    size_t first = text.find_first_not_of(" \t\r\n", at);
    if (first == std::string_view::npos) return '\0';
    if (text[first] == '#' || text.substr(first, 2) == "//") {
      at = text.find('\n', first);
      if (at == std::string_view::npos) return '\0';
      continue;
    }
    return text[first];
  }
  return '\0';
}

// ParseJdl errors: syntax errors are "LINE:COLUMN: what". Without outer brackets ParseJdl
// parses "[" + text, so columns on line 1 are one too far.
Error JdlError(std::string_view file_name, std::string_view text, const Error& e) {
  const std::string& m = e.message();
  size_t colon1 = m.find(':');
  size_t colon2 = colon1 == std::string::npos ? colon1 : m.find(':', colon1 + 1);
  auto digits = [&](size_t from, size_t to) {
    if (from >= to) return false;
    for (size_t i = from; i < to; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(m[i]))) return false;
    }
    return true;
  };
  if (colon2 != std::string::npos && digits(0, colon1) && digits(colon1 + 1, colon2)) {
    std::string line = m.substr(0, colon1);
    int64_t column = std::stoll(m.substr(colon1 + 1, colon2 - colon1 - 1));
    if (line == "1" && FirstSignificant(text) != '[' && column > 1) --column;
    return InvalidArgument(std::string(file_name) + ":" + line + ":" + std::to_string(column) +
                           ":" + m.substr(colon2 + 1));
  }
  return InvalidArgument(std::string(file_name) + ": " + m);
}

// gLite's "other" (the resource's ad) is TARGET here.
void OtherToTarget(ca::Expr& e) {
  if (e.kind == ca::ExprKind::kSelect && !e.children.empty()) {
    ca::Expr& base = *e.children[0];
    if (base.kind == ca::ExprKind::kAttribute && !base.absolute && base.lower == "other") {
      e.children[0] = ca::MakeAttribute("TARGET", false);
    }
  }
  for (ca::ExprPtr& c : e.children) OtherToTarget(*c);
}

std::string MatchExpression(const ca::JdlJob& job, const ca::ExprPtr& e) {
  if (e == nullptr) return "";
  if (job.ad.Lookup("other") != nullptr) return ca::Unparse(*e);
  ca::ExprPtr copy = e->Clone();
  OtherToTarget(*copy);
  return ca::Unparse(*copy);
}

// Where one of StdOutput/StdError goes: a -o/-e pattern, or a redirection in the script
// (when the name depends on _PARAM_ in a way a pattern cannot express).
struct Stream {
  std::string pattern;       // spec pattern ("" = default / same as stdout)
  std::string redirect;      // shell word for `exec >WORD`, "" = none
};

Stream PlanStream(std::string_view name, bool parametric, bool param_is_task_id) {
  Stream s;
  if (name.empty()) return s;
  bool depends = parametric && HasParam(name);
  std::optional<std::string> pattern =
      AsPattern(name, depends && param_is_task_id ? std::optional<std::string_view>("%a")
                                                  : std::nullopt);
  if (pattern && (!depends || param_is_task_id)) {
    s.pattern = *pattern;
  } else {
    // The batch output goes nowhere until the script's own `exec >file` a few lines in.
    s.pattern = "/dev/null";
    s.redirect = ShellQuoteParam(name, parametric);
  }
  return s;
}

struct Builder {
  const ca::JdlJob& job;
  std::string_view file_name;
  const std::string& submit_dir;
  model::JobSpec& spec;
  bool parametric = false;

  std::string Where() const { return std::string(file_name) + ": "; }

  Status Environment(const std::map<std::string, std::string>& submit_env,
                     std::vector<std::string>& exports) {
    for (const char* name : {"PATH", "HOME", "USER"}) {
      auto it = submit_env.find(name);
      if (it != submit_env.end()) spec.environment[name] = it->second;
    }
    for (const std::string& entry : job.environment) {
      size_t eq = entry.find('=');
      if (eq == std::string::npos || eq == 0) {
        return Fail(InvalidArgument(Where() + "Environment entry \"" + entry +
                                    "\" is not of the form \"NAME=value\""));
      }
      std::string name = entry.substr(0, eq);
      std::string value = entry.substr(eq + 1);
      if (parametric && HasParam(value)) {
        exports.push_back("export " + name + "=" + ShellQuoteParam(value, true));
        spec.environment.erase(name);
      } else {
        spec.environment[name] = value;
      }
    }
    return {};
  }

  std::string Executable() const {
    std::string exe = job.executable;
    if (exe.starts_with("./")) exe = exe.substr(2);
    // gLite ships a relative Executable from the submit host in the InputSandbox; with a
    // shared file system the same file is the one beside the JDL's submit directory.
    if (!exe.starts_with("/")) exe = submit_dir + "/" + exe;
    return ShellQuoteParam(exe, parametric);
  }

  // The parameter of this task, from $GANTRY_ARRAY_TASK_ID (0..N-1): arithmetic for an
  // integer Parameters (any N stays a few lines), a case statement for a list.
  void ParameterLines(std::string& script, bool integer_range) const {
    const std::string var(kJdlParamVariable);
    const std::string n = std::to_string(job.parameter_values.size());
    script += "case \"$GANTRY_ARRAY_TASK_ID\" in\n";
    if (integer_range) {
      script += "  ''|*[!0-9]*) ;;\n  *) [ \"$GANTRY_ARRAY_TASK_ID\" -lt " + n + " ] && " + var +
                "=$((" + std::to_string(job.parameter_start) + " + $GANTRY_ARRAY_TASK_ID * " +
                std::to_string(job.parameter_step) + ")) ;;\n";
    } else {
      for (size_t i = 0; i < job.parameter_values.size(); ++i) {
        script += "  " + std::to_string(i) + ") " + var + "=" +
                  ShellQuote(job.parameter_values[i]) + " ;;\n";
      }
    }
    script += "esac\n"
              "if [ -z \"${" + var + "+set}\" ]; then\n"
              "  echo \"gantry: array task '$GANTRY_ARRAY_TASK_ID' has no JDL parameter\" >&2\n"
              "  exit 1\n"
              "fi\n"
              "export " + var + "\n";
  }

  // A relative Executable that the InputSandbox ships: the submit directory's copy where the
  // agent shares it, else the sandbox's, which lands by name in the working directory.
  std::string SandboxedExecutable() const {
    std::string exe = job.executable;
    if (exe.starts_with("./")) exe = exe.substr(2);
    if (exe.empty() || exe.starts_with("/")) return "";
    std::string base = exe.substr(exe.find_last_of('/') + 1);
    for (std::string entry : job.input_sandbox) {
      if (entry.starts_with("./")) entry = entry.substr(2);
      if (entry == exe) return base;
    }
    return "";
  }

  std::string CommandLines() const {
    std::string exe = Executable();
    std::string preamble;
    if (std::string shipped = SandboxedExecutable(); !shipped.empty()) {
      preamble = "gantry_exe=" + exe + "\n[ -e \"$gantry_exe\" ] || gantry_exe=./" +
                 ShellQuote(shipped) + "\n";
      exe = "\"$gantry_exe\"";
    }
    if (job.arguments.empty()) return preamble + "exec " + exe + "\n";
    if (!parametric || !HasParam(job.arguments)) {
      return preamble + "exec " + exe + " " + job.arguments + "\n";
    }
    // _PARAM_ is replaced in the Arguments text before the shell splits it, as gLite does.
    const std::string var(kJdlParamVariable);
    return preamble + "gantry_rest=" + ShellQuote(job.arguments) + "\n"
           "gantry_args=\n"
           "while :; do\n"
           "  case \"$gantry_rest\" in\n"
           "    *_PARAM_*) gantry_args=\"$gantry_args${gantry_rest%%_PARAM_*}$" + var + "\"\n"
           "               gantry_rest=\"${gantry_rest#*_PARAM_}\" ;;\n"
           "    *) gantry_args=\"$gantry_args$gantry_rest\"; break ;;\n"
           "  esac\n"
           "done\n"
           "eval \"set -- $gantry_args\"\n"
           "exec " + exe + " \"$@\"\n";
  }
};

}  // namespace

bool LooksLikeJdl(std::string_view file_name, std::string_view text) {
  if (file_name.ends_with(".jdl") || file_name.ends_with(".JDL")) return true;
  if (text.starts_with("#!")) return false;
  return FirstSignificant(text) == '[';
}

Result<model::JobSpec> JdlToJobSpec(std::string_view jdl_text, std::string_view file_name,
                                    const std::string& submit_dir,
                                    const std::map<std::string, std::string>& submit_env) {
  std::string text(jdl_text);
  Result<ca::JdlJob> parsed = ca::ParseJdl(text);
  if (!parsed) return Fail(JdlError(file_name, text, parsed.error()));
  const ca::JdlJob& job = *parsed;

  model::JobSpec spec;
  spec.name = BaseName(file_name);
  spec.script_name = std::string(file_name);
  spec.submit_dir = submit_dir;
  spec.working_dir = submit_dir;
  Builder b{job, file_name, submit_dir, spec};
  b.parametric = job.job_type == ca::JdlJobType::kParametric;

  if (job.retry_count > kMaxRetries) {
    return Fail(InvalidArgument(b.Where() + "RetryCount " + std::to_string(job.retry_count) +
                                " is more than Gantry allows (" + std::to_string(kMaxRetries) +
                                ")"));
  }
  spec.max_retries = job.retry_count;
  // RequestGpus is counted by the broker and handed out by the agent as whole devices, so it
  // must be a number here, not an expression.
  if (const ca::Expr* gpus = job.ad.Lookup("RequestGpus"); gpus != nullptr) {
    std::string text = ca::Unparse(*gpus);
    std::optional<int64_t> n = internal::ParseDigits(text);
    if (!n || *n > model::kMaxCount) {
      return Fail(InvalidArgument(b.Where() + "RequestGpus must be a whole number of GPUs (0-" +
                                  std::to_string(model::kMaxCount) + "), not " + text));
    }
    spec.gpus = *n;
  }

  bool param_is_task_id = false;
  bool integer_range = false;
  if (b.parametric) {
    if (job.parameter_values.empty()) {
      return Fail(InvalidArgument(b.Where() + "Parameters gives no values: the job would have "
                                  "no tasks"));
    }
    model::ArraySpec array;
    int64_t n = static_cast<int64_t>(job.parameter_values.size());
    for (int64_t i = 0; i < n; ++i) array.task_ids.push_back(i);
    array.text = n == 1 ? "0" : "0-" + std::to_string(n - 1);
    spec.array = std::move(array);
    // An integer Parameters (or a list spelling the same numbers) is a range.
    integer_range = true;
    for (int64_t i = 0; i < n && integer_range; ++i) {
      integer_range = job.parameter_values[static_cast<size_t>(i)] ==
                      std::to_string(job.parameter_start + i * job.parameter_step);
    }
    param_is_task_id = integer_range && job.parameter_start == 0 && job.parameter_step == 1;
  }

  std::vector<std::string> exports;
  GANTRY_RETURN_IF_ERROR(b.Environment(submit_env, exports));

  Stream out = PlanStream(job.std_output, b.parametric, param_is_task_id);
  Stream err = job.std_error == job.std_output
                   ? Stream{}
                   : PlanStream(job.std_error, b.parametric, param_is_task_id);
  spec.stdout_pattern = out.pattern;
  spec.stderr_pattern = err.pattern;

  std::string script = "#!/bin/sh\n# Generated by gantry submit from the gLite JDL file " +
                       BaseName(file_name) + " (docs/submit.md).\n";
  if (b.parametric) {
    script += "unset " + std::string(kJdlParamVariable) + "\n";
    b.ParameterLines(script, integer_range);
  }
  for (const std::string& line : exports) script += line + "\n";
  if (!out.redirect.empty()) {
    // Same file for stderr when StdError is absent or equal to StdOutput.
    bool merged = job.std_error.empty() || job.std_error == job.std_output;
    script += "exec >" + out.redirect + (merged ? " 2>&1" : "") + "\n";
  }
  if (!err.redirect.empty()) script += "exec 2>" + err.redirect + "\n";
  if (!job.std_input.empty()) {
    std::string in = job.std_input;
    if (!in.starts_with("/")) in = submit_dir + "/" + in;
    script += "exec <" + ShellQuoteParam(in, b.parametric) + "\n";
  }
  script += b.CommandLines();
  spec.script = std::move(script);

  spec.requirements = MatchExpression(job, job.requirements);
  spec.rank = MatchExpression(job, job.rank);
  for (const ca::ClassAd::Attribute& a : job.ad.attributes()) {
    if (IsMapped(a.lower)) continue;
    spec.attributes[a.name] = ca::Unparse(*a.expr);
  }

  // The sandboxes travel when the agent shares no filesystem (docs/sandbox.md): the client
  // reads the input files' bytes (relative to the submit directory).
  for (const std::string& source : job.input_sandbox) {
    std::string name = source.substr(source.find_last_of('/') + 1);
    spec.input_files.push_back({name, source, ""});
  }
  for (std::string name : job.output_sandbox) {
    if (name.starts_with("./")) name = name.substr(2);
    spec.output_files.push_back(std::move(name));
  }
  if (job.ad.Lookup("ShallowRetryCount") != nullptr) {
    spec.warnings.push_back(b.Where() + "ShallowRetryCount is recorded but not acted on (only "
                            "RetryCount, retries after a failed run, is)");
  }
  if (b.parametric) {
    for (const ca::ClassAd::Attribute& a : job.ad.attributes()) {
      bool substituted = a.lower == "executable" || a.lower == "arguments" ||
                         a.lower == "stdinput" || a.lower == "stdoutput" ||
                         a.lower == "stderror" || a.lower == "environment";
      if (!substituted && HasParam(ca::Unparse(*a.expr))) {
        spec.warnings.push_back(b.Where() + "_PARAM_ in " + a.name + " is not substituted "
                                "(all tasks of the array share one job ad)");
      }
    }
  }
  return spec;
}

Status CheckJdlCommandLine(std::string_view file_name, std::span<const std::string> options,
                           std::span<const std::string> script_args) {
  constexpr std::string_view kFlags[] = {"--json", "--parsable", "-W", "--wait",
                                         "-Q",     "--quiet",     "-v", "--verbose"};
  for (const std::string& word : options) {
    bool allowed = false;
    for (std::string_view f : kFlags) allowed = allowed || word == f;
    if (!allowed && word.size() > 1 && word.starts_with("-") &&
        word.find_first_not_of('v', 1) == std::string::npos) {
      allowed = true;  // -vv
    }
    if (!allowed) {
      return Fail(InvalidArgument(
          std::string(file_name) + " is a JDL job description: sbatch options such as '" +
          word + "' cannot be combined with it; say it in the JDL instead (e.g. Requirements, "
          "RetryCount, Environment). Allowed: --json, --parsable, --wait, --quiet, --verbose"));
    }
  }
  if (!script_args.empty()) {
    return Fail(InvalidArgument(std::string(file_name) + " is a JDL job description: put the "
                                "job's arguments in its Arguments attribute, not after the "
                                "file name ('" + script_args.front() + "')"));
  }
  return {};
}

}  // namespace gantry::submit
