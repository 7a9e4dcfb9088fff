// The one merge algorithm (see merge.hpp): what is written where comes from the table map.
#include "loaders/merge.hpp"

#include <spdlog/spdlog.h>

#include <unordered_map>

#include "loaders/fold.hpp"
#include "loaders/store_common.hpp"

namespace etl::loaders_detail {

namespace {

// A dialect transaction, rolled back unless committed.
class Transaction {
 public:
  explicit Transaction(Dialect& d) : d_(d) { d_.begin(); }
  ~Transaction() {
    if (!committed_) d_.rollback();
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit() {
    d_.commit();
    committed_ = true;
  }

 private:
  Dialect& d_;
  bool committed_ = false;
};

struct Counts {
  std::int64_t written = 0, unchanged = 0;
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
    if (!rows[i].empty()) d.write_rows(*tables[i], rows[i], now);
  }
}

// The merge of folded records inside the caller's transaction.
Counts write(Dialect& d, const std::vector<const PropertyRecord*>& records, UnixTime now) {
  std::vector<std::string> ids;
  ids.reserve(records.size());
  for (const PropertyRecord* r : records) ids.push_back(r->address_id);
  std::unordered_map<std::string, StoredVersion> stored;
  for (auto& v : d.stored_versions(ids)) stored.emplace(v.address_id, std::move(v));

  std::vector<const PropertyRecord*> changed, unchanged;
  std::vector<std::string> replaced;  // stored before: their children are replaced
  for (const PropertyRecord* r : records) {
    const auto it = stored.find(r->address_id);
    if (it != stored.end() && it->second.payload_hash == hash_to_db(r->payload_hash) && !it->second.removed) {
      unchanged.push_back(r);
    } else {
      changed.push_back(r);
      if (it != stored.end()) replaced.push_back(r->address_id);
    }
  }
  if (!replaced.empty()) d.delete_children(replaced);
  write_table(d, touch_table(), unchanged, now);
  write_changed(d, changed, now);
  write_table(d, resolve_failures_table(), records, now);
  return Counts{static_cast<std::int64_t>(changed.size()), static_cast<std::int64_t>(unchanged.size())};
}

// One transaction of `records`; nullopt when it committed, else the reason of a row error.
// Any other error propagates.
std::optional<std::string> try_write(Dialect& d, const std::vector<const PropertyRecord*>& records, UnixTime now,
                                     UpsertResult& result) {
  try {
    Transaction tx(d);
    const Counts counts = write(d, records, now);
    tx.commit();
    result.written += counts.written;
    result.unchanged += counts.unchanged;
    return std::nullopt;
  } catch (const std::exception& e) {
    auto reason = d.row_error(e);
    if (!reason) throw;
    return reason;
  }
}

}  // namespace

UpsertResult merge_batch(Dialect& d, const std::vector<PropertyRecord>& records, UnixTime now) {
  const auto folded = fold_batch(records);
  UpsertResult result;
  const auto batch_error = try_write(d, folded, now, result);
  if (!batch_error) return result;
  spdlog::warn("{}: batch of {} failed ({}); retrying row by row", d.name(), folded.size(), *batch_error);
  for (const PropertyRecord* r : folded) {
    if (const auto reason = try_write(d, {r}, now, result)) {
      d.write_failure(FailureRecord{r->address_id, FailureStage::load, *reason, ""}, now);
      result.failures.push_back(UpsertFailure{r->address_id, *reason});
    }
  }
  return result;
}

}  // namespace etl::loaders_detail
