// JSON forms of the broker's requests and answers: what crosses the HTTP API (docs/api.md).
// Used by the server's handlers and by the clients (CLI, agent), so both ends share one
// codec. Pure.
#pragma once

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "broker/types.h"

namespace gantry::api {

using nlohmann::json;

json TaskToJson(const model::Task& t);
json AttemptToJson(const model::Attempt& a);
json EventToJson(const model::Event& e);
json SummaryToJson(const broker::TaskSummary& s);
json DetailToJson(const broker::TaskDetail& d);
json SubmitResultToJson(const broker::SubmitResult& r);

Result<model::Task> TaskFromJson(const json& j);
Result<model::Attempt> AttemptFromJson(const json& j);
Result<model::Event> EventFromJson(const json& j);
Result<broker::TaskSummary> SummaryFromJson(const json& j);

json PollRequestToJson(const broker::PollRequest& r);
Result<broker::PollRequest> PollRequestFromJson(const json& j);
json PollResponseToJson(const broker::PollResponse& r);
Result<broker::PollResponse> PollResponseFromJson(const json& j);

// Parses a body, turning nlohmann's exceptions into an InvalidArgument naming the position.
Result<json> ParseJson(std::string_view text);

}  // namespace gantry::api
