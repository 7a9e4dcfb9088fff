// What PostgreSQL's SQL spells its own way: parameters $N, times as TIMESTAMPTZ read and
// selected as Unix seconds, bound lists as text[] literals, bytewise order by the "C"
// collation, the column types of its schema. Internal to loaders/.
#pragma once

#include <string>
#include <vector>

#include "loaders/dialect.hpp"

namespace etl::loaders_detail {

const SqlSyntax& postgres_syntax();

// A table-map kind's type, as information_schema.columns.data_type names it.
const char* postgres_column_type(Kind kind);

// A PostgreSQL text[] literal ("{...}") of `values`: a TextList as bound.
std::string text_array(const std::vector<std::string>& values);

}  // namespace etl::loaders_detail
