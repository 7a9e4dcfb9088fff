// Terminal columns of UTF-8 text, counted as code points: Danish names (æ, ø, å) take one
// column each, and a cut never splits a character.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>

namespace etl {

inline std::size_t text_columns(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// The first `n` code points of `s`.
inline std::string first_columns(const std::string& s, std::size_t n) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((s[i] & 0xC0) != 0x80 && seen++ == n) return s.substr(0, i);
  }
  return s;
}

}  // namespace etl
