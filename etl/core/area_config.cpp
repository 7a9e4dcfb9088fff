#include "etl/core/area_config.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "etl/core/errors.hpp"
#include "etl/core/name_match.hpp"
#include "etl/core/version.hpp"

namespace etl {
namespace {

class Validator {
 public:
  explicit Validator(std::string source) : source_(std::move(source)) {}

  [[noreturn]] void fail(const YAML::Node& at, const std::string& what) const {
    fail_line(at.Mark().line + 1, what);
  }
  [[noreturn]] void fail_line(int line, const std::string& what) const {
    std::ostringstream os;
    os << source_;
    if (line > 0) os << ':' << line;
    os << ": " << what;
    throw ConfigError(os.str());
  }

  std::string scalar(const YAML::Node& parent, const char* key, const std::string& context) const {
    const YAML::Node v = parent[key];
    if (!v) fail(parent, context + " has no '" + key + "'");
    if (!v.IsScalar() || v.Scalar().empty()) fail(v, context + ": '" + key + "' must be a non-empty value");
    return v.Scalar();
  }

 private:
  std::string source_;
};

bool is_zip_code(const std::string& z) {
  return z.size() == 4 && std::all_of(z.begin(), z.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::vector<Municipality> read_municipalities(const YAML::Node& root, const Validator& v) {
  const YAML::Node list = root["municipalities"];
  if (!list) v.fail(root, "missing top-level 'municipalities:' list");
  if (!list.IsSequence()) v.fail(list, "'municipalities:' must be a list");

  std::vector<Municipality> out;
  std::map<int, int> line_of_code;
  struct NamedLine {
    std::string name;
    int line;
  };
  std::map<std::string, NamedLine> line_of_name;  // by folded name
  for (const YAML::Node& item : list) {
    if (!item.IsMap()) v.fail(item, "each municipality must be a mapping with code, name and zip_codes");
    const int line = item.Mark().line + 1;
    Municipality m;
    const std::string code_text = v.scalar(item, "code", "municipality");
    try {
      std::size_t used = 0;
      m.code = std::stoi(code_text, &used);
      if (used != code_text.size() || m.code <= 0) throw std::invalid_argument(code_text);
    } catch (const std::exception&) {
      v.fail(item["code"], "municipality code '" + code_text + "' is not a positive integer");
    }
    m.name = v.scalar(item, "name", "municipality " + code_text);
    if (item["region"]) m.region = v.scalar(item, "region", "municipality " + m.name);

    if (auto [it, fresh] = line_of_code.emplace(m.code, line); !fresh)
      v.fail(item, "duplicate municipality code " + code_text + " (first defined at line " + std::to_string(it->second) + ")");
    // Names are matched folded (name_match.hpp): two that fold together could not be told apart.
    if (auto [it, fresh] = line_of_name.emplace(fold_name(m.name), NamedLine{m.name, line}); !fresh) {
      if (it->second.name == m.name)
        v.fail(item, "duplicate municipality name '" + m.name + "' (first defined at line " +
                         std::to_string(it->second.line) + ")");
      v.fail(item, "municipality name '" + m.name + "' is '" + it->second.name + "' (line " +
                       std::to_string(it->second.line) + ") ignoring case and Danish letters; names must differ in more");
    }

    const YAML::Node zips = item["zip_codes"];
    if (!zips || !zips.IsSequence() || zips.size() == 0)
      v.fail(zips ? zips : item, "municipality " + m.name + " needs a non-empty 'zip_codes' list");
    for (const YAML::Node& z : zips) {
      if (!z.IsScalar() || !is_zip_code(z.Scalar()))
        v.fail(z, "municipality " + m.name + ": malformed zip code '" + (z.IsScalar() ? z.Scalar() : std::string("?")) +
                      "' (expected four digits, quoted to keep a leading zero)");
      m.zip_codes.push_back(z.Scalar());
    }
    out.push_back(std::move(m));
  }
  return out;
}

std::vector<Area> read_areas(const YAML::Node& root, const Validator& v, const std::map<std::string, int>& known) {
  const YAML::Node map = root["areas"];
  if (!map) v.fail(root, "missing top-level 'areas:' mapping");
  if (!map.IsMap()) v.fail(map, "'areas:' must map area names to lists of municipality names");

  std::vector<Area> out;
  std::map<std::string, std::pair<std::string, int>> line_of_area;  // by folded name: its name and line
  for (const auto& kv : map) {
    Area a;
    a.name = kv.first.Scalar();
    const int line = kv.first.Mark().line + 1;
    if (auto [it, fresh] = line_of_area.emplace(fold_name(a.name), std::pair{a.name, line}); !fresh)
      v.fail(kv.first, "area '" + a.name + "' is '" + it->second.first + "' (line " + std::to_string(it->second.second) +
                           ") ignoring case and Danish letters; names must differ in more");
    const YAML::Node& names = kv.second;
    if (!names.IsSequence()) v.fail(names.IsDefined() ? names : kv.first, "area '" + a.name + "' must be a list of municipality names");
    if (names.size() == 0) v.fail(kv.first, "area '" + a.name + "' is empty");
    for (const YAML::Node& n : names) {
      if (!n.IsScalar()) v.fail(n, "area '" + a.name + "': entries must be municipality names");
      if (!known.contains(n.Scalar()))
        v.fail(n, "area '" + a.name + "' names undefined municipality '" + n.Scalar() + "'");
      a.municipalities.push_back(n.Scalar());
    }
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace

AreaConfig AreaConfig::load_string(const std::string& yaml, const std::string& source_name) {
  Validator v(source_name);
  YAML::Node root;
  try {
    root = YAML::Load(yaml);
  } catch (const YAML::DeepRecursion& e) {  // its own message is "bad file"
    v.fail_line(e.mark.line + 1, "invalid YAML: nested more than " + std::to_string(e.depth()) +
                                     " levels deep, too deep to read (a configuration nests 3)");
  } catch (const YAML::Exception& e) {
    v.fail_line(e.mark.line + 1, "invalid YAML: " + e.msg);
  }
  if (!root.IsMap()) v.fail_line(1, "expected a mapping with 'municipalities:' and 'areas:'");

  AreaConfig cfg;
  cfg.source_ = source_name;
  cfg.municipalities_ = read_municipalities(root, v);
  std::map<std::string, int> known;
  for (const auto& m : cfg.municipalities_) known.emplace(m.name, m.code);
  cfg.areas_ = read_areas(root, v, known);
  return cfg;
}

AreaConfig AreaConfig::load_file(const std::string& path) {
  // A regular file of reasonable size: --config /dev/zero must not grow without bound.
  constexpr std::uintmax_t kMaxBytes = 1 << 20;
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) throw ConfigError(path + ": cannot open the area configuration");
  if (!std::filesystem::is_regular_file(status)) throw ConfigError(path + ": the area configuration is not a regular file");
  if (std::filesystem::file_size(path, ec) > kMaxBytes || ec)
    throw ConfigError(path + ": the area configuration is over 1 MiB; is it the right file?");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path + ": cannot open the area configuration");
  std::ostringstream text;
  text << in.rdbuf();
  return load_string(text.str(), path);
}

const Municipality* AreaConfig::find_municipality(std::string_view name) const {
  for (const auto& m : municipalities_)
    if (m.name == name) return &m;
  // The English name people type for the capital.
  const std::string key = fold_name(name) == "copenhagen" ? fold_name("København") : fold_name(name);
  for (const auto& m : municipalities_)
    if (fold_name(m.name) == key) return &m;
  return nullptr;
}

const Municipality& AreaConfig::municipality(std::string_view name) const {
  if (const Municipality* m = find_municipality(name)) return *m;
  std::vector<std::string> names;
  for (const auto& m : municipalities_) names.push_back(m.name);
  throw UsageError("--municipality: unknown municipality '" + std::string(name) + "'" + did_you_mean(name, names) +
                   " (`etl areas --area NAME` lists an area's)");
}

std::vector<const Municipality*> AreaConfig::area(std::string_view name) const {
  for (const auto& a : areas_) {
    if (a.name != name && fold_name(a.name) != fold_name(name)) continue;
    std::vector<const Municipality*> out;
    for (const auto& n : a.municipalities) out.push_back(find_municipality(n));
    return out;
  }
  std::string known;
  std::vector<std::string> names;
  for (const auto& a : areas_) {
    known += (known.empty() ? "" : ", ") + a.name;
    names.push_back(a.name);
  }
  throw UsageError("--area: unknown area '" + std::string(name) + "'" + did_you_mean(name, names) + " (defined in " + source_ + ": " +
                   known + ")");
}

namespace {

constexpr const char* kBuiltinSource = "built-in municipalities.yaml";

}  // namespace

std::string area_config_source(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv("ETL_CONFIG"); env && *env) return env;
  if (std::filesystem::exists("municipalities.yaml")) return "municipalities.yaml";
  return kBuiltinSource;
}

AreaConfig load_area_config(const std::string& flag) {
  const std::string source = area_config_source(flag);
  if (source == kBuiltinSource && flag.empty()) return AreaConfig::load_string(std::string(kBuiltinAreaConfig), source);
  return AreaConfig::load_file(source);
}

}  // namespace etl
