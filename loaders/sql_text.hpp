// SQL text both dialects generate alike from the table map: column lists and the SET part
// of an upsert or update. Only the map's constant names become SQL text; every value is a
// bound parameter. Internal to loaders/.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "loaders/table_map.hpp"

namespace etl::loaders_detail {

// "a, b, c": the table's columns, each after `prefix` ("t." -> "t.a, t.b, t.c").
std::string column_list(const Table& table, std::string_view prefix = "");

// "c = <value>, d = COALESCE(<value>, table.d)": the non-key columns an upsert or update
// writes (not OnConflict::keep ones), `value(column)` giving each new value's expression,
// called in column order.
std::string assignments(const Table& table, const std::function<std::string(const Column&)>& value);

// " ON CONFLICT (key) DO UPDATE SET ..." for Write::upsert, "" otherwise.
std::string conflict_clause(const Table& table);

// "k1 = <key(0)> AND k2 = <key(1)>" over the key columns, then AND the table's only_where.
std::string key_condition(const Table& table, const std::function<std::string(const Column&)>& key);

}  // namespace etl::loaders_detail
