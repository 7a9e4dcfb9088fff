// SQLite's write of one row of a table-map table: the statement, prepared once per table
// and cached by the store, and the positional binds of a row. Internal to loaders/.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <string>

#include "loaders/table_map.hpp"

namespace etl::loaders_detail {

// INSERT (ON CONFLICT ... DO UPDATE for an upsert) or UPDATE of one row: parameters ?1, ?2,
// ... for the columns in map order, skipping Source::null ones (NULL in the text).
std::string sqlite_row_sql(const Table& table);

// Binds `row` to a statement of sqlite_row_sql(table); `run_time` (format_utc of the call's
// time) and the row's strings are bound without a copy, so they must outlive the step.
void bind_row(SQLite::Statement& statement, const Table& table, const Row& row, const std::string& run_time);

}  // namespace etl::loaders_detail
