#include "etl/cli/area_filter.hpp"

#include "etl/core/area_config.hpp"

namespace etl::cli {

std::vector<std::int64_t> municipality_codes(const std::string& config, const std::string& area,
                                             const std::vector<std::string>& municipalities) {
  std::vector<std::int64_t> codes;
  if (area.empty() && municipalities.empty()) return codes;
  const AreaConfig cfg = load_area_config(config);
  for (const std::string& name : municipalities) codes.push_back(cfg.municipality(name).code);
  if (!area.empty())
    for (const Municipality* m : cfg.area(area)) codes.push_back(m->code);
  return codes;
}

}  // namespace etl::cli
