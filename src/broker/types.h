// Requests and answers of the broker's service interface. They are what crosses the API, so
// they live in wire/ (which the agent and the CLI link without the broker); the broker names
// them as its own.
#pragma once

#include "model/identity.h"
#include "model/selectors.h"
#include "model/task_ref.h"
#include "wire/agent_protocol.h"
#include "wire/queries.h"

namespace gantry::broker {

using wire::AgentStatus;
using wire::Assignment;
using wire::AttemptReport;
using wire::PollRequest;
using wire::PollResponse;

using wire::AgentInfo;
using wire::JournalEntry;
using wire::QueueFilter;
using wire::QueuePage;
using wire::SubmitResult;
using wire::TaskDetail;
using wire::TaskSummary;

}  // namespace gantry::broker
