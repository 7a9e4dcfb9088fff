// What the merge (merge.hpp) needs of a database: the small interface a dialect implements
// to get Store::upsert_batch. Called with the store's lock held. Internal to loaders/.
#pragma once

#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "loaders/store.hpp"
#include "loaders/table_map.hpp"

namespace etl::loaders_detail {

struct StoredVersion {
  std::string address_id;
  std::int64_t payload_hash = 0;  // as stored (hash_to_db)
  bool removed = false;
  std::optional<bool> is_on_market;  // NULL: a search item is stored (see replaces, fold.hpp)
};

// A case or registration of a stored address, as the market history rules read it.
struct StoredChild {
  std::string address_id;
  bool is_case = false;  // else a registration
  std::string key;       // case_id or registration_id
  std::optional<std::int64_t> price;  // a case's price_cash
  bool open = false;                  // a case: status open or unknown, no ended_at
};

class Dialect {
 public:
  virtual ~Dialect() = default;

  // "sqlite", "postgresql": for messages.
  virtual std::string name() const = 0;

  // Applies the dialect's schema/ migrations not yet applied; run when the store opens.
  virtual SchemaMigration migrate() = 0;

  // One transaction. A dialect may defer the writes to commit (PostgreSQL sends them as one
  // statement), so an error of a row may surface from commit(). rollback() must not throw.
  virtual void begin() = 0;
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;

  // The stored properties among `ids` (any order).
  virtual std::vector<StoredVersion> stored_versions(const std::vector<std::string>& ids) = 0;

  // The cases and registrations of these stored addresses (any order), inside the transaction.
  virtual std::vector<StoredChild> stored_children(const std::vector<std::string>& ids) = 0;

  // Deletes the rows of child_tables() of these addresses, at once (before deferred writes).
  virtual void delete_children(const std::vector<std::string>& ids) = 0;

  // Writes `rows` to `table` as the map says (insert, upsert or update).
  virtual void write_rows(const Table& table, const std::vector<Row>& rows, UnixTime now) = 0;

  // Store::record_failure under the caller's lock, outside a transaction.
  virtual void write_failure(const FailureRecord& failure, UnixTime now) = 0;

  // The reason to record when `error` was caused by the data of the rows written (a poison
  // row: constraint, type, bad JSON); nullopt when the database itself failed (busy,
  // read-only, disk full, connection lost), which fails the whole call instead.
  virtual std::optional<std::string> row_error(const std::exception& error) = 0;
};

}  // namespace etl::loaders_detail
