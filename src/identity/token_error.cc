#include "identity/token_error.h"

namespace gantry::identity {

std::string_view TokenProblemName(TokenProblem problem) {
  switch (problem) {
    case TokenProblem::kMissing: return "missing";
    case TokenProblem::kMalformed: return "malformed";
    case TokenProblem::kBadAlgorithm: return "bad_algorithm";
    case TokenProblem::kUnknownIssuer: return "unknown_issuer";
    case TokenProblem::kUnknownKey: return "unknown_key";
    case TokenProblem::kBadSignature: return "bad_signature";
    case TokenProblem::kMissingClaim: return "missing_claim";
    case TokenProblem::kExpired: return "expired";
    case TokenProblem::kNotYetValid: return "not_yet_valid";
    case TokenProblem::kWrongAudience: return "wrong_audience";
    case TokenProblem::kUnsupportedVersion: return "unsupported_version";
    case TokenProblem::kRevoked: return "revoked";
  }
  return "unknown";
}

}  // namespace gantry::identity
