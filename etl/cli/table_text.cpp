// Table and CSV text shared by the commands (see table_text.hpp).
#include "etl/cli/table_text.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <string_view>

#include "etl/core/text_columns.hpp"
#include "etl/pipeline/terminal_line.hpp"

namespace etl::cli {

std::size_t table_width() {
  if (const char* env = std::getenv("COLUMNS")) {
    const std::string_view text(env);
    std::size_t n = 0;
    const auto [at, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec == std::errc() && at == text.data() + text.size() && n > 0) return n;
  }
  const std::size_t columns = terminal_columns(STDOUT_FILENO);
  return columns > 0 ? columns : 80;
}

std::string cell(const std::string& text, std::size_t width) {
  if (text_columns(text) > width) return first_columns(text, width - 1) + "~";
  return text + std::string(width - text_columns(text), ' ');
}

std::string short_price(const std::optional<std::int64_t>& v) {
  if (!v) return "?";
  if (*v >= 1'000'000 || *v <= -1'000'000) return fmt::format("{:.2f}M", static_cast<double>(*v) / 1e6);
  if (*v >= 1'000 || *v <= -1'000) return fmt::format("{}k", *v / 1'000);
  return std::to_string(*v);
}

}  // namespace etl::cli
