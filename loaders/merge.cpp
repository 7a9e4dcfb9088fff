// The one merge algorithm (see merge.hpp): what is written where comes from the table map.
#include "loaders/merge.hpp"

#include <spdlog/spdlog.h>

#include <unordered_map>

#include "loaders/fold.hpp"
#include "loaders/market_history.hpp"
#include "loaders/store_common.hpp"

namespace etl::loaders_detail {

namespace {

struct Counts {
  std::int64_t written = 0, added = 0, unchanged = 0;
  std::array<std::int64_t, kEventKinds> events{};
};

// The touch and the failure resolution: one row per record, no children.
void write_table(Dialect& d, const Table& table, const std::vector<const PropertyRecord*>& records, UnixTime now) {
  std::vector<Row> rows;
  const FoldedChildren none;
  for (const PropertyRecord* r : records) table.collect(*r, none, rows);
  if (!rows.empty()) d.write_rows(table, rows, now);
}

// Every row of the changed records, table by table in the map's write order.
void write_changed(Dialect& d, const std::vector<const PropertyRecord*>& records, UnixTime now) {
  const auto tables = changed_tables();
  std::vector<std::vector<Row>> rows(tables.size());
  for (const PropertyRecord* r : records) {
    const FoldedChildren children = fold_children(*r);
    for (std::size_t i = 0; i < tables.size(); ++i) tables[i]->collect(*r, children, rows[i]);
  }
  for (std::size_t i = 0; i < tables.size(); ++i) {
    if (!rows[i].empty()) d.write_rows(*tables[i], rows_to_write(*tables[i], std::move(rows[i])), now);
  }
}

// What the changed records' writes observe (market_history.hpp), over their stored children.
struct History {
  std::vector<PropertyEvent> events;
  std::vector<CaseEnd> ended;
};

History observe(Dialect& d, const std::vector<const PropertyRecord*>& changed,
                const std::unordered_map<std::string, StoredVersion>& stored, const std::vector<std::string>& replaced,
                UnixTime now, std::optional<std::int64_t> run_id) {
  std::unordered_map<std::string, StoredChildren> children;
  if (!replaced.empty()) {
    for (auto& c : d.stored_children(replaced)) {
      StoredChildren& of = children[c.address_id];
      if (c.is_case) {
        of.cases.push_back(StoredListing{std::move(c.key), c.price, c.open});
      } else {
        of.registrations.push_back(StoredSale{std::move(c.key)});
      }
    }
  }
  History h;
  const StoredChildren none;
  for (const PropertyRecord* r : changed) {
    const auto s = stored.find(r->address_id);
    const StoredAs as = s == stored.end() ? StoredAs::absent : s->second.removed ? StoredAs::removed : StoredAs::live;
    const auto c = children.find(r->address_id);
    ObservedChange change = observe_write(as, c == children.end() ? none : c->second, *r);
    for (auto& e : change.events) {
      e.time = now;
      e.run_id = run_id;
      h.events.push_back(std::move(e));
    }
    for (auto& id : change.ended_cases) h.ended.push_back(CaseEnd{r->address_id, std::move(id)});
  }
  return h;
}

// Rows of `items` for a history table (no record: the item is the row).
template <class T>
void write_items(Dialect& d, const Table& table, const std::vector<T>& items, UnixTime now) {
  std::vector<Row> rows;
  rows.reserve(items.size());
  for (const T& item : items) rows.push_back(Row{nullptr, &item});
  if (!rows.empty()) d.write_rows(table, rows, now);
}

void count_events(const std::vector<PropertyEvent>& events, std::array<std::int64_t, kEventKinds>& counts) {
  for (const PropertyEvent& e : events) ++counts[static_cast<std::size_t>(e.kind)];
}

// The merge of folded records inside the caller's transaction.
Counts write(Dialect& d, const std::vector<const PropertyRecord*>& records, UnixTime now,
             std::optional<std::int64_t> run_id) {
  std::vector<std::string> ids;
  ids.reserve(records.size());
  for (const PropertyRecord* r : records) ids.push_back(r->address_id);
  std::unordered_map<std::string, StoredVersion> stored;
  for (auto& v : d.stored_versions(ids)) stored.emplace(v.address_id, std::move(v));

  std::vector<const PropertyRecord*> changed, unchanged, kept;
  std::vector<std::string> replaced;  // stored before: their children are replaced
  for (const PropertyRecord* r : records) {
    const auto it = stored.find(r->address_id);
    const bool live = it != stored.end() && !it->second.removed;
    if (live && !replaces(*r, it->second.is_on_market)) {
      kept.push_back(r);
    } else if (live && it->second.payload_hash == hash_to_db(r->payload_hash)) {
      unchanged.push_back(r);
    } else {
      changed.push_back(r);
      if (it != stored.end()) replaced.push_back(r->address_id);
    }
  }
  const History history = observe(d, changed, stored, replaced, now, run_id);
  if (!replaced.empty()) d.delete_children(replaced);
  write_table(d, touch_table(), unchanged, now);
  write_table(d, seen_table(), kept, now);
  write_changed(d, changed, now);
  write_items(d, end_cases_table(), history.ended, now);
  write_items(d, events_table(), history.events, now);
  write_table(d, resolve_failures_table(), records, now);
  Counts counts{static_cast<std::int64_t>(changed.size()),
                static_cast<std::int64_t>(changed.size() - replaced.size()),
                static_cast<std::int64_t>(unchanged.size() + kept.size()),
                {}};
  count_events(history.events, counts.events);
  return counts;
}

// One transaction of `records`; nullopt when it committed, else the reason of a row error.
// Any other error propagates.
std::optional<std::string> try_write(Dialect& d, const std::vector<const PropertyRecord*>& records, UnixTime now,
                                     std::optional<std::int64_t> run_id, UpsertResult& result) {
  try {
    Transaction tx(d);
    const Counts counts = write(d, records, now, run_id);
    tx.commit();
    result.written += counts.written;
    result.added += counts.added;
    result.unchanged += counts.unchanged;
    for (std::size_t k = 0; k < kEventKinds; ++k) result.events[k] += counts.events[k];
    return std::nullopt;
  } catch (const std::exception& e) {
    auto reason = d.row_error(e);
    if (!reason) throw;
    return reason;
  }
}

}  // namespace

UpsertResult merge_batch(Dialect& d, const std::vector<PropertyRecord>& records, UnixTime now,
                         std::optional<std::int64_t> run_id) {
  const auto folded = fold_batch(records);
  UpsertResult result;
  const auto batch_error = try_write(d, folded, now, run_id, result);
  if (!batch_error) return result;
  spdlog::warn("{}: batch of {} failed ({}); retrying row by row", d.name(), folded.size(), *batch_error);
  for (const PropertyRecord* r : folded) {
    if (const auto reason = try_write(d, {r}, now, run_id, result)) {
      d.write_failure(FailureRecord{r->address_id, FailureStage::load, *reason, ""}, now);
      result.failures.push_back(UpsertFailure{r->address_id, *reason});
    }
  }
  return result;
}

std::int64_t merge_removals(Dialect& d, const std::vector<std::string>& ids, UnixTime now,
                    std::optional<std::int64_t> run_id) {
  Transaction tx(d);
  std::vector<PropertyEvent> all;  // every ID's failures are resolved; only a live one is removed
  all.reserve(ids.size());
  for (const auto& id : ids) all.push_back(removal_event(id));
  std::unordered_map<std::string, bool> removed;
  for (const auto& v : d.stored_versions(ids)) removed.emplace(v.address_id, v.removed);
  std::vector<PropertyEvent> events;
  std::vector<std::string> live;
  for (const PropertyEvent& e : all) {
    const auto it = removed.find(e.address_id);
    if (it == removed.end() || it->second) continue;
    removed[e.address_id] = true;  // an ID given twice is removed once
    live.push_back(e.address_id);
    events.push_back(e);
    events.back().time = now;
    events.back().run_id = run_id;
  }
  // No open case hangs on a removed property.
  std::vector<CaseEnd> ended;
  if (!live.empty()) {
    for (auto& c : d.stored_children(live))
      if (c.is_case && c.open) ended.push_back(CaseEnd{std::move(c.address_id), std::move(c.key)});
  }
  write_items(d, remove_table(), events, now);
  write_items(d, end_cases_table(), ended, now);
  write_items(d, events_table(), events, now);
  write_items(d, resolve_removed_table(), all, now);
  tx.commit();
  return static_cast<std::int64_t>(events.size());
}

}  // namespace etl::loaders_detail
