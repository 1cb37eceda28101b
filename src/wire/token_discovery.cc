#include "wire/token_discovery.h"

#include "base/file.h"
#include "base/strings.h"

namespace gantry::wire {

Result<DiscoveredToken> DiscoverBearerToken(const GetEnv& getenv, uint32_t uid) {
  if (const char* token = getenv("BEARER_TOKEN"); token && !Trim(token).empty()) {
    return DiscoveredToken{std::string(Trim(token)), "BEARER_TOKEN"};
  }
  auto from_file = [](const std::string& path) -> Result<DiscoveredToken> {
    GANTRY_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
    std::string_view token = Trim(text);
    if (token.empty()) return Fail(InvalidArgument(path + " holds no token"));
    return DiscoveredToken{std::string(token), path};
  };
  if (const char* file = getenv("BEARER_TOKEN_FILE"); file && *file) {
    auto found = from_file(file);
    if (!found) return Fail(found.error().Wrap("BEARER_TOKEN_FILE"));
    return found;
  }
  const std::string name = "bt_u" + std::to_string(uid);
  std::vector<std::string> places;
  if (const char* runtime = getenv("XDG_RUNTIME_DIR"); runtime && *runtime) {
    places.push_back(std::string(runtime) + "/" + name);
  }
  places.push_back("/tmp/" + name);
  for (const std::string& path : places) {
    if (FileExists(path)) return from_file(path);
  }
  return Fail(NotFound("no bearer token: BEARER_TOKEN and BEARER_TOKEN_FILE are unset and " +
                       Join(places, " and ") + " do not exist"));
}

}  // namespace gantry::wire
