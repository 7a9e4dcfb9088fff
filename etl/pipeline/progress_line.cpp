#include "etl/pipeline/progress_line.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <vector>

#include "etl/core/text_columns.hpp"

namespace etl {
namespace {

struct Field {
  int keep;  // the higher, the longer it stays as the line narrows
  std::string text;
  bool bar = false;  // the bar and the percentage after it read as one field
};

constexpr std::size_t kBarWidth = 10;

// In display order.
std::vector<Field> fields(const RunProgress& p) {
  std::vector<Field> out;
  const double share = p.total > 0 ? std::min(1.0, static_cast<double>(p.done) / static_cast<double>(p.total)) : 0.0;
  if (p.total_known) {
    const auto filled = static_cast<std::size_t>(share * static_cast<double>(kBarWidth));
    out.push_back({6, fmt::format("[{}{}]", std::string(filled, '#'), std::string(kBarWidth - filled, '-')), true});
    out.push_back({10, fmt::format("{:.0f}% {}/{}", share * 100, p.done, p.total)});
  } else {
    // Municipalities not searched yet are not in the total: it is what is known so far.
    out.push_back({10, fmt::format("{}/{} so far", p.done, p.total)});
  }
  out.push_back({8, fmt::format("elapsed {}", format_clock(p.elapsed_s))});
  std::string eta = "ETA ?";
  if (p.eta_s) eta = fmt::format("ETA {}{}", p.total_known ? "" : ">", format_clock(*p.eta_s));
  out.push_back({9, eta});
  // The rate of the work that sets the pace stays longer: checking, while nothing is fetched.
  const bool fetching = p.processed_per_s > 0;
  out.push_back({fetching ? 7 : 5, fmt::format("fetch {:.1f}/s", p.processed_per_s)});
  out.push_back({fetching ? 5 : 7, fmt::format("check {:.1f}/s", p.checked_per_s)});
  if (!p.discovering.empty())
    out.push_back({p.total_known ? 4 : 8, fmt::format("discovering {} ({}/{})", p.discovering, p.discovering_number,
                                                      p.municipalities)});
  out.push_back({3, fmt::format("loaded {} skipped {} failed {}{}", p.loaded, p.skipped, p.failed,
                                p.retries > 0 ? fmt::format(" retries {}", p.retries) : "")});
  return out;
}

std::string join(const std::vector<Field>& fields) {
  std::string out;
  bool after_bar = false;
  for (const Field& f : fields) {
    if (!out.empty()) out += after_bar ? " " : " | ";
    out += f.text;
    after_bar = f.bar;
  }
  return out;
}

}  // namespace

std::string format_clock(double seconds) {
  if (!(seconds >= 0) || seconds > 1e7) return "?";
  const auto s = static_cast<std::int64_t>(seconds + 0.5);
  if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, s % 3600 / 60, s % 60);
  return fmt::format("{}:{:02}", s / 60, s % 60);
}

std::string progress_line(const RunProgress& progress, std::size_t width) {
  std::vector<Field> shown = fields(progress);
  std::string line = join(shown);
  while (text_columns(line) > width && shown.size() > 1) {
    shown.erase(std::min_element(shown.begin(), shown.end(), [](const Field& a, const Field& b) { return a.keep < b.keep; }));
    line = join(shown);
  }
  return first_columns(line, width);
}

std::string progress_log_line(const RunProgress& progress) {
  std::vector<Field> all = fields(progress);
  std::erase_if(all, [](const Field& f) { return f.bar; });
  return join(all);
}

}  // namespace etl
