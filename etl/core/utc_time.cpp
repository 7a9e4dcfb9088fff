// UTC time text (see utc_time.hpp).
#include "etl/core/utc_time.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace etl {

std::optional<std::string> format_utc_time(std::int64_t seconds, const char* format) {
  const std::time_t tt = static_cast<std::time_t>(seconds);
  std::tm tm{};
  if (!gmtime_r(&tt, &tm)) return std::nullopt;
  char buf[64];
  return std::string(buf, std::strftime(buf, sizeof buf, format, &tm));
}

std::optional<std::int64_t> parse_utc_time(std::string_view text, bool date_only) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, consumed = 0;
  const std::string str(text);
  const bool date = date_only && str.size() == 10 && std::sscanf(str.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &consumed) == 3;
  const bool time = str.size() == 20 && std::sscanf(str.c_str(), "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi,
                                                    &s, &consumed) == 6;
  if (!(date || time) || consumed != static_cast<int>(str.size()) || h > 23 || mi > 59 || s > 60) return std::nullopt;
  using namespace std::chrono;
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return static_cast<std::int64_t>(sys_days(ymd).time_since_epoch().count()) * 86400 + h * 3600 + mi * 60 + s;
}

}  // namespace etl
