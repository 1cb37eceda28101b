// libFuzzer target for the bearer-token path of every TCP request (identity/bearer.h, which
// api/auth.cc calls): the Authorization header value is parsed, the JWT decoded and verified
// against a fixed test JWKS at a fixed time, revocations checked and the claims mapped to an
// Identity and a local account by a gridmap, then the policy asked what it grants.
// The first byte picks what the rest is:
//   even: the Authorization header value, as a client sends it;
//   odd:  a payload (bit 2: a header, '\n', a payload) that the target signs itself with a
//         test key (bit 1: RS256 as the trusted issuer iam.fuzz, else ES256 as the built-in
//         issuer), so the fuzzer reaches claim validation and mapping past the signature.
// Anything may be refused; nothing may crash, hang, leak or hit UB, a refusal is a 401 with a
// token problem or a 403 without one, and a token the target signed correctly is never
// refused for its signature, key or algorithm.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "identity/bearer.h"
#include "identity/jwt.h"
#include "identity/keys.h"

namespace identity = gantry::identity;

namespace {

#include "test_keys.inc"

constexpr std::string_view kOwnIssuer = "https://gantry.fuzz/gantry";
constexpr std::string_view kIam = "https://iam.fuzz/";
constexpr int64_t kNow = 1893456000;  // 2030-01-01T00:00:00Z, as make_seeds.py assumes

constexpr std::string_view kGridmap = R"(
"https://iam.fuzz/ alice-sub"  alice
"/cms/Role=production"         cmsprod
"/cms"                         cms001
"/dteam"                       .dteam
)";
constexpr std::string_view kPolicy = R"(
admin        user:root
see-vo       /cms/Role=admin
steer-agents /ops/Role=admin
submit       /cms/Role=production  prod
)";

void Die(const char* why) {
  fprintf(stderr, "fuzz_token: %s\n", why);
  std::abort();
}

identity::SigningKey LoadSigningKey(const char* pem) {
  auto key = identity::SigningKeyFromPem(pem);
  if (!key) Die("cannot read a test key");
  return std::move(*key);
}

// What every input is checked against: built once, read-only afterwards.
struct Fixture {
  identity::Site site;
  gantry::FakeClock clock{kNow * gantry::kMicrosPerSecond};
  std::unique_ptr<identity::Revocations> revocations;
  identity::SigningKey es256 = LoadSigningKey(kEs256Pem);
  identity::SigningKey rs256 = LoadSigningKey(kRs256Pem);

  Fixture() {
    auto keys = identity::ParseJwks(kTestJwks);
    if (!keys) Die("the test JWKS does not parse");
    std::vector<identity::PublicKey> own, iam;
    for (const identity::PublicKey& key : *keys) {
      (key.alg == identity::Algorithm::kEs256 ? own : iam).push_back(key);
    }
    site.issuer = std::string(kOwnIssuer);
    site.verifier =
        identity::Verifier({{site.issuer, own, ""}, {std::string(kIam), iam, "fuzzvo"}},
                           identity::ValidationOptions{{"gantry"}, 60, {"revoked-jti"}});
    auto gridmap = identity::Gridmap::Parse(kGridmap);
    auto policy = identity::Policy::Parse(kPolicy);
    if (!gridmap || !policy) Die("the test gridmap or policy does not parse");
    site.gridmap = std::move(*gridmap);
    site.policy = std::move(*policy);
    // A path that does not exist: an empty list, nothing written (Add is never called).
    auto revoked = identity::Revocations::Open("/nonexistent/fuzz_token/revoked");
    if (!revoked) Die("cannot open an empty revocation list");
    revocations = std::move(*revoked);
  }
};

const Fixture& TheFixture() {
  static const Fixture* fixture = new Fixture();
  return *fixture;
}

// FUZZ_TOKEN_EXPLAIN=1 fuzz_token SEED...: say what each input came to (for checking seeds).
void Explain(const std::expected<identity::Identity, identity::BearerError>& out) {
  static const bool explain = getenv("FUZZ_TOKEN_EXPLAIN") != nullptr;
  if (!explain) return;
  if (out) {
    fprintf(stderr, "accepted: %s kind %s account '%s'\n", out->Display().c_str(),
            std::string(identity::KindName(out->kind)).c_str(), out->local_account.c_str());
  } else {
    fprintf(stderr, "refused (%s): %s\n",
            out.error().problem
                ? std::string(identity::TokenProblemName(*out.error().problem)).c_str()
                : "no token problem",
            out.error().error.message().c_str());
  }
}

void CheckOutcome(const std::expected<identity::Identity, identity::BearerError>& out,
                  const Fixture& f) {
  Explain(out);
  if (!out) {
    const identity::BearerError& e = out.error();
    if (e.problem && e.error.code() != gantry::ErrorCode::kUnauthenticated) {
      Die("a token problem that is not a 401");
    }
    if (!e.problem && e.error.code() != gantry::ErrorCode::kPermissionDenied) {
      Die("a refusal that is neither a token problem nor a 403");
    }
    if (e.error.message().empty()) Die("a refusal without a message");
    return;
  }
  const identity::Identity& id = *out;
  if (id.issuer != kOwnIssuer && id.issuer != kIam) Die("accepted an untrusted issuer");
  if (id.subject.empty()) Die("accepted a token without a subject");
  bool agent = id.scopes.Has(identity::Scope::kAgent);
  if (agent != (id.kind == identity::Kind::kAgent)) Die("agent scope and kind disagree");
  if (agent) return;
  if (id.local_account.empty()) Die("a user token mapped to no account");
  if (id.local_account.starts_with(".")) Die("a pool name was used as an account");
  if (id.local_account.starts_with("dteam") && id.local_account != "dteam001") {
    Die("the first subject of a fresh pool did not get its first account");
  }
  const identity::Policy& policy = f.site.policy;
  (void)policy.IsAdmin(id);
  (void)policy.SeenVos(id);
  (void)policy.CanSteerAgents(id);
  (void)policy.CanSubmit(id, "prod");
  if (!policy.CanSeeJob(id, id)) Die("an identity may not see its own jobs");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const Fixture& f = TheFixture();
  uint8_t control = data[0];
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  // A fresh pool per input, so that what an input comes to does not depend on earlier ones.
  auto pools = identity::AccountPools::Open(
      "", [] { return std::vector<std::string>{"root", "dteam002", "dteam001", "dteamx"}; });
  if (!pools) Die("cannot make an in-memory pool");
  identity::BearerContext context{.site = &f.site,
                                  .clock = &f.clock,
                                  .revocations = f.revocations.get(),
                                  .pools = pools->get()};
  if (control % 2 == 0) {
    CheckOutcome(identity::AuthenticateBearer(text, context), f);
    return 0;
  }
  bool rsa = control & 2;
  std::string header = rsa ? R"({"alg":"RS256","typ":"JWT","kid":"fuzz-rs256"})"
                           : R"({"alg":"ES256","typ":"JWT","kid":"fuzz-es256"})";
  std::string_view payload = text;
  bool own_header = control & 4;
  if (own_header) {
    size_t newline = text.find('\n');
    if (newline == std::string_view::npos) return 0;
    header = std::string(text.substr(0, newline));
    payload = text.substr(newline + 1);
  }
  auto signed_token = identity::SignCompact(rsa ? f.rs256 : f.es256, header, payload);
  if (!signed_token) Die("cannot sign");
  const std::string& token = *signed_token;
  auto out = identity::AuthenticateBearer("Bearer " + token, context);
  CheckOutcome(out, f);
  if (!own_header && !out && out.error().problem) {
    auto decoded = identity::DecodeToken(token);
    identity::TokenProblem p = *out.error().problem;
    bool signer = decoded && decoded->claims.iss == (rsa ? kIam : kOwnIssuer);
    if (signer &&
        (p == identity::TokenProblem::kBadSignature || p == identity::TokenProblem::kUnknownKey ||
         p == identity::TokenProblem::kBadAlgorithm)) {
      Die("a token signed with the issuer's own key was refused for its signature");
    }
  }
  return 0;
}
