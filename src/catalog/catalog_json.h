// JSON forms of the catalog's records, as the HTTP API carries them (docs/data.md). The
// server encodes with these and the CLI reads the same fields. Pure.
#pragma once

#include <nlohmann/json.hpp>

#include "catalog/catalog.h"

namespace gantry::catalog {

nlohmann::json RseToJson(const Rse& rse);
Result<Rse> RseFromJson(const nlohmann::json& j);
nlohmann::json DidToJson(const DidInfo& did);
Result<NewDid> NewDidFromJson(const nlohmann::json& j);
nlohmann::json ReplicasToJson(const FileReplicas& file);
nlohmann::json UsageToJson(const UsageRow& row);
nlohmann::json ScopeToJson(const ScopeRecord& scope);

// Parses a request body; nlohmann's exceptions become an InvalidArgument.
Result<nlohmann::json> ParseBody(std::string_view text);

}  // namespace gantry::catalog
