// What the commands that print tables and CSV share (`etl changes`, `etl market`): the
// terminal's width, a cell cut or padded to its column, compact prices, RFC 4180 fields.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace etl::cli {

// The table's width: $COLUMNS when set (as Python's shutil and many tools take it), else the
// terminal's when standard output is one, else 80.
std::size_t table_width();

// `text` in exactly `width` columns: cut with a '~' where too long, padded where short.
std::string cell(const std::string& text, std::size_t width);

// 4195000 -> "4.20M", 850000 -> "850k", nullopt -> "?": prices fit a narrow column.
std::string short_price(const std::optional<std::int64_t>& v);

// RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. The
// API's text goes in as spreadsheet_text (escaped, never a formula), numbers as they are.
std::string csv_field(const std::string& s);

}  // namespace etl::cli
