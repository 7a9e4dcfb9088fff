// CSV as RFC 4180 writes it: one record a line ended by CRLF, a field quoted when it holds a
// comma, a quote or a line break, its quotes doubled. What `etl changes` and `etl export` write.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace etl {

// One field, quoted where RFC 4180 needs it. Text from the API goes in as spreadsheet_text
// (printable_text.hpp: escaped, never a formula); numbers as they are.
std::string csv_field(std::string_view text);

// Appends one record: the fields (csv_field each) separated by commas, then CRLF.
void append_csv_record(std::string& out, const std::vector<std::string>& fields);

}  // namespace etl
