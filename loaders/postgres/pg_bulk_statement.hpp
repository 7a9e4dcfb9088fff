// Set-based writes for PostgreSQL, generated from the table map, sent through libpq where
// SOCI cannot: each column's values travel as one array parameter in PostgreSQL's binary
// format (CAST($1 AS bigint[]), unnested in SQL), so no value ever becomes SQL text, the
// server parses no array or number text, and a statement's text depends only on the tables
// it writes, not on its rows: it is prepared once per connection and executed per batch
// (planning was a tenth of the server's time). PgBulkStatement chains a batch's writes as
// data-modifying CTEs: one round trip, as long as its values stay under a statement's byte
// budget (PostgreSQL refuses a Bind message of 1 GB); past it the writes continue in the
// next statement. Internal to loaders/.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "loaders/store.hpp"
#include "loaders/table_map.hpp"

struct pg_conn;

namespace etl::loaders_detail {

// Values per statement, well under PostgreSQL's 1 GB limit of a message.
inline constexpr std::size_t kPgMaxStatementBytes = std::size_t{256} << 20;

class PgBulkStatement {
 public:
  // `max_bytes` below kPgMaxStatementBytes only for tests of the split.
  explicit PgBulkStatement(std::size_t max_bytes = kPgMaxStatementBytes) : max_bytes_(max_bytes) {}

  // Adds the write of `rows` to `table` as the map says: INSERT ... SELECT FROM unnest(...)
  // (ON CONFLICT DO UPDATE for an upsert, whose rows must be folded by key: a statement may
  // not update a row twice; see rows_to_write) or UPDATE ... FROM unnest(...). `now` is the
  // value of Source::run_time columns. Rows that would take a statement past max_bytes go to
  // the next statement, in order.
  void write(const Table& table, const std::vector<Row>& rows, UnixTime now);

  bool empty() const { return parts_.empty() && sealed_.empty(); }
  // How many statements execute() would send.
  std::size_t statements() const { return sealed_.size() + (parts_.empty() ? 0 : 1); }
  // Runs the statements in order on `conn`, each part of one as a CTE ("WITH w0 AS (...), ...
  // <last part>"), preparing a statement text the first time it is seen, and clears. Throws
  // soci::soci_error with the server's message.
  void execute(pg_conn* conn);
  void clear();
  // The connection was replaced: its prepared statements are gone.
  void forget_prepared() { prepared_.clear(); }

 private:
  struct Statement {
    std::string query;
    std::vector<std::string> params;  // binary values, in $n order
  };

  // One INSERT or UPDATE of `rows`, which fit in one statement, appended to the current one.
  void write_part(const Table& table, std::span<const Row> rows, UnixTime now);
  // Ends the current statement: its parts become one query.
  void seal();

  // Binds `value` (binary) as the next parameter; returns its placeholder.
  std::string param(std::string value);
  // The SELECT or SET expression of a column; makes a parameter for a run-time column.
  std::string expression(const Column& column, UnixTime now);
  // "unnest(...) AS t(...)": one array parameter per model column.
  std::string rows_from(const Table& table, std::span<const Row> rows);
  // The name `query` is prepared as on the current connection, preparing it if new.
  const std::string& prepared(pg_conn* conn, const std::string& query, std::size_t params);

  std::size_t max_bytes_;
  std::vector<Statement> sealed_;   // full statements, in order, before the current one
  std::vector<std::string> parts_;  // the current statement
  std::vector<std::string> params_;
  std::size_t bytes_ = 0;  // of params_
  std::unordered_map<std::string, std::string> prepared_;  // query text -> statement name
  std::uint64_t next_name_ = 0;
};

}  // namespace etl::loaders_detail
