// A count with its noun in the right number ("1 change", "3 changes"), for messages and log
// lines: "1 change(s)" and "1 addresses" read as if nobody checked.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace etl {

inline std::string counted(std::int64_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + ' ' + std::string(n == 1 ? one : many);
}

}  // namespace etl
