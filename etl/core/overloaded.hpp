// Overloaded{lambdas...}: one visitor from a lambda per alternative, for std::visit. A variant
// that gains an alternative without a lambda for it is a compile error, not a silent default.
#pragma once

namespace etl {

template <class... Handlers>
struct Overloaded : Handlers... {
  using Handlers::operator()...;
};

}  // namespace etl
