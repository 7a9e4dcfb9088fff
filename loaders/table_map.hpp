// The table map: the one C++ place a stored column is named. Per table: its name, how it is
// written (insert, upsert, update), its key and its columns, each with its kind (hence its
// SQL type in each dialect: SqlSyntax::column_type), where its value comes from (the model, the call's time, NULL) and
// what an upsert does to a stored value. Both stores generate their write SQL, binds and
// bulk arrays from it; the merge (merge.hpp) walks it. Internal to loaders/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "etl/core/member_of.hpp"
#include "etl/core/property_event.hpp"
#include "etl/core/property_record.hpp"
#include "loaders/fold.hpp"

namespace etl::loaders_detail {

enum class Kind { text, integer, real, boolean, json, time };


// A stored case the merge ends (sets ended_at).
struct CaseEnd {
  std::string address_id;
  std::string case_id;
};

// The model item one row is written from: the record itself (properties), a child or a
// dimension; or what the market history writes: an event, a case's end.
using Item = std::variant<const PropertyRecord*, const Building*, const Registration*, const ListingCase*,
                          const PriceChange*, const MunicipalityDim*, const ProvinceDim*, const RoadDim*,
                          const ZipDim*, const CityDim*, const PropertyEvent*, const CaseEnd*>;

struct Row {
  const PropertyRecord* record = nullptr;  // the record the row belongs to
  Item item{};
  const ListingCase* listing = nullptr;  // the case of a price change
};

// A column's value in one row; strings point into the model (no copies of ~10 KB payloads).
using Value = std::variant<std::monostate, const std::string*, std::int64_t, double, bool>;

enum class Source {
  model,     // Column::read
  run_time,  // the time of the call
  null,      // always NULL when written
};

// What an upsert does to the stored value of a non-key column.
enum class OnConflict {
  overwrite,
  keep,      // written on insert only (first_seen_at)
  coalesce,  // a NULL keeps the stored value
};

struct Column {
  const char* name;
  Kind kind;
  Value (*read)(const Row&) = nullptr;  // for Source::model
  Source source = Source::model;
  OnConflict on_conflict = OnConflict::overwrite;
};

enum class Write {
  insert,
  upsert,  // INSERT ... ON CONFLICT (key) DO UPDATE
  update,  // UPDATE of the stored rows with the key; no row is inserted
};

struct Table {
  const char* name;
  Write write;
  std::size_t keys;  // the first `keys` columns are the key
  std::span<const Column> columns;
  // Appends the rows this table gets from one record (its children folded).
  void (*collect)(const PropertyRecord&, const FoldedChildren&, std::vector<Row>&);
  // Write::update: "<column> <condition>" the stored row must also meet, e.g. "resolved_at IS NULL".
  const char* only_where = nullptr;
};

// The rows to write of an upsert folded by key (last wins, in first-seen order): a
// PostgreSQL statement may not update a row twice, and a dimension every record of a batch
// names is written once, not once per record. Other writes' rows as they are.
std::vector<Row> rows_to_write(const Table& table, std::vector<Row> rows);

// A changed record's tables in write order: dimensions, the property, its children.
std::span<const Table* const> changed_tables();
// The tables a changed record's rows replace (deleted before writing, last first); their
// first column is the property's address_id. Not cases: they are upserted, and the ones a
// record no longer has are ended (end_cases_table), not deleted.
std::span<const Table* const> child_tables();
// An unchanged record: only last_seen_at, fetched_at and a known search_hash.
const Table& touch_table();
// A search item that does not replace the stored detail (fold.hpp): only last_seen_at.
const Table& seen_table();
// Every written record settles its pending failures.
const Table& resolve_failures_table();

// The market history (market_history.hpp), rows of PropertyEvent or CaseEnd items:
const Table& events_table();     // property_events, one row per event
const Table& end_cases_table();  // cases: ended_at of a CaseEnd
// Store::mark_removed, rows of `removed` events: the property's removed_at, its failures resolved.
const Table& remove_table();
const Table& resolve_removed_table();
// Every table above whose statements a dialect prepares besides changed_tables().
std::span<const Table* const> history_tables();

// --- how a column is read from the model ----------------------------------------------

inline Value value_of(const std::string& v) { return &v; }
inline Value value_of(std::int64_t v) { return v; }
inline Value value_of(double v) { return v; }
inline Value value_of(bool v) { return v; }
template <class T>
Value value_of(const std::optional<T>& v) {
  return v ? value_of(*v) : Value{};
}

template <class T>
struct Unoptional {
  using type = T;
};
template <class T>
struct Unoptional<std::optional<T>> {
  using type = T;
};

template <class T>
constexpr Kind kind_of() {
  using U = typename Unoptional<T>::type;
  static_assert(std::is_same_v<U, std::string> || std::is_same_v<U, std::int64_t> || std::is_same_v<U, double> ||
                    std::is_same_v<U, bool>,
                "a model field is a string, an int64, a double or a bool");
  if constexpr (std::is_same_v<U, std::string>) return Kind::text;
  if constexpr (std::is_same_v<U, std::int64_t>) return Kind::integer;
  if constexpr (std::is_same_v<U, double>) return Kind::real;
  return Kind::boolean;
}

template <auto Member>
Value field(const Row& row) {
  using Owner = member_owner<Member>;
  return value_of(std::get<const Owner*>(row.item)->*Member);
}

// The column `name` is the model field `Member` of the row's item; its kind follows the field's type.
template <auto Member>
constexpr Column col(const char* name, OnConflict on_conflict = OnConflict::overwrite) {
  return Column{name, kind_of<member_type<Member>>(), &field<Member>, Source::model,
                on_conflict};
}

}  // namespace etl::loaders_detail
