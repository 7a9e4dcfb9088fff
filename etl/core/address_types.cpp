#include "etl/core/address_types.hpp"

#include <vector>

#include "etl/core/errors.hpp"
#include "etl/core/name_match.hpp"

namespace etl {

std::string check_address_types(std::string_view list) {
  if (fold_name(list) == "all") return "";
  const std::vector<std::string> known(kApiAddressTypes.begin(), kApiAddressTypes.end());
  std::string out;
  for (std::size_t start = 0; start <= list.size();) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    std::string_view item = list.substr(start, comma - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    start = comma + 1;
    std::string match;
    for (const std::string& k : known)
      if (fold_name(k) == fold_name(item)) match = k;
    if (match.empty()) {
      std::string all;
      for (const std::string& k : known) all += (all.empty() ? "" : ", ") + k;
      throw UsageError("--address-types: unknown address type '" + std::string(item) + "'" + did_you_mean(item, known) +
                       " (the API's: " + all + "; or all)");
    }
    out += (out.empty() ? "" : ",") + match;
  }
  return out;
}

}  // namespace etl
