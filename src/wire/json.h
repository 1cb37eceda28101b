// JSON forms of the requests and answers that cross the HTTP API (docs/api.md): the agent
// protocol and the queries. Used by the server's handlers and by the clients (CLI, agent), so
// both ends share one codec. Pure.
#pragma once

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "wire/agent_protocol.h"
#include "wire/queries.h"

namespace gantry::wire {

using nlohmann::json;

json TaskToJson(const model::Task& t);
json AttemptToJson(const model::Attempt& a);
json EventToJson(const model::Event& e);
json SummaryToJson(const TaskSummary& s);
json DetailToJson(const TaskDetail& d);
json SubmitResultToJson(const SubmitResult& r);

Result<model::Task> TaskFromJson(const json& j);
Result<model::Attempt> AttemptFromJson(const json& j);
Result<model::Event> EventFromJson(const json& j);
Result<TaskSummary> SummaryFromJson(const json& j);

json PollRequestToJson(const PollRequest& r);
Result<PollRequest> PollRequestFromJson(const json& j);
json PollResponseToJson(const PollResponse& r);
Result<PollResponse> PollResponseFromJson(const json& j);

// Parses a body, turning nlohmann's exceptions into an InvalidArgument naming the position.
Result<json> ParseJson(std::string_view text);

}  // namespace gantry::wire
