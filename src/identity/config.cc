#include "identity/config.h"

#include "identity/config_lines.h"

namespace gantry::identity {
namespace {

std::string Resolve(std::string_view dir, const std::string& path) {
  if (path.starts_with("/") || dir.empty()) return path;
  return std::string(dir) + "/" + path;
}

}  // namespace

Result<IdentityConfig> ParseIdentityConfig(std::string_view text, std::string_view dir,
                                           std::string_view name) {
  GANTRY_ASSIGN_OR_RETURN(std::vector<ConfigLine> lines, SplitConfigLines(text));
  IdentityConfig config;
  for (const ConfigLine& line : lines) {
    const auto& w = line.words;
    const std::string& key = w[0];
    auto bad = [&](std::string what) {
      return Fail(InvalidArgument(LineContext(name, line) + what));
    };
    if (key == "trust") {
      if (w.size() < 3 || w.size() > 4 || (w.size() == 4 && !w[3].starts_with("vo="))) {
        return bad("expected 'trust ISSUER JWKS-FILE [vo=VO]'");
      }
      config.trusted.push_back({w[1], Resolve(dir, w[2]), w.size() == 4 ? w[3].substr(3) : ""});
      continue;
    }
    bool known = key == "issuer" || key == "audience" || key == "vo-file" || key == "policy" ||
                 key == "gridmap" || key == "revoke";
    if (!known) {
      return bad("unknown setting '" + key +
                 "' (issuer, audience, trust, vo-file, policy, gridmap, revoke)");
    }
    if (w.size() != 2) return bad("expected '" + key + " VALUE'");
    if (key == "issuer") {
      config.issuer = w[1];
    } else if (key == "revoke") {
      config.revoked.push_back(w[1]);
    } else if (key == "audience") {
      config.audiences.push_back(w[1]);
    } else if (key == "vo-file") {
      config.vo_file = Resolve(dir, w[1]);
    } else if (key == "policy") {
      config.policy_file = Resolve(dir, w[1]);
    } else {
      config.gridmap_file = Resolve(dir, w[1]);
    }
  }
  if (config.audiences.empty()) config.audiences.emplace_back(kDefaultAudience);
  return config;
}

}  // namespace gantry::identity
