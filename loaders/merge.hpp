// The merge behind Store::upsert_batch, written once over a Dialect (dialect.hpp).
#pragma once

#include <vector>

#include "loaders/dialect.hpp"

namespace etl::loaders_detail {

// Folds the batch (duplicate address IDs: last wins), then in one transaction: reads the
// stored hashes of its IDs; an address stored with the same payload hash and not removed is
// only touched (last_seen_at, fetched_at, a known search_hash); the others get their
// dimensions upserted, their property upserted and their children replaced; every written
// address's pending failures are resolved. On a row-caused error the transaction is rolled
// back and the batch retried row by row, each row its own transaction, so only the poison
// rows fail: they are recorded in etl_failures (stage "load") and returned. Other errors
// propagate as the dialect threw them.
UpsertResult merge_batch(Dialect& dialect, const std::vector<PropertyRecord>& records, UnixTime now);

}  // namespace etl::loaders_detail
