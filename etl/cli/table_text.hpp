// What the commands that print tables and CSV share (`etl changes`, `etl market`): the
// terminal's width, a cell cut or padded to its column, compact prices (CSV: etl/core/csv_writer.hpp).
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

}  // namespace etl::cli
