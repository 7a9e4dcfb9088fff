// Set-based writes for PostgreSQL, generated from the table map: column values travel as
// array literals bound as single text parameters (CAST(:p AS bigint[])) and are unnested in
// SQL, so a batch of any size is one statement per table and no value ever becomes SQL
// text. PgBulkStatement chains those statements as data-modifying CTEs: a batch's writes to
// every table cost one round trip. Internal to loaders/.
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

class PgBulkStatement {
 public:
  // Adds the write of `rows` to `table` as the map says: INSERT ... SELECT FROM unnest(...)
  // (ON CONFLICT DO UPDATE for an upsert, its rows folded by key: a statement may not update
  // a row twice) or UPDATE ... FROM unnest(...). Each Kind::json value is a parameter of its
  // own (see the .cpp). `now` is the value of Source::run_time columns.
  void write(const Table& table, const std::vector<Row>& rows, UnixTime now);

  bool empty() const { return parts_.empty(); }
  // Runs every part as one statement ("WITH w0 AS (...), ... <last part>") and clears.
  void execute(soci::session& sql);
  void clear();

 private:
  // Binds `value` as the next parameter; returns its placeholder. Parameters must appear in
  // the statement in the order they were made (SOCI binds them by position).
  std::string param(std::string value);
  // The SELECT or SET expression of a column; makes a parameter for a run-time column.
  std::string expression(const Column& column, UnixTime now);
  // "unnest(...) AS t(...)", joined to the rows' JSON values when the table has any.
  std::string rows_from(const Table& table, const std::vector<const Row*>& rows);

  std::vector<std::string> parts_;
  std::vector<std::string> params_;
};

}  // namespace etl::loaders_detail
