// The class and the type of a pointer to data member, for the tables that name model fields
// by member pointer: the table map (loaders/table_map.hpp) and the parser's field tables
// (extractors/field_table.hpp).
#pragma once

#include <type_traits>

namespace etl {

template <class M>
struct MemberOf;
template <class C, class T>
struct MemberOf<T C::*> {
  using owner = C;
  using type = T;
};

// For a template argument `auto Member` (a constexpr member's copy is const: stripped).
template <auto Member>
using member_owner = typename MemberOf<std::remove_cv_t<decltype(Member)>>::owner;
template <auto Member>
using member_type = typename MemberOf<std::remove_cv_t<decltype(Member)>>::type;

}  // namespace etl
