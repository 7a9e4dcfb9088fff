// municipalities.yaml: Denmark's municipalities (official code, name, zip codes) and the
// named areas `etl run --area` accepts. Loading validates the whole file and reports the
// first problem as "FILE:LINE: what is wrong".
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace etl {

struct Municipality {
  int code = 0;                        // official municipality code, e.g. 101 for København
  std::string name;                    // the name the API searches by, e.g. "København"
  std::string region;                  // e.g. "Region Hovedstaden"
  std::vector<std::string> zip_codes;  // four digits each, leading zero kept
};

struct Area {
  std::string name;
  std::vector<std::string> municipalities;  // names, each defined under `municipalities:`
};

class AreaConfig {
 public:
  // Throws ConfigError naming the file and line of the first problem.
  static AreaConfig load_file(const std::string& path);
  static AreaConfig load_string(const std::string& yaml, const std::string& source_name);

  const std::vector<Municipality>& municipalities() const { return municipalities_; }
  const std::vector<Area>& areas() const { return areas_; }
  const std::string& source() const { return source_; }

  // nullptr when there is no such municipality. Names match as fold_name folds them
  // (Kobenhavn, københavn: København), and "Copenhagen" is København.
  const Municipality* find_municipality(std::string_view name) const;
  // find_municipality, or a UsageError naming --municipality and the closest names.
  const Municipality& municipality(std::string_view name) const;
  // The municipalities of an area (names folded alike), in file order; throws UsageError
  // naming --area, the closest names and the defined ones for an unknown area.
  std::vector<const Municipality*> area(std::string_view name) const;

 private:
  std::string source_;
  std::vector<Municipality> municipalities_;
  std::vector<Area> areas_;
};

// The municipalities.yaml the binary was built with.
extern const std::string_view kBuiltinAreaConfig;

// The area configuration in use: `flag` (--config) if given, else $ETL_CONFIG, else
// ./municipalities.yaml if it exists, else the built-in one.
AreaConfig load_area_config(const std::string& flag);
// Which one load_area_config(flag) reads: a path, or "built-in municipalities.yaml".
std::string area_config_source(const std::string& flag);

}  // namespace etl
