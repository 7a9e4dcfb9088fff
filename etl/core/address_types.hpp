// The address types the API's search accepts (`addressTypes`; it answers 400 with this list
// for any other, see replica/README.md), and the check `--address-types` makes of them.
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace etl {

inline constexpr std::array<std::string_view, 11> kApiAddressTypes = {
    "villa", "condo", "terraced house", "holiday house", "farm", "hobby farm", "full year plot", "holiday plot",
    "villa apartment", "cooperative", "houseboat"};

// `list` (comma-separated, any case, spaces around commas ignored) in the API's spelling, or
// "" for "all". Throws UsageError naming --address-types, the closest types and the list.
std::string check_address_types(std::string_view list);

}  // namespace etl
