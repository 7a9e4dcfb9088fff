// What the shared store (sql_store.hpp) needs of a database: the small interface a dialect
// implements to get every Store call, the merge among them, and the pieces its SQL spells its
// own way. Called with the store's lock held. Internal to loaders/.
#pragma once

#include <cstdint>
#include <exception>
#include <optional>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
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

// What a dialect's SQL spells its own way; the statements of sql_store.cpp are written over it.
struct SqlSyntax {
  std::string (*param)(int n);  // the n-th bound parameter (from 1), usable more than once: "?1", "$1"
  std::string (*time)(int n);   // the n-th parameter, a Time, as a timestamp value
  std::string (*time_column)(std::string_view column);  // a timestamp column selected as ResultRow::time reads it
  std::string (*seconds)(std::string_view column);  // a timestamp column as integer Unix seconds, to compute with
  std::string (*list)(int n);   // the n-th parameter, a TextList, as a one-column subquery of its values
  const char* bytewise;         // after an ORDER BY term: compare text bytewise ("" where that is the default)
  const char* (*column_type)(Kind kind);  // a table-map kind's type, as the migrated schema names it
};

// A statement's parameter, bound as the dialect stores it.
struct Time {
  UnixTime seconds = 0;
};
struct TextList {
  std::vector<std::string> values;
};
using Param = std::variant<std::monostate, std::int64_t, std::string, Time, TextList>;  // monostate: NULL

// A result row, read the same way in every dialect (read_rows.hpp decodes it).
class ResultRow {
 public:
  virtual std::string text(int i) const = 0;
  virtual std::int64_t integer(int i) const = 0;
  virtual bool null(int i) const = 0;
  virtual double real(int i) const = 0;
  virtual UnixTime time(int i) const = 0;  // a column selected through SqlSyntax::time_column

 protected:
  ~ResultRow() = default;
};

class Dialect {
 public:
  virtual ~Dialect() = default;

  virtual const SqlSyntax& syntax() const = 0;

  // Runs `sql` with `params` bound in order ($1, $2, ...: SqlSyntax::param) and gives each
  // result row to `row`; returns how many rows the statement changed.
  virtual std::int64_t execute(const std::string& sql, const std::vector<Param>& params,
                               const std::function<void(const ResultRow&)>& row = {}) = 0;

  // As execute, for a SELECT of any size: each row is given to `row` as it arrives, never the
  // whole result held (etl export). Nothing else may run on the connection until it returns.
  virtual void stream(const std::string& sql, const std::vector<Param>& params,
                      const std::function<void(const ResultRow&)>& row) = 0;

  // "sqlite", "postgresql": for messages.
  virtual std::string name() const = 0;

  // Applies the dialect's schema/ migrations not yet applied; run when the store opens.
  virtual SchemaMigration migrate() = 0;

  // One transaction. A dialect may defer the writes to commit (PostgreSQL sends them as one
  // statement), so an error of a row may surface from commit(). rollback() must not throw.
  virtual void begin() = 0;
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;

  // The stored properties among `ids` (any order). Written once, in sql_store.cpp.
  virtual std::vector<StoredVersion> stored_versions(const std::vector<std::string>& ids) = 0;

  // The cases and registrations of these stored addresses (any order), inside the transaction.
  // Written once, in sql_store.cpp.
  virtual std::vector<StoredChild> stored_children(const std::vector<std::string>& ids) = 0;

  // Deletes the rows of child_tables() of these addresses, at once (before deferred writes).
  virtual void delete_children(const std::vector<std::string>& ids) = 0;

  // Writes `rows` to `table` as the map says (insert, upsert or update).
  virtual void write_rows(const Table& table, const std::vector<Row>& rows, UnixTime now) = 0;

  // Store::record_failure under the caller's lock. Written once, in sql_store.cpp.
  virtual void write_failure(const FailureRecord& failure, UnixTime now) = 0;

  // The reason to record when `error` was caused by the data of the rows written (a poison
  // row: constraint, type, bad JSON); nullopt when the database itself failed (busy,
  // read-only, disk full, connection lost), which fails the whole call instead.
  virtual std::optional<std::string> row_error(const std::exception& error) = 0;
};

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

}  // namespace etl::loaders_detail
