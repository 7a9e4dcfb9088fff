// The checks of numeric, enumerated and output-file flags, one plain line each: CLI11's own
// Range and IsMember say "Value abc not in range 1 to 1024" and "sometimes not in {always,never}".
#include <fmt/format.h>

#include <charconv>
#include <filesystem>
#include <limits>

#include "etl/cli/command.hpp"
#include "etl/core/errors.hpp"

namespace etl::cli {
namespace {

template <class T>
bool parse_all(const std::string& text, T& value) {
  const char* end = text.data() + text.size();
  const auto [at, ec] = std::from_chars(text.data(), end, value);
  return ec == std::errc() && at == end && !text.empty();
}

}  // namespace

std::int64_t parse_whole_number(const std::string& text) {
  std::int64_t n = 0;
  if (!parse_all(text, n)) throw ConfigError("'" + text + "' is not a whole number");
  return n;
}

double parse_number(const std::string& text) {
  double x = 0;
  if (!parse_all(text, x)) throw ConfigError("'" + text + "' is not a number");
  return x;
}

CLI::Validator whole_number_in(std::int64_t min, std::int64_t max) {
  return validator_from(
      [min, max](const std::string& v) {
        std::int64_t n = 0;
        if (!parse_all(v, n) || n < min || n > max)
          throw ConfigError(fmt::format("'{}' is not a whole number from {} to {}", v, min, max));
      },
      "RANGE", fmt::format("INT in [{} - {}]", min, max));
}

CLI::Validator one_of(const std::vector<std::string>& values) {
  return validator_from(
      [values](const std::string& v) {
        for (const std::string& value : values)
          if (v == value) return;
        throw ConfigError(fmt::format("'{}' is not one of {}", v, fmt::join(values, ", ")));
      },
      "MEMBER", fmt::format("{{{}}}", fmt::join(values, ",")));
}

CLI::Validator output_file() {
  return validator_from(
      [](const std::string& v) {
        namespace fs = std::filesystem;
        if (v == "-") return;
        std::error_code ec;
        if (fs::is_directory(v, ec)) throw ConfigError(fmt::format("'{}' is a folder, not a file", v));
        const fs::path folder = fs::path(v).parent_path();
        if (!folder.empty() && !fs::is_directory(folder, ec))
          throw ConfigError(fmt::format("the folder '{}' does not exist", folder.string()));
      },
      "FILE");
}

}  // namespace etl::cli
