#include "server/in_process_link.h"

namespace gantry::server {
namespace {

class InProcessLink final : public agent::ServerLink {
 public:
  explicit InProcessLink(broker::Broker& broker) : broker_(broker) {}

  Result<broker::PollResponse> Poll(const std::string& agent_id,
                                    const broker::PollRequest& request) override {
    broker::PollRequest copy = request;
    copy.agent_id = agent_id;
    return broker_.Poll(copy);
  }

  Status Leave(const std::string& agent_id, int64_t instance) override {
    return broker_.Leave(agent_id, instance);
  }

  Status Wake(const std::string& agent_id) override {
    broker_.Wake(agent_id);
    return {};
  }

 private:
  broker::Broker& broker_;
};

}  // namespace

std::unique_ptr<agent::ServerLink> NewInProcessLink(broker::Broker& broker) {
  return std::make_unique<InProcessLink>(broker);
}

}  // namespace gantry::server
