// The field table: how the property parser maps a JSON object's keys to model fields, as the
// table map (loaders/table_map.hpp) maps model fields to columns. A table is an array of
// {key, reader}; read_fields walks an object once (simdjson on-demand allows one pass) and
// calls the reader of each key it knows; values of other keys are skipped unread.
//
//   {"yearBuilt", put<&Building::year_built>}      // the reader follows the member's type
//   {"houseNumber", text<&PropertyRecord::house_number>}  // a string or an integer, kept as text
//   {"buildings", list<&PropertyRecord::buildings, kBuilding>}  // an array of objects
//   {"municipality", dim<&PropertyRecord::municipality, kMunicipality>}  // an object with a key
//
// Internal to extractors/.
#pragma once

#include <fmt/format.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "etl/core/member_of.hpp"
#include "extractors/json_reader.hpp"

namespace etl::parse_detail {

// One known key of an object and what reads its value into the target.
template <class Target>
struct Field {
  std::string_view key;
  void (*read)(Reader&, od::value&, Target&);
};

// The target of an object whose key field names it (a building's buildingNumber, a
// municipality's municipalityCode): the model object, and the key while it is read.
template <class Model, class Key>
struct Keyed {
  Model& model;
  std::optional<Key> key;
};

// A keyed object's table: its fields (of target Keyed<Model, Key>) and the model member its
// key goes to. An empty type: both are template arguments, so the readers are inlined.
template <const auto& Fields, auto KeyMember>
struct KeyedTable {
  static constexpr const auto& fields = Fields;
  static constexpr auto key = KeyMember;
};

template <class Model>
Model& model_of(Model& m) {
  return m;
}
template <class Model, class Key>
Model& model_of(Keyed<Model, Key>& k) {
  return k.model;
}

// No key twice in a table: the second entry would never be read.
template <class Target, std::size_t N>
constexpr bool unique_keys(const Field<Target> (&table)[N]) {
  for (std::size_t i = 0; i < N; ++i)
    for (std::size_t j = i + 1; j < N; ++j)
      if (table[i].key == table[j].key) return false;
  return true;
}

// Calls entry I's reader if `key` is its key. The key's length is a constant here, so the
// comparison compiles to a length check and a few word compares (no memcmp call).
template <const auto& Table, std::size_t I, class Target>
bool try_entry(std::string_view key, Reader& r, od::value& v, Target& t) {
  constexpr std::string_view name = Table[I].key;
  if (key.size() != name.size() || std::memcmp(key.data(), name.data(), name.size()) != 0) return false;
  Table[I].read(r, v, t);
  return true;
}

// Calls the reader of the table's entry named `key`, if any: an if-chain unrolled from the
// table, each reader called directly (and inlined).
template <const auto& Table, class Target, std::size_t... I>
void dispatch(std::string_view key, Reader& r, od::value& v, Target& t, std::index_sequence<I...>) {
  (void)(try_entry<Table, I>(key, r, v, t) || ...);
}

// Reads obj's fields into t, in one pass; values of keys the table does not name are skipped.
template <const auto& Table, class Target>
void read_fields(Reader& r, od::object& obj, Target& t) {
  static_assert(unique_keys(Table), "a key twice in a field table");
  r.for_each_field(obj, [&](std::string_view key, od::value& v) {
    dispatch<Table>(key, r, v, t, std::make_index_sequence<std::size(Table)>{});
  });
}

// --- readers ------------------------------------------------------------------------------

// A value as the model field of type T holds it; a std::string field is "" for null.
template <class T>
T read_value(Reader& r, od::value& v) {
  if constexpr (std::is_same_v<T, std::optional<std::int64_t>>) {
    return r.opt_int(v);
  } else if constexpr (std::is_same_v<T, std::optional<double>>) {
    return r.opt_double(v);
  } else if constexpr (std::is_same_v<T, std::optional<bool>>) {
    return r.opt_bool(v);
  } else if constexpr (std::is_same_v<T, std::optional<std::string>>) {
    return r.opt_string(v);
  } else {
    static_assert(std::is_same_v<T, std::string>, "a model field is an optional int64, double, bool or string, or a string");
    return r.opt_string(v).value_or("");
  }
}

// The value into the model member, read as its type says.
template <auto Member, class Target>
void put(Reader& r, od::value& v, Target& t) {
  model_of(t).*Member = read_value<member_type<Member>>(r, v);
}

// An identifier or label the API sends as a string but sometimes as an integer
// (houseNumber 12 or "12B"): kept as text.
template <auto Member, class Target>
void text(Reader& r, od::value& v, Target& t) {
  model_of(t).*Member = r.opt_text(v);
}

// The key of a keyed object, read as its type says; key_text: as text.
template <class Model, class Key>
void key(Reader& r, od::value& v, Keyed<Model, Key>& t) {
  t.key = read_value<std::optional<Key>>(r, v);
}
template <class Model>
void key_text(Reader& r, od::value& v, Keyed<Model, std::string>& t) {
  t.key = r.opt_text(v);
}

// An object whose fields go to the same target (coordinates.lat into the record).
template <const auto& Table, class Target>
void nested(Reader& r, od::value& v, Target& t) {
  if (auto obj = r.opt_object(v)) read_fields<Table>(r, *obj, t);
}

template <class T>
inline constexpr bool is_keyed = false;
template <const auto& Fields, auto KeyMember>
inline constexpr bool is_keyed<KeyedTable<Fields, KeyMember>> = true;

// Reads a keyed object into m; false when it has no key.
template <class Spec>
bool read_keyed(Reader& r, od::object& obj, member_owner<Spec::key>& m) {
  Keyed<member_owner<Spec::key>, member_type<Spec::key>> k{m, std::nullopt};
  read_fields<Spec::fields>(r, obj, k);
  if (!k.key) return false;
  m.*Spec::key = std::move(*k.key);
  return true;
}

// An array of objects into the model's vector (null = empty; a null element is skipped),
// each filled in place (no move per element). A keyed element without its key is named by
// its place: "#1", "#2", ...
template <auto Member, const auto& Table, class Target>
void list(Reader& r, od::value& v, Target& t) {
  auto& out = model_of(t).*Member;
  out.clear();
  r.for_each_element(v, [&](std::size_t i, od::value& e) {
    auto obj = r.opt_object(e);
    if (!obj) return;
    auto& m = out.emplace_back();
    using Spec = std::remove_cvref_t<decltype(Table)>;
    if constexpr (is_keyed<Spec>) {
      if (!read_keyed<Spec>(r, *obj, m)) m.*Spec::key = fmt::format("#{}", i + 1);
    } else {
      read_fields<Table>(r, *obj, m);
    }
  });
}

// An object that exists only with its key field (a dimension: municipality, road, ...).
template <auto Member, const auto& Table, class Target>
void dim(Reader& r, od::value& v, Target& t) {
  auto& out = model_of(t).*Member;
  out.reset();
  auto obj = r.opt_object(v);
  if (!obj) return;
  using Spec = std::remove_cvref_t<decltype(Table)>;
  member_owner<Spec::key> m;
  if (read_keyed<Spec>(r, *obj, m)) out = std::move(m);
}

}  // namespace etl::parse_detail
