// What travels through the import graph: one property (WorkItem) from dedup to the load
// stage, and the events discovery sends to dedup.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "etl/core/property_record.hpp"
#include "etl/pipeline/work_gate.hpp"

namespace etl {

struct WorkItem {
  std::string address_id;
  std::size_t municipality = 0;  // row in RunCounters
  std::string payload;           // search item (details never) or the fetched detail
  std::string source;            // URL the payload came from
  enum class State { Pending, Fetched, Removed, Failed, Cancelled } state = State::Pending;
  std::string failure_stage;
  std::string failure_reason;
  std::optional<PropertyRecord> record;
  int bad_bodies = 0;  // fetched bodies that did not parse
  GateUnit unit;  // the WorkGate unit this item holds until it is loaded or dropped
};
using ItemPtr = std::shared_ptr<WorkItem>;

// One search page of a municipality, as discovered.
struct PageEvent {
  std::size_t municipality = 0;
  std::vector<ItemPtr> items;
};
// The municipality's discovery ended; `complete`: every ID of it was discovered.
struct MunicipalityDone {
  std::size_t municipality = 0;
  bool complete = false;
};
using DedupEvent = std::shared_ptr<std::variant<PageEvent, MunicipalityDone>>;

}  // namespace etl
