// The market history rules (issue 17): which events a write of the merge observes, as pure
// functions of what is stored and what is written, so they are unit-tested without a
// database and applied once, by the merge (merge.cpp), for every dialect.
//
// Terms. A case is *open* when its status is "open" or unknown and it has no ended_at; a
// stored case that is not open is *ended*. A registration is known by its registration_id.
//
// Rules, per written record R of address A (S: A as stored, with its children):
//  - S absent: `new`; and when R.listings_are_news (a run that is not its municipality's first
//    import), `listed` for each open case of R: a listing new to the database is news whether
//    or not its property was stored. Otherwise R's cases are its starting state.
//  - S removed: `returned`, and `relisted` (`listed` if it never had a case) for each open case
//    of R that S has not open; S's open cases R no longer has are ended silently (a removal
//    ends them already: these are an older removal's).
//  - S live (changed payload; an unchanged payload is the same listing state: no event):
//    * an open case of S that R has not open ends: `sold` when R has a registration S has
//      not (amount and date of the latest such, by date then ID), else `delisted`; both
//      carry the case's last stored price as old_price. A case R no longer has at all gets
//      ended_at (its row, last price and days on market stay); one R still has (with a
//      status that is not open) is written as R says.
//    * an open case of R that S has not open: `relisted` when A has an ended case (stored,
//      or ending in this write), else `listed`; new_price is its price.
//    * an open case of both whose price differs (both known): `price_changed` with old and
//      new price and percent = (new - old) / old * 100.
//  - Store::mark_removed of a live stored address: `removed`; its open cases get ended_at with
//    no event of their own (the property is gone, not the listing withdrawn).
// Events are ordered by address, then case ID, then kind. A rerun writes the same records
// again: they are stored unchanged, so nothing is observed twice.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "etl/core/property_event.hpp"
#include "etl/core/property_record.hpp"

namespace etl::loaders_detail {

struct StoredListing {
  std::string case_id;
  std::optional<std::int64_t> price;
  bool open = false;  // status open or unknown, no ended_at
};

struct StoredSale {
  std::string registration_id;
};

// The children of one stored address the rules read.
struct StoredChildren {
  std::vector<StoredListing> cases;
  std::vector<StoredSale> registrations;
};

enum class StoredAs { absent, removed, live };

struct ObservedChange {
  std::vector<PropertyEvent> events;     // time and run_id left for the caller
  std::vector<std::string> ended_cases;  // case IDs of A that get ended_at
};

// The events of writing `record` over what is stored of its address.
ObservedChange observe_write(StoredAs stored, const StoredChildren& children, const PropertyRecord& record);

// The event of removing a live stored address.
PropertyEvent removal_event(const std::string& address_id);

}  // namespace etl::loaders_detail
