// The merge behind Store::upsert_batch, written once over a Dialect (dialect.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "loaders/dialect.hpp"
#include "loaders/store.hpp"

namespace etl::loaders_detail {

// Folds the batch (duplicate address IDs: last wins, but see fold.hpp's replaces), then in
// one transaction: reads the stored hashes of its IDs; a search item over a live stored
// detail it does not replace only moves last_seen_at (the detail, its fetched_at and search
// hash stay); an address stored with the same payload hash and not removed is only touched
// (last_seen_at, fetched_at, a known search_hash); the others get their dimensions upserted,
// their property upserted and their children replaced; every written address's pending
// failures are resolved. On a row-caused error the transaction is rolled
// back and the batch retried row by row, each row its own transaction, so only the poison
// rows fail: they are recorded in etl_failures (stage "load") and returned. Other errors
// propagate as the dialect threw them.
// The writes also record what they observe (market_history.hpp): events (with `run_id`),
// the end of the cases a record no longer has, in the same transaction.
UpsertResult merge_batch(Dialect& dialect, const std::vector<PropertyRecord>& records, UnixTime now,
                         std::optional<std::int64_t> run_id);

// Store::mark_removed in one transaction: removed_at, a `removed` event and ended_at on its
// open cases for each live stored address among `ids`; every ID's pending failures resolved. Returns how many were removed.
std::int64_t merge_removals(Dialect& dialect, const std::vector<std::string>& ids, UnixTime now,
                    std::optional<std::int64_t> run_id);

}  // namespace etl::loaders_detail
