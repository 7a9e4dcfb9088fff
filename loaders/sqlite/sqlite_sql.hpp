// What SQLite's SQL spells its own way: parameters ?N, times as fixed-width UTC text, bound
// lists as JSON arrays read by json_each, the column types of its STRICT tables. Internal to loaders/.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "loaders/dialect.hpp"

namespace etl::loaders_detail {

const SqlSyntax& sqlite_syntax();

// 'YYYY-MM-DDTHH:MM:SSZ' (UTC), the SQLite storage form of a timestamp: text order is time order.
std::string format_utc(UnixTime t);
// Inverse of format_utc; throws StoreError on anything else.
UnixTime parse_utc(std::string_view text);

// ["a","b",...]: a TextList as bound, for json_each.
std::string json_string_array(const std::vector<std::string>& values);

}  // namespace etl::loaders_detail
