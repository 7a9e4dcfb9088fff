// One name per enumerator for the enums that are stored or printed as text (failure stages,
// run statuses): a single table per enum, read both ways.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace etl {

template <class E, std::size_t N>
struct EnumNames {
  std::array<std::string_view, N> names;  // indexed by the enumerator's value

  constexpr std::string_view operator()(E e) const { return names[static_cast<std::size_t>(e)]; }
  constexpr std::optional<E> parse(std::string_view s) const {
    for (std::size_t i = 0; i < N; ++i)
      if (names[i] == s) return static_cast<E>(i);
    return std::nullopt;
  }
};

}  // namespace etl
