// Text from the API (names, addresses, error reasons) made safe for a terminal and for a
// spreadsheet: what a hostile payload holds must not drive the terminal or run as a formula.
#pragma once

#include <string>
#include <string_view>

namespace etl {

// Every control character (C0, DEL and the C1 code points U+0080-U+009F) as a visible
// escape: "\n", "\t", "\r", "\x1b", "\u009b". ESC sequences cannot reach the terminal, and a
// newline cannot break a table row or a log line. Everything else is kept as it is.
std::string printable(std::string_view text);

// A CSV cell a spreadsheet shows as text: printable() (so no tab or carriage return either),
// and one starting with =, +, - or @ gets a leading ' so it is never taken for a formula
// (OWASP's CSV injection advice). For text cells only: a negative number stays a number.
std::string spreadsheet_text(std::string_view text);

}  // namespace etl
