// JSON forms of transfers, their events, links and rules (docs/data.md "Transfers"). Pure.
#pragma once

#include <optional>

#include <nlohmann/json.hpp>

#include "transfer/queue.h"
#include "transfer/service.h"

namespace gantry::transfer {

nlohmann::json TransferToJson(const Transfer& t, const std::optional<ProgressInfo>& progress,
                              TimeMicros now);
nlohmann::json EventToJson(const TransferEvent& e);
nlohmann::json LinkToJson(const LinkInfo& l);
nlohmann::json RuleToJson(const Rule& r);

}  // namespace gantry::transfer
