// UTC time text: the stored form only where stored times are read, the forms people type
// where they give one (`etl changes --since`), and no date that does not exist.
#include <gtest/gtest.h>

#include "etl/core/utc_time.hpp"

namespace etl {
namespace {

constexpr std::int64_t kNov30 = 1'795'996'800;  // 2026-11-30T00:00:00Z

TEST(UtcTime, StoredFormOnly) {
  EXPECT_EQ(parse_utc_time("2026-11-30T06:07:08Z"), kNov30 + 6 * 3600 + 7 * 60 + 8);
  for (const char* other : {"2026-11-30", "2026-11-30 06:07:08", "2026-11-30T06:07", "2026-11-30T06:07:08"})
    EXPECT_EQ(parse_utc_time(other), std::nullopt) << other;
  EXPECT_EQ(format_utc_time(kNov30), "2026-11-30T00:00:00Z");
}

TEST(UtcTime, TypedForms) {
  EXPECT_EQ(parse_typed_utc_time("2026-11-30"), kNov30);
  for (const char* minute : {"2026-11-30 06:07", "2026-11-30T06:07", "2026-11-30T06:07Z", "2026-11-30 06:07Z"})
    EXPECT_EQ(parse_typed_utc_time(minute), kNov30 + 6 * 3600 + 7 * 60) << minute;
  for (const char* second : {"2026-11-30 06:07:08", "2026-11-30T06:07:08", "2026-11-30T06:07:08Z"})
    EXPECT_EQ(parse_typed_utc_time(second), kNov30 + 6 * 3600 + 7 * 60 + 8) << second;
}

TEST(UtcTime, RefusesWhatIsNoTime) {
  for (const char* wrong :
       {"", "2026", "2026-11", "2026-02-30", "2026-13-01", "2026-11-31", "2026-11-30 24:00", "2026-11-30 06:60",
        "2026-11-30 06:07:61", "2026-11-30 6:07", "2026-11-30T-1:00", "2026-11-30T 6:07", "2026-11-30T06",
        "2026-11-30T06:07:08ZZ", "2026-11-30Z", "2026-11-30x06:07", "2026-11-30 06:07 ", " 2026-11-30", "2026/11/30",
        "+026-11-30", "30-11-2026"})
    EXPECT_EQ(parse_typed_utc_time(wrong), std::nullopt) << "'" << wrong << "'";
  EXPECT_EQ(parse_typed_utc_time("2028-02-29"), kNov30 + (365 + 91) * 86400LL) << "a leap day";
}

}  // namespace
}  // namespace etl
