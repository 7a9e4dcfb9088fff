#include "replica/stats.hpp"

#include <iterator>

#include "replica/json_writer.hpp"

namespace replica {
namespace {

constexpr const char* kEndpointNames[] = {"search", "detail", "other", "search_cases", "case_detail", "municipalities"};
static_assert(std::size(kEndpointNames) == static_cast<std::size_t>(Endpoint::count));

}  // namespace

Stats::InFlight::InFlight(Stats& stats) : stats_(stats) {
  const std::int64_t now = ++stats_.in_flight_;
  std::int64_t seen = stats_.max_in_flight_.load();
  while (now > seen && !stats_.max_in_flight_.compare_exchange_weak(seen, now)) {
  }
}

Stats::InFlight::~InFlight() { --stats_.in_flight_; }

void Stats::record(Endpoint endpoint, int status) {
  ++requests_[static_cast<std::size_t>(endpoint)];
  if (status >= kMinStatus && status <= kMaxStatus) ++statuses_[static_cast<std::size_t>(status - kMinStatus)];
}

std::string Stats::to_json() const {
  JsonWriter w;
  w.begin_object();
  w.key("requests").begin_object();
  for (std::size_t i = 0; i < requests_.size(); ++i) w.field(kEndpointNames[i], requests_[i].load());
  w.end_object();
  w.key("status").begin_object();
  for (std::size_t i = 0; i < statuses_.size(); ++i) {
    if (const auto n = statuses_[i].load()) w.field(std::to_string(static_cast<int>(i) + kMinStatus), n);
  }
  w.end_object();
  w.field("max_in_flight", max_in_flight_.load());
  w.field("in_flight", in_flight_.load());
  w.end_object();
  return w.take();
}

void Stats::reset() {
  for (auto& n : requests_) n = 0;
  for (auto& n : statuses_) n = 0;
  max_in_flight_ = in_flight_.load();
}

}  // namespace replica
