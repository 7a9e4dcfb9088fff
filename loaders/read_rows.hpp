// What the Store's read calls return, decoded from a result row (dialect.hpp: ResultRow) the
// same way in every dialect; the statements of sql_store.cpp return the columns each decoder
// names. Internal to loaders/.
#pragma once

#include <fmt/format.h>

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "etl/core/errors.hpp"

#include "loaders/dialect.hpp"
#include "loaders/store.hpp"
#include "loaders/store_common.hpp"

namespace etl::loaders_detail {

// A stored enum's text; a value this build does not know (a newer etl wrote it) is an error.
template <class E, std::size_t N>
E stored_enum(const EnumNames<E, N>& names, const char* column, const std::string& text) {
  if (const auto e = names.parse(text)) return *e;
  throw StoreError(fmt::format("{}: unknown value '{}'", column, text));
}

// address_id, fetched_at, is_on_market, removed_at (any value: only NULL or not), search_hash.
inline StoredState stored_state(const ResultRow& c) {
  StoredState s;
  s.address_id = c.text(0);
  if (!c.null(1)) s.fetched_at = c.time(1);
  s.is_on_market = !c.null(2) && c.integer(2) != 0;
  s.removed = !c.null(3);
  if (!c.null(4)) s.search_hash = hash_from_db(c.integer(4));
  return s;
}

// address_id, is_case (0/1), key, price, open (0/1): SqlStore::stored_children.
inline StoredChild stored_child(const ResultRow& c) {
  StoredChild s;
  s.address_id = c.text(0);
  s.is_case = c.integer(1) != 0;
  s.key = c.text(2);
  if (!c.null(3)) s.price = c.integer(3);
  s.open = c.integer(4) != 0;
  return s;
}

// address_id, payload_hash, removed_at (only NULL or not), is_on_market.
inline StoredVersion stored_version(const ResultRow& c) {
  StoredVersion v{c.text(0), c.integer(1), !c.null(2), std::nullopt};
  if (!c.null(3)) v.is_on_market = c.integer(3) != 0;
  return v;
}

// The columns of SqlStore::open_cases.
inline StoredCase stored_case(const ResultRow& c) {
  StoredCase out{c.text(0), c.text(1), std::nullopt, c.text(3)};
  if (!c.null(2)) out.price_cash = c.integer(2);
  return out;
}

// code, name, not removed, on market, removed.
inline MunicipalityCount municipality_count(const ResultRow& c) {
  return MunicipalityCount{c.integer(0), c.text(1), c.integer(2), c.integer(3), c.integer(4)};
}

// address_id, stage, reason, attempts, last_failed_at.
inline PendingFailure pending_failure(const ResultRow& c) {
  return PendingFailure{c.text(0), stored_enum(kFailureStageNames, "etl_failures.stage", c.text(1)), c.text(2),
                        c.integer(3), c.time(4)};
}

// id, started_at, finished_at, status, command, summary_json.
inline RunRow run_row(const ResultRow& c) {
  RunRow r{c.integer(0), c.time(1), std::nullopt, stored_enum(kRunStatusNames, "etl_runs.status", c.text(3)),
           c.text(4), c.text(5)};
  if (!c.null(2)) r.finished_at = c.time(2);
  return r;
}

// The columns of SqlStore::events.
inline EventRow event_row(const ResultRow& c) {
  EventRow r;
  PropertyEvent& e = r.event;
  e.address_id = c.text(0);
  e.kind = stored_enum(kEventKindNames, "property_events.kind", c.text(1));
  if (!c.null(2)) e.case_id = c.text(2);
  if (!c.null(3)) e.old_price = c.integer(3);
  if (!c.null(4)) e.new_price = c.integer(4);
  if (!c.null(5)) e.percent = c.real(5);
  if (!c.null(6)) e.sale_amount = c.integer(6);
  if (!c.null(7)) e.sale_date = c.text(7);
  if (!c.null(8)) e.run_id = c.integer(8);
  e.time = c.time(9);
  r.road = c.text(10);
  if (!c.null(11)) r.zip_code = c.integer(11);
  r.city = c.text(12);
  if (!c.null(13)) r.municipality_code = c.integer(13);
  r.municipality = c.text(14);
  return r;
}

// kind, count (SqlStore::event_counts).
inline std::pair<EventKind, std::int64_t> event_count(const ResultRow& c) {
  return {stored_enum(kEventKindNames, "property_events.kind", c.text(0)), c.integer(1)};
}

inline std::array<std::int64_t, kEventKinds> by_kind(const std::vector<std::pair<EventKind, std::int64_t>>& counts) {
  std::array<std::int64_t, kEventKinds> out{};
  for (const auto& [kind, n] : counts) out[static_cast<std::size_t>(kind)] += n;
  return out;
}

// code, name, properties, listed (SqlStore::market).
inline MarketRow market_row(const ResultRow& c) {
  MarketRow r;
  r.municipality_code = c.integer(0);
  r.municipality = c.text(1);
  r.properties = c.integer(2);
  r.listed = c.integer(3);
  return r;
}

// The events of a market read by kind (0 new listings, 1 price cuts, 2 sales) and municipality:
// kind, code, how many in the last 7 days, in the last 30 (SqlStore::market).
struct MarketCount {
  std::int64_t kind = 0;
  std::int64_t code = 0;
  std::int64_t last_7d = 0;
  std::int64_t last_30d = 0;
};
inline MarketCount market_count(const ResultRow& c) {
  return MarketCount{c.integer(0), c.integer(1), c.integer(2), c.integer(3)};
}

// kind (as MarketCount's), week (from the first), how many (SqlStore::weekly_activity).
struct WeekCount {
  std::int64_t kind = 0;
  std::int64_t week = 0;
  std::int64_t count = 0;
};
inline WeekCount week_count(const ResultRow& c) {
  return WeekCount{c.integer(0), c.integer(1), c.integer(2)};
}

// measure, code, median (SqlStore::market).
struct Median {
  std::int64_t measure = 0;
  std::int64_t code = 0;
  double value = 0;
};
inline Median median(const ResultRow& c) {
  return Median{c.integer(0), c.integer(1), c.real(2)};
}

// The columns of SqlStore::listings.
inline ListingPoint listing_point(const ResultRow& c) {
  ListingPoint l;
  l.address_id = c.text(0);
  l.address = c.text(1);
  if (!c.null(2)) l.zip_code = c.integer(2);
  l.city = c.text(3);
  l.municipality = c.text(4);
  if (!c.null(5)) l.price = c.integer(5);
  if (!c.null(6)) l.living_area = c.real(6);
  if (!c.null(7)) l.price_per_m2 = c.real(7);
  if (!c.null(8)) l.latitude = c.real(8);
  if (!c.null(9)) l.longitude = c.real(9);
  l.case_url = c.text(10);
  return l;
}

// The columns of SqlStore::largest_price_cuts.
inline PriceCutRow price_cut_row(const ResultRow& c) {
  return PriceCutRow{c.text(0),    c.text(1), c.text(2), c.text(3), c.integer(4),
                     c.integer(5), c.real(6), c.time(7), c.text(8)};
}

inline std::string first_text(const ResultRow& c) {
  return c.text(0);
}

}  // namespace etl::loaders_detail
