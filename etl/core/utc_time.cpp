// UTC time text (see utc_time.hpp).
#include "etl/core/utc_time.hpp"

#include <chrono>
#include <ctime>

namespace etl {
namespace {

// The `n` digits of `text` at `at` as a number; nullopt unless all are digits (no sign, no
// space: sscanf's %2d took " 6" and "-1").
std::optional<int> digits(std::string_view text, std::size_t at, std::size_t n) {
  if (at + n > text.size()) return std::nullopt;
  int v = 0;
  for (const char c : text.substr(at, n)) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

}  // namespace

std::optional<std::string> format_utc_time(std::int64_t seconds, const char* format) {
  const std::time_t tt = static_cast<std::time_t>(seconds);
  std::tm tm{};
  if (!gmtime_r(&tt, &tm)) return std::nullopt;
  char buf[64];
  return std::string(buf, std::strftime(buf, sizeof buf, format, &tm));
}

std::optional<std::int64_t> parse_utc_time(std::string_view text) {
  if (text.size() != 20 || text[10] != 'T' || text.back() != 'Z') return std::nullopt;
  return parse_typed_utc_time(text);
}

std::optional<std::int64_t> parse_typed_utc_time(std::string_view text) {
  const auto y = digits(text, 0, 4), mo = digits(text, 5, 2), d = digits(text, 8, 2);
  if (!y || !mo || !d || text[4] != '-' || text[7] != '-') return std::nullopt;
  int h = 0, mi = 0, s = 0;
  if (text.size() > 10) {
    std::string_view time = text.substr(10);
    if (time.size() > 6 && time.back() == 'Z') time.remove_suffix(1);
    if (time.size() != 6 && time.size() != 9) return std::nullopt;  // T06:00, T06:00:00
    const auto hh = digits(time, 1, 2), mm = digits(time, 4, 2), ss = time.size() == 9 ? digits(time, 7, 2) : 0;
    if ((time[0] != 'T' && time[0] != ' ') || time[3] != ':' || (time.size() == 9 && time[6] != ':') || !hh || !mm || !ss)
      return std::nullopt;
    h = *hh;
    mi = *mm;
    s = *ss;
  }
  if (h > 23 || mi > 59 || s > 60) return std::nullopt;
  using namespace std::chrono;
  const year_month_day ymd{year{*y}, month{static_cast<unsigned>(*mo)}, day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  return static_cast<std::int64_t>(sys_days(ymd).time_since_epoch().count()) * 86400 + h * 3600 + mi * 60 + s;
}

}  // namespace etl
