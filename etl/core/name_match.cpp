#include "etl/core/name_match.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace etl {
namespace {

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string fold_name(std::string_view name) {
  std::string s;
  s.reserve(name.size());
  for (const char c : name) s += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  // UTF-8 upper -> lower, then the Danish letters to their ASCII spellings.
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kFolds = {{
      {"Æ", "ae"}, {"æ", "ae"}, {"Ø", "o"}, {"ø", "o"}, {"Å", "a"}, {"å", "a"}, {"É", "e"}, {"é", "e"},
      {"Ü", "u"}, {"ü", "u"}, {"Ö", "o"}, {"ö", "o"}, {"Ä", "a"}, {"ä", "a"},
  }};
  for (const auto& [from, to] : kFolds) replace_all(s, from, to);
  replace_all(s, "oe", "o");
  replace_all(s, "aa", "a");
  return s;
}

std::vector<std::string> closest_names(std::string_view wanted, const std::vector<std::string>& candidates,
                                       std::size_t n) {
  const std::string key = fold_name(wanted);
  const std::size_t limit = std::max<std::size_t>(2, key.size() / 3);
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const std::string& c : candidates) {
    const std::size_t d = edit_distance(key, fold_name(c));
    if (d <= limit) scored.emplace_back(d, c);
  }
  std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < scored.size() && i < n; ++i) out.push_back(scored[i].second);
  return out;
}

std::string did_you_mean(std::string_view wanted, const std::vector<std::string>& candidates) {
  const auto close = closest_names(wanted, candidates);
  if (close.empty()) return "";
  std::string out = "; did you mean ";
  for (std::size_t i = 0; i < close.size(); ++i) {
    if (i > 0) out += i + 1 == close.size() ? " or " : ", ";
    out += "'" + close[i] + "'";
  }
  return out + "?";
}

}  // namespace etl
