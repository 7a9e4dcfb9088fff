// Set-based writes for PostgreSQL, generated from the table map: column values travel as
// array literals bound as single text parameters (CAST(:p AS bigint[])) and are unnested in
// SQL, so a batch of any size is one statement per table and no value ever becomes SQL
// text. PgBulkStatement chains those statements as data-modifying CTEs: a batch's writes to
// every table cost one round trip, as long as the statement stays under PostgreSQL's limit of
// 65,535 bind parameters; past it the writes continue in the next statement (a larger batch
// costs a few round trips, never a row-by-row retry). Internal to loaders/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "loaders/store.hpp"
#include "loaders/table_map.hpp"

namespace soci {
class session;
}

namespace etl::loaders_detail {

// A PostgreSQL array literal ("{...}") built element by element.
class PgArray {
 public:
  void null();
  void text(const std::string& v);
  void integer(std::int64_t v);
  void real(double v);
  void boolean(bool v);
  void add(const Value& v);
  std::string str() const { return s_ + "}"; }

 private:
  void sep() {
    if (n_++) s_ += ',';
  }
  std::string s_ = "{";
  std::size_t n_ = 0;
};

std::string text_array(const std::vector<std::string>& values);

// The protocol's limit: a Bind message counts its parameters in 16 bits.
inline constexpr std::size_t kPgMaxParams = 65535;

class PgBulkStatement {
 public:
  // `max_params` below the protocol's limit only for tests of the split.
  explicit PgBulkStatement(std::size_t max_params = kPgMaxParams) : max_params_(max_params) {}

  // Adds the write of `rows` to `table` as the map says: INSERT ... SELECT FROM unnest(...)
  // (ON CONFLICT DO UPDATE for an upsert, whose rows must be folded by key: a statement may
  // not update a row twice; see rows_to_write) or UPDATE ... FROM unnest(...). Each Kind::json value is a parameter of its
  // own (see the .cpp). `now` is the value of Source::run_time columns. Rows that would take
  // a statement past max_params go to the next statement, in order.
  void write(const Table& table, const std::vector<Row>& rows, UnixTime now);

  bool empty() const { return parts_.empty() && sealed_.empty(); }
  // How many statements execute() would send.
  std::size_t statements() const { return sealed_.size() + (parts_.empty() ? 0 : 1); }
  // Runs the statements in order, each part of one as a CTE ("WITH w0 AS (...), ... <last
  // part>"), and clears.
  void execute(soci::session& sql);
  void clear();

 private:
  struct Statement {
    std::string query;
    std::vector<std::string> params;
  };

  // One INSERT or UPDATE of `rows`, which fit in one statement, appended to the current one.
  void write_part(const Table& table, const std::vector<const Row*>& rows, UnixTime now);
  // Ends the current statement: its parts become one query.
  void seal();

  // Binds `value` as the next parameter; returns its placeholder. Parameters must appear in
  // the statement in the order they were made (SOCI binds them by position).
  std::string param(std::string value);
  // The SELECT or SET expression of a column; makes a parameter for a run-time column.
  std::string expression(const Column& column, UnixTime now);
  // "unnest(...) AS t(...)", joined to the rows' JSON values when the table has any.
  std::string rows_from(const Table& table, const std::vector<const Row*>& rows);

  std::size_t max_params_;
  std::vector<Statement> sealed_;   // full statements, in order, before the current one
  std::vector<std::string> parts_;  // the current statement
  std::vector<std::string> params_;
};

}  // namespace etl::loaders_detail
