#include "etl/report/chart_library.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "etl/core/errors.hpp"

namespace etl {

std::string read_chart_library(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in || text.str().empty())
    throw ConfigError("Chart.js is missing (" + path + "): install libjs-chart.js (`make deps`, or apt-get install libjs-chart.js)");
  std::string lower = text.str();
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  // Inside <script> these would end the element, or begin the state in which it never ends.
  for (const char* bad : {"</script", "<!--", "<script"})
    if (lower.find(bad) != std::string::npos)
      throw ConfigError("Chart.js (" + path + ") holds '" + bad + "' and cannot be inlined in a <script>");
  return text.str();
}

}  // namespace etl
