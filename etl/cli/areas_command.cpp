#include <fmt/core.h>

#include <memory>

#include "etl/cli/command.hpp"
#include "etl/cli/exit_codes.hpp"
#include "etl/core/area_config.hpp"
#include "etl/core/name_match.hpp"

namespace etl::cli {
namespace {

struct AreasOptions {
  std::string area;
  std::string config;
  bool config_path = false;
};

int run_areas(const AreasOptions& o) {
  if (o.config_path) {
    fmt::print("{}\n", area_config_source(o.config));
    return kExitOk;
  }
  const AreaConfig cfg = load_area_config(o.config);
  if (o.area.empty()) {
    fmt::print("{:<16} {:>14}  {}\n", "AREA", "MUNICIPALITIES", "ZIP CODES");
    for (const Area& a : cfg.areas()) {
      std::size_t zips = 0;
      for (const Municipality* m : cfg.area(a.name)) zips += m->zip_codes.size();
      fmt::print("{:<16} {:>14}  {:>9}\n", a.name, a.municipalities.size(), zips);
    }
    return kExitOk;
  }
  const auto munis = cfg.area(o.area);
  fmt::print("{:<20} {:>5} {:>10}\n", "MUNICIPALITY", "CODE", "ZIP CODES");
  for (const Municipality* m : munis) {
    // fmt pads by code points, so Danish letters line up.
    fmt::print("{:<20} {:>5} {:>10}\n", m->name, m->code, m->zip_codes.size());
  }
  std::string name = o.area;  // as the file spells it, whatever case or letters were typed
  for (const Area& a : cfg.areas())
    if (fold_name(a.name) == fold_name(o.area)) name = a.name;
  fmt::print("{} municipalit{} in area '{}'\n", munis.size(), munis.size() == 1 ? "y" : "ies", name);
  return kExitOk;
}

}  // namespace

CommandAction add_areas_command(CLI::App& app) {
  auto opts = std::make_shared<AreasOptions>();
  CLI::App* sub = app.add_subcommand("areas", "List the areas of municipalities.yaml, or one area's municipalities");
  sub->add_option("--area", opts->area, "Show this area's municipalities (name, official code, number of zip codes)");
  sub->add_option("--config", opts->config, "Area configuration (default: $ETL_CONFIG, ./municipalities.yaml, or the built-in one)");
  sub->add_flag("--config-path", opts->config_path, "Print which area configuration is in use and exit");
  return [opts] { return run_areas(*opts); };
}

}  // namespace etl::cli
