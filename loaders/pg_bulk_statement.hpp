// Set-based writes for PostgreSQL: column values travel as array literals bound as single
// text parameters (CAST(:p AS bigint[])) and are unnested in SQL, so a batch of any size is
// one statement per table and no value ever becomes SQL text. PgBulkStatement chains those
// statements as data-modifying CTEs: a batch's writes to every table cost one round trip.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

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
  void add(const std::optional<std::string>& v) { v ? text(*v) : null(); }
  void add(const std::optional<std::int64_t>& v) { v ? integer(*v) : null(); }
  void add(const std::optional<double>& v) { v ? real(*v) : null(); }
  void add(const std::optional<bool>& v) { v ? boolean(*v) : null(); }
  std::string str() const { return s_ + "}"; }
  std::size_t size() const { return n_; }

 private:
  void sep() {
    if (n_++) s_ += ',';
  }
  std::string s_ = "{";
  std::size_t n_ = 0;
};

std::string text_array(const std::vector<std::string>& values);

// The columns of one table's rows: name, SQL element type, values.
struct Columns {
  std::vector<std::string> names;
  std::vector<std::string> types;
  std::vector<PgArray> arrays;

  PgArray& col(const std::string& name, const std::string& type);
  std::size_t rows() const { return arrays.empty() ? 0 : arrays.front().size(); }

 private:
  std::unordered_map<std::string, std::size_t> index;
};

class PgBulkStatement {
 public:
  // Binds `value` as the next parameter; returns its placeholder. Parameters must appear in
  // the statement in the order they were made (SOCI binds them by position).
  std::string param(std::string value);
  std::string param(std::int64_t value) { return param(std::to_string(value)); }

  // "unnest(...) AS t(<names>)" over `cols`, binding one parameter per column; `numbered`
  // adds WITH ORDINALITY and the row number as column n.
  std::string unnest(const Columns& cols, bool numbered = false);

  // Adds "INSERT INTO table (cols) SELECT * FROM unnest(...) <tail>"; nothing when `cols`
  // has no rows.
  void insert(const std::string& table, const Columns& cols, const std::string& tail);

  // Adds any data-modifying statement.
  void add(std::string sql) { parts_.push_back(std::move(sql)); }

  bool empty() const { return parts_.empty(); }
  // Runs every part as one statement ("WITH w0 AS (...), ... <last part>").
  void execute(soci::session& sql);

 private:
  std::vector<std::string> parts_;
  std::vector<std::string> params_;
};

}  // namespace etl::loaders_detail
