// PostgreSQL bulk writes generated from the table map (see pg_bulk_statement.hpp).
#include "loaders/postgres/pg_bulk_statement.hpp"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <bit>
#include <memory>
#include <stdexcept>
#include <string_view>

#include "loaders/postgres/postgres_sql.hpp"
#include "loaders/postgres/soci_compat.hpp"
#include "loaders/sql_text.hpp"

namespace etl::loaders_detail {

namespace {

bool is_json(const Column& c) { return c.kind == Kind::json; }

// The element type a column's values travel as: a JSON document as text, cast in the SELECT.
const char* element_type(const Column& c) { return is_json(c) ? "text" : postgres_column_type(c.kind); }

// Integers go big-endian (network order) in PostgreSQL's binary formats.
void put32(std::string& out, std::uint32_t v) {
  if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap32(v);
  out.append(reinterpret_cast<const char*>(&v), 4);
}

void put64(std::string& out, std::uint64_t v) {
  if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap64(v);
  out.append(reinterpret_cast<const char*>(&v), 8);
}

// A one-dimensional array in PostgreSQL's binary format (array_recv): a header of ndim,
// has-null flag, element type OID, length and lower bound; then each element as its length
// (-1: NULL) and bytes, integers big-endian.
class BinaryArray {
 public:
  explicit BinaryArray(const Column& c) : oid_(oid(c)) { out_.resize(kHeader); }

  void operator()(std::monostate) {
    put32(out_, static_cast<std::uint32_t>(-1));
    has_null_ = true;
    ++n_;
  }
  void operator()(const std::string* v) {
    put32(out_, static_cast<std::uint32_t>(v->size()));
    out_ += *v;
    ++n_;
  }
  void operator()(std::int64_t v) { fixed(static_cast<std::uint64_t>(v)); }
  void operator()(double v) { fixed(std::bit_cast<std::uint64_t>(v)); }
  void operator()(bool v) {
    put32(out_, 1);
    out_ += v ? '\1' : '\0';
    ++n_;
  }

  std::string finish() && {
    std::string header;
    put32(header, n_ ? 1 : 0);  // an empty array has no dimension
    put32(header, has_null_ ? 1 : 0);
    put32(header, oid_);
    if (n_) {
      put32(header, static_cast<std::uint32_t>(n_));
      put32(header, 1);  // lower bound
    }
    out_.replace(0, kHeader, header);
    return std::move(out_);
  }

 private:
  static constexpr std::size_t kHeader = 20;

  static std::uint32_t oid(const Column& c) {
    switch (c.kind) {  // pg_type OIDs, fixed since PostgreSQL 7
      case Kind::integer: return 20;   // int8
      case Kind::real: return 701;     // float8
      case Kind::boolean: return 16;   // bool
      case Kind::text:
      case Kind::json: return 25;      // text
      case Kind::time: break;          // never a model value: written as the run's time
    }
    throw std::logic_error(fmt::format("pg bulk statement: no array type for column {}", c.name));
  }
  void fixed(std::uint64_t bits) {
    put32(out_, 8);
    put64(out_, bits);
    ++n_;
  }

  std::uint32_t oid_;
  std::string out_;
  std::size_t n_ = 0;
  bool has_null_ = false;
};

// The bytes a row's values take in the arrays.
std::size_t row_bytes(const Table& table, const Row& row) {
  std::size_t n = 0;
  for (const Column& c : table.columns) {
    if (c.source != Source::model) continue;
    const Value v = c.read(row);
    n += 4;
    if (const auto* s = std::get_if<const std::string*>(&v)) {
      n += (*s)->size();
    } else if (!std::holds_alternative<std::monostate>(v)) {
      n += 8;
    }
  }
  return n;
}

struct ClearResult {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ClearResult>;

// Throws the server's message unless `r` is a success.
void check(const Result& r, pg_conn* conn) {
  const auto status = PQresultStatus(r.get());
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
  throw soci::soci_error(r ? PQresultErrorMessage(r.get()) : PQerrorMessage(conn));
}

}  // namespace

std::string PgBulkStatement::param(std::string value) {
  bytes_ += value.size();
  params_.push_back(std::move(value));
  return fmt::format("${}", params_.size());
}

std::string PgBulkStatement::expression(const Column& c, UnixTime now) {
  switch (c.source) {
    case Source::run_time: {
      std::string bits;
      put64(bits, static_cast<std::uint64_t>(now));
      return fmt::format("to_timestamp(CAST({} AS bigint))", param(std::move(bits)));
    }
    case Source::null: return "NULL";
    case Source::model: break;
  }
  return is_json(c) ? fmt::format("CAST(t.{} AS {})", c.name, postgres_column_type(c.kind))
                    : fmt::format("t.{}", c.name);
}

std::string PgBulkStatement::rows_from(const Table& table, std::span<const Row> rows) {
  std::string arrays, names;
  for (const Column& c : table.columns) {
    if (c.source != Source::model) continue;
    BinaryArray a(c);
    for (const Row& row : rows) std::visit(a, c.read(row));
    arrays += fmt::format("{}CAST({} AS {}[])", arrays.empty() ? "" : ", ", param(std::move(a).finish()),
                          element_type(c));
    names += fmt::format("{}{}", names.empty() ? "" : ", ", c.name);
  }
  return fmt::format("unnest({}) AS t({})", arrays, names);
}

void PgBulkStatement::write(const Table& table, const std::vector<Row>& rows, UnixTime now) {
  // Besides its arrays' elements a part takes at most 20 bytes per column (an array's header,
  // a run time), so this bound keeps every statement under the budget without building it twice.
  const std::size_t fixed = 20 * table.columns.size();
  for (std::size_t begin = 0; begin < rows.size();) {
    std::size_t need = fixed, end = begin;
    while (end < rows.size()) {
      const std::size_t row = row_bytes(table, rows[end]);
      if (need + row > max_bytes_) break;
      need += row;
      ++end;
    }
    if (end == begin) throw std::logic_error(fmt::format("pg bulk statement: one row of {} exceeds a statement", table.name));
    if (bytes_ + need > max_bytes_) seal();
    write_part(table, std::span(rows).subspan(begin, end - begin), now);
    begin = end;
  }
}

void PgBulkStatement::write_part(const Table& table, std::span<const Row> rows, UnixTime now) {
  const auto key = [](const Column& c) { return fmt::format("t.{}", c.name); };
  // Parameters are made in the order they appear: the expressions, then the rows.
  if (table.write == Write::update) {
    const std::string set = assignments(table, [&](const Column& c) { return expression(c, now); });
    const std::string from = rows_from(table, rows);
    parts_.push_back(
        fmt::format("UPDATE {} SET {} FROM {} WHERE {}", table.name, set, from, key_condition(table, key)));
    return;
  }
  std::string select;
  for (const Column& c : table.columns) select += fmt::format("{}{}", select.empty() ? "" : ", ", expression(c, now));
  const std::string from = rows_from(table, rows);
  parts_.push_back(fmt::format("INSERT INTO {} ({}) SELECT {} FROM {}{}", table.name, column_list(table), select, from,
                               conflict_clause(table)));
}

void PgBulkStatement::seal() {
  if (parts_.empty()) return;
  std::string query;
  for (std::size_t i = 0; i + 1 < parts_.size(); ++i) {
    query += fmt::format("{}w{} AS ({})", i ? ", " : "WITH ", i, parts_[i]);
  }
  query += (parts_.size() > 1 ? " " : "") + parts_.back();
  sealed_.push_back(Statement{std::move(query), std::move(params_)});
  parts_.clear();
  params_.clear();
  bytes_ = 0;
}

const std::string& PgBulkStatement::prepared(pg_conn* conn, const std::string& query, std::size_t params) {
  if (const auto it = prepared_.find(query); it != prepared_.end()) return it->second;
  // A batch writes one of a few table sets; a bound keeps an odd run from growing the server's cache.
  if (prepared_.size() >= 64) {
    check(Result(PQexec(conn, "DEALLOCATE ALL")), conn);
    prepared_.clear();
  }
  std::string name = fmt::format("propetl_bulk_{}", next_name_++);
  check(Result(PQprepare(conn, name.c_str(), query.c_str(), static_cast<int>(params), nullptr)), conn);
  return prepared_.emplace(query, std::move(name)).first->second;
}

void PgBulkStatement::execute(pg_conn* conn) {
  seal();
  for (const Statement& s : sealed_) {
    const std::string& name = prepared(conn, s.query, s.params.size());
    std::vector<const char*> values;
    std::vector<int> lengths, formats(s.params.size(), 1);
    for (const std::string& p : s.params) {
      values.push_back(p.data());
      lengths.push_back(static_cast<int>(p.size()));
    }
    Result r(PQexecPrepared(conn, name.c_str(), static_cast<int>(s.params.size()), values.data(), lengths.data(),
                            formats.data(), 0));
    // Gone from the session (DISCARD ALL): this transaction is lost, the caller's retry (row
    // by row) prepares again.
    const char* state = PQresultErrorField(r.get(), PG_DIAG_SQLSTATE);
    if (state && std::string_view(state) == "26000") prepared_.clear();
    check(r, conn);
  }
  clear();
}

void PgBulkStatement::clear() {
  sealed_.clear();
  parts_.clear();
  params_.clear();
  bytes_ = 0;
}

}  // namespace etl::loaders_detail
