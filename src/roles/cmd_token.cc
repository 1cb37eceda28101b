// gantry token issue | inspect: the built-in issuer's tokens.
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "base/strings.h"
#include "cli/client.h"
#include "cli/flags.h"
#include "identity/jwt.h"
#include "identity/mint.h"
#include "identity/site.h"
#include "server/server.h"
#include "wire/token_discovery.h"

namespace gantry::roles {
namespace {

using cli::Client;
using cli::Flags;
using cli::ParseOrExit;
using cli::Report;

using Json = nlohmann::json;

constexpr char kUsage[] =
    "Usage: gantry token COMMAND [OPTIONS]\n\n"
    "Tokens of the server's built-in issuer (WLCG Common JWT profile, ES256).\n\n"
    "Commands:\n"
    "  issue     mint a token with the issuer key in $GANTRY_HOME (the server's user only)\n"
    "  inspect   show a token's claims and whether this server accepts it, and why not\n"
    "  revoke    refuse one token (--jti) or a subject's tokens (--subject) from now on\n\n"
    "Run 'gantry token COMMAND --help' for a command's options. See docs/security.md.\n";

int Issue(int argc, char** argv) {
  std::string home, subject, scope = identity::ScopeSet::All().ToString(), lifetime = "1h";
  std::vector<std::string> groups, audiences;
  bool as_json = false;
  Flags f("gantry token issue --subject S [OPTIONS]",
          "Mints a token signed by this server's issuer key ($GANTRY_HOME/issuer.key, which\n"
          "only the server's user can read) and prints it. The server accepts it over TCP as\n"
          "'Authorization: Bearer <token>'; clients find it in $BEARER_TOKEN,\n"
          "$BEARER_TOKEN_FILE, $XDG_RUNTIME_DIR/bt_u<uid> or /tmp/bt_u<uid>.");
  f.String("--subject", &subject, "S", "the token's 'sub': who it stands for (required)");
  f.Strings("--group", &groups, "FQAN",
            "a wlcg.groups entry: /cms, /cms/prod, /cms/Role=production (repeatable)");
  f.String("--scope", &scope, "\"S...\"",
           "space-separated scopes (default: every compute.* scope)");
  f.String("--lifetime", &lifetime, "T", "validity: 90s, 30m, 12h, 7d (default 1h)");
  f.Strings("--audience", &audiences, "A",
            "the token's 'aud' (repeatable; default: the server's first)");
  f.String("--home", &home, "DIR", "the server's state directory (default $GANTRY_HOME)");
  f.Bool("--json", &as_json, "print {\"token\", \"claims\"} as JSON");
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  if (subject.empty()) return Report("token issue", InvalidArgument("--subject is required"));
  auto seconds = identity::ParseLifetime(lifetime);
  if (!seconds) return Report("token issue", seconds.error().Wrap("--lifetime"));
  for (const std::string& g : groups) {
    if (identity::VoOf(g).empty()) {
      return Report("token issue", InvalidArgument("--group '" + g +
                                                   "' is not a group such as /cms or a role "
                                                   "such as /cms/Role=production"));
    }
  }
  auto site = identity::LoadSite(home.empty() ? server::DefaultHome() : home,
                                 identity::KeyMode::kMustExist);
  if (!site) return Report("token issue", site.error());
  if (audiences.empty()) audiences.push_back(site->config.audiences.front());
  SystemClock clock;
  auto token = identity::MintToken(site->key, site->issuer,
                                   {subject, groups, scope, *seconds, audiences}, clock);
  if (!token) return Report("token issue", token.error());
  if (as_json) {
    Json out = {{"token", *token},
                {"claims", Json::parse(identity::DecodeToken(*token)->payload_json)}};
    std::printf("%s\n", out.dump(2).c_str());
  } else {
    std::printf("%s\n", token->c_str());
  }
  return 0;
}

std::string When(int64_t t, int64_t now) {
  std::string out = FormatTime(t * kMicrosPerSecond);
  if (t == now) return out + " (now)";
  if (t > now) return out + " (in " + FormatDuration(t - now) + ")";
  return out + " (" + FormatDuration(now - t) + " ago)";
}

int Inspect(int argc, char** argv) {
  std::string home;
  std::vector<std::string> words;
  bool as_json = false;
  Flags f("gantry token inspect [OPTIONS] [TOKEN|-]",
          "Shows a token's header and claims and checks it as the server would: against the\n"
          "built-in issuer and the issuers identity.conf trusts, and the server's audiences.\n"
          "With '-' the token is read from stdin; with nothing it is found as WLCG Bearer\n"
          "Token Discovery says. Exits 0 if the server would accept it, 1 if not.");
  f.String("--home", &home, "DIR", "the server's state directory (default $GANTRY_HOME)");
  f.Bool("--json", &as_json, "print {\"header\", \"claims\", \"valid\", \"problem\", \"error\"}");
  f.Positionals(&words, "TOKEN", 0, 1);
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  std::string token, source;
  if (words.empty()) {
    auto found = wire::DiscoverBearerToken(getenv, getuid());
    if (!found) return Report("token inspect", found.error());
    token = found->token;
    source = found->source;
  } else if (words[0] == "-") {
    token = std::string(Trim(std::string(std::istreambuf_iterator<char>(std::cin), {})));
    source = "stdin";
  } else {
    token = words[0];
  }
  auto decoded = identity::DecodeToken(token);
  if (!decoded) {
    if (as_json) {
      Json out = {{"valid", false},
                  {"problem", identity::TokenProblemName(decoded.error().problem)},
                  {"error", decoded.error().message}};
      std::printf("%s\n", out.dump(2).c_str());
      return 1;
    }
    return Report("token inspect", decoded.error().ToError());
  }
  auto site = identity::LoadSite(home.empty() ? server::DefaultHome() : home,
                                 identity::KeyMode::kPublicOnly);
  if (!site) return Report("token inspect", site.error().Wrap("cannot check the token"));
  SystemClock clock;
  auto verified = site->verifier.Verify(token, clock);
  if (as_json) {
    Json out = {{"header", Json::parse(decoded->header_json)},
                {"claims", Json::parse(decoded->payload_json)},
                {"valid", verified.has_value()}};
    if (!source.empty()) out["source"] = source;
    if (verified) {
      out["identity"] = {{"subject", verified->subject}, {"issuer", verified->issuer},
                         {"vo", verified->vo},           {"groups", verified->groups},
                         {"roles", verified->roles},     {"scopes", verified->scopes.ToString()}};
    } else {
      out["problem"] = identity::TokenProblemName(verified.error().problem);
      out["error"] = verified.error().message;
    }
    std::printf("%s\n", out.dump(2).c_str());
    return verified ? 0 : 1;
  }
  const identity::Claims& c = decoded->claims;
  const int64_t now = clock.Now() / kMicrosPerSecond;
  auto row = [](const char* name, const std::string& value) {
    if (!value.empty()) std::printf("%-12s %s\n", name, value.c_str());
  };
  row("source:", source);
  row("header:", decoded->header_json);
  row("iss:", c.iss);
  row("sub:", c.sub);
  row("aud:", Join(c.aud, " "));
  if (c.iat) row("iat:", When(*c.iat, now));
  if (c.nbf) row("nbf:", When(*c.nbf, now));
  if (c.exp) row("exp:", When(*c.exp, now));
  row("jti:", c.jti);
  row("wlcg.ver:", c.wlcg_ver);
  row("wlcg.groups:", Join(c.groups, " "));
  row("scope:", c.scope);
  if (verified) {
    std::string vo = verified->vo.empty() ? "" : "; VO " + verified->vo;
    row("valid:", "yes: signed by " + verified->issuer + vo);
    return 0;
  }
  row("valid:", "no (" + std::string(identity::TokenProblemName(verified.error().problem)) +
                    "): " + verified.error().message);
  return 1;
}

// Asks the running server (as an admin) to revoke: it takes effect at the credential's next
// request, without a restart, and is kept in $GANTRY_HOME/revoked.
int Revoke(int argc, char** argv) {
  std::string jti, subject, issuer;
  Flags f("gantry token revoke (--jti ID | --subject S [--issuer URL])",
          "Revokes one token (its jti, shown by 'gantry token inspect') or every token of a\n"
          "subject issued until now (e.g. an agent's credential: --subject agent-node7); new\n"
          "tokens minted later work. The server refuses them from their next request on\n"
          "(401 invalid_token \"...revoked\"). Needs an admin (the server's user, root).");
  f.String("--jti", &jti, "ID", "the token's jti");
  f.String("--subject", &subject, "S", "revoke every token of this subject issued until now");
  f.String("--issuer", &issuer, "URL", "the subject's issuer (default: the built-in issuer)");
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  if (jti.empty() == subject.empty()) {
    return Report("token revoke", InvalidArgument("name either --jti or --subject"));
  }
  Json body = Json::object();
  if (!jti.empty()) body["jti"] = jti;
  if (!subject.empty()) body["subject"] = subject;
  if (!issuer.empty()) body["issuer"] = issuer;
  auto client = Client::Connect();
  if (!client) return Report("token revoke", client.error());
  auto r = client->Call("POST", "/v1/tokens/revoke", body.dump());
  if (!r) return Report("token revoke", r.error());
  if (!jti.empty()) {
    std::printf("revoked the token %s\n", jti.c_str());
  } else {
    std::printf("revoked the tokens of %s@%s issued until now\n", subject.c_str(),
                (*r)["issuer"].get<std::string>().c_str());
  }
  return 0;
}

}  // namespace

int RunToken(int argc, char** argv) {
  if (argc < 2 || std::string_view(argv[1]) == "--help" || std::string_view(argv[1]) == "-h") {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  std::string_view command = argv[1];
  // The subcommand's own argv, named "token issue" so its messages say so.
  std::string name = "token " + std::string(command);
  std::vector<char*> args = {name.data()};
  for (int i = 2; i < argc; ++i) args.push_back(argv[i]);
  int n = static_cast<int>(args.size());
  if (command == "issue") return Issue(n, args.data());
  if (command == "inspect") return Inspect(n, args.data());
  if (command == "revoke") return Revoke(n, args.data());
  std::fprintf(stderr, "gantry token: unknown command '%.*s'\n%s", static_cast<int>(command.size()),
               command.data(), kUsage);
  return 2;
}

}  // namespace gantry::roles
