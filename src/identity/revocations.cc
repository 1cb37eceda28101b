#include "identity/revocations.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "base/file.h"
#include "base/strings.h"
#include "identity/config_lines.h"

namespace gantry::identity {

Result<std::vector<Revocation>> Revocations::Parse(std::string_view text,
                                                   std::string_view name) {
  GANTRY_ASSIGN_OR_RETURN(std::vector<ConfigLine> lines, SplitConfigLines(text));
  std::vector<Revocation> out;
  for (const ConfigLine& line : lines) {
    const auto& w = line.words;
    if (w.size() == 2 && w[0] == "jti") {
      out.push_back({w[1], "", "", 0});
      continue;
    }
    if (w.size() == 4 && w[0] == "subject") {
      auto before = ParseInt(w[3]);
      if (before) {
        out.push_back({"", w[1], w[2], *before});
        continue;
      }
    }
    return Fail(InvalidArgument(LineContext(name, line) +
                                "expected 'jti ID' or 'subject ISSUER SUBJECT SECONDS'"));
  }
  return out;
}

std::string Revocations::Format(const Revocation& e) {
  auto quote = [](const std::string& word) {
    return word.find_first_of(" \t#") == std::string::npos ? word : "\"" + word + "\"";
  };
  if (!e.jti.empty()) return "jti " + quote(e.jti) + "\n";
  return "subject " + quote(e.issuer) + " " + quote(e.subject) + " " +
         std::to_string(e.issued_before) + "\n";
}

Result<std::unique_ptr<Revocations>> Revocations::Open(std::string path) {
  std::unique_ptr<Revocations> r(new Revocations(path));
  if (FileExists(path)) {
    GANTRY_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
    GANTRY_ASSIGN_OR_RETURN(r->entries_, Parse(text, path));
  }
  return r;
}

std::optional<std::string> Revocations::Check(const Identity& token) const {
  std::lock_guard lock(mu_);
  for (const Revocation& e : entries_) {
    if (!e.jti.empty()) {
      if (!token.token_id.empty() && e.jti == token.token_id) {
        return "the token " + e.jti + " of " + token.subject + " was revoked";
      }
    } else if (e.issuer == token.issuer && e.subject == token.subject &&
               token.issued_at <= e.issued_before) {
      return "the tokens of " + token.Display() + " issued until " +
             FormatTime(e.issued_before * 1'000'000) + " were revoked";
    }
  }
  return std::nullopt;
}

Status Revocations::Add(const Revocation& entry) {
  if (entry.jti.empty() && (entry.issuer.empty() || entry.subject.empty())) {
    return Fail(InvalidArgument("a revocation names a jti, or an issuer and a subject"));
  }
  for (const std::string* word : {&entry.jti, &entry.issuer, &entry.subject}) {
    if (word->find_first_of("\n\r\"") != std::string::npos) {
      return Fail(InvalidArgument("a revocation may not hold a newline or a double quote"));
    }
  }
  std::string line = Format(entry);
  std::lock_guard lock(mu_);
  int fd = open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Fail(ErrnoError("cannot open " + path_, errno));
  bool ok = write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
            fsync(fd) == 0;
  int err = errno;
  close(fd);
  if (!ok) return Fail(ErrnoError("cannot append to " + path_, err));
  entries_.push_back(entry);
  return {};
}

std::vector<Revocation> Revocations::List() const {
  std::lock_guard lock(mu_);
  return entries_;
}

}  // namespace gantry::identity
