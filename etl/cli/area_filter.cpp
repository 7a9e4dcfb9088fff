#include "etl/cli/area_filter.hpp"

#include <set>

namespace etl::cli {

void add_area_options(CLI::App& sub, AreaFlags& flags) {
  auto* area = sub.add_option("--area", flags.area, "Only the municipalities of this area (see `etl areas`)");
  auto* muni = sub.add_option("--municipality", flags.municipalities, "Only this municipality (repeatable)");
  area->excludes(muni);
  sub.add_option("--config", flags.config,
                 "Area configuration (default: $ETL_CONFIG, ./municipalities.yaml, or the built-in one)");
}

std::vector<Municipality> selected_municipalities(const AreaFlags& flags) {
  std::vector<Municipality> out;
  if (flags.area.empty() && flags.municipalities.empty()) return out;
  const AreaConfig cfg = load_area_config(flags.config);
  std::vector<const Municipality*> named;
  for (const std::string& name : flags.municipalities) named.push_back(&cfg.municipality(name));
  if (!flags.area.empty()) named = cfg.area(flags.area);
  std::set<int> seen;
  for (const Municipality* m : named)
    if (seen.insert(m->code).second) out.push_back(*m);
  return out;
}

std::vector<std::int64_t> municipality_codes(const AreaFlags& flags) {
  std::vector<std::int64_t> codes;
  for (const Municipality& m : selected_municipalities(flags)) codes.push_back(m.code);
  return codes;
}

}  // namespace etl::cli
