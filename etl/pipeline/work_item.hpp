// What travels through the import graph: one property (WorkItem) from dedup to the load
// stage, and the events discovery sends to dedup: per municipality its listings, then its
// address pages, then that it is done.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "etl/core/failure_stage.hpp"
#include "etl/core/property_record.hpp"
#include "etl/pipeline/work_gate.hpp"
#include "extractors/case_page.hpp"
#include "loaders/store.hpp"  // StoredCase

namespace etl {

struct WorkItem {
  std::string address_id;
  std::size_t municipality = 0;  // row in RunCounters
  // Where the payload comes from: the detail's request, or the search item itself (--details
  // never), which has no request to repeat.
  enum class Origin { Detail, Search } origin = Origin::Detail;
  std::string payload;           // the search item or the fetched detail
  std::string source;            // the detail's URL, once it is fetched
  // What the searches show of the property (see DedupStage), stored with it; on a page,
  // first the hash of its search item alone. Unknown (not on a page this run): keep the stored one.
  std::optional<std::uint64_t> search_hash;
  enum class State { Pending, Fetched, Removed, Failed, Cancelled } state = State::Pending;
  FailureStage failure_stage = FailureStage::fetch;
  std::string failure_reason;
  std::optional<PropertyRecord> record;
  int bad_bodies = 0;  // fetched bodies that did not parse
  GateUnit unit;  // the WorkGate unit this item holds until it is loaded or dropped
};
using ItemPtr = std::shared_ptr<WorkItem>;

// Every open listing of a municipality (/search/cases), sent before its address pages, with
// the open cases stored of the run's scope there, which they are diffed against.
struct ListingsEvent {
  std::size_t municipality = 0;
  std::vector<ListedCase> cases;
  std::vector<StoredCase> stored;
};
// One search page of a municipality, as discovered.
struct PageEvent {
  std::size_t municipality = 0;
  std::vector<ItemPtr> items;
};
// The municipality's discovery ended; `complete`: every ID of its address search was
// discovered (never with --refresh on-market, which does not page the address search).
struct MunicipalityDone {
  std::size_t municipality = 0;
  bool complete = false;
};
// Every municipality's discovery ended (not sent when the run stopped early).
struct SearchesDone {};
using DedupEventValue = std::variant<ListingsEvent, PageEvent, MunicipalityDone, SearchesDone>;
using DedupEvent = std::shared_ptr<DedupEventValue>;

}  // namespace etl
