// The field table (extractors/field_table.hpp) on a small model of its own: each reader
// kind, keys in any order, unknown keys, keyed lists and dimensions, the paths of notes.
#include "extractors/field_table.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace etl::parse_detail {
namespace {

struct Part {
  std::string id;
  std::optional<bool> ok;
};
struct Tag {
  std::optional<double> weight;
};
struct Owner {
  std::int64_t code = 0;
  std::string name;
};
struct Toy {
  std::optional<std::int64_t> count;
  std::optional<std::string> label;
  std::optional<std::string> number;  // text: a string or an integer
  std::string title;                  // "" for null
  std::optional<double> lat;
  std::vector<Part> parts;
  std::vector<Tag> tags;
  std::optional<Owner> owner;
};

constexpr Field<Keyed<Part, std::string>> kPartFields[] = {
    {"id", key_text},
    {"ok", put<&Part::ok>},
};
constexpr KeyedTable<kPartFields, &Part::id> kPart;
constexpr Field<Tag> kTagFields[] = {
    {"weight", put<&Tag::weight>},
};
constexpr Field<Keyed<Owner, std::int64_t>> kOwnerFields[] = {
    {"code", key},
    {"name", put<&Owner::name>},
};
constexpr KeyedTable<kOwnerFields, &Owner::code> kOwner;
constexpr Field<Toy> kPlaceFields[] = {
    {"lat", put<&Toy::lat>},
};
constexpr Field<Toy> kToyFields[] = {
    {"count", put<&Toy::count>},
    {"label", put<&Toy::label>},
    {"number", text<&Toy::number>},
    {"owner", dim<&Toy::owner, kOwner>},
    {"parts", list<&Toy::parts, kPart>},
    {"place", nested<kPlaceFields>},
    {"tags", list<&Toy::tags, kTagFields>},
    {"title", put<&Toy::title>},
};

constexpr Field<Toy> kTwice[] = {
    {"count", put<&Toy::count>},
    {"count", put<&Toy::count>},
};
static_assert(unique_keys(kToyFields));
static_assert(!unique_keys(kTwice), "a key twice is caught at compile time");

struct Result {
  Toy toy;
  std::vector<std::string> notes;
};

Result read(const std::string& json) {
  simdjson::padded_string padded(json);
  od::parser parser;
  od::document doc = parser.iterate(padded);
  od::object obj = doc.get_object();
  Reader r;
  Result out;
  read_fields<kToyFields>(r, obj, out.toy);
  out.notes = r.take_notes();
  return out;
}

TEST(FieldTable, EachFieldIsReadAsItsMemberTypeSaysInAnyOrderUnknownKeysSkipped) {
  const Toy t = read(R"({"title":"T","unknown":{"deep":[1,2]},"number":12,"label":"L","count":140.0,
                         "place":{"lat":55.5,"other":1}})")
                    .toy;
  EXPECT_EQ(t.count, 140);
  EXPECT_EQ(t.label, "L");
  EXPECT_EQ(t.number, "12");  // an integer kept as text
  EXPECT_EQ(t.title, "T");
  EXPECT_EQ(t.lat, 55.5);  // a nested object's fields into the same target
  EXPECT_FALSE(t.owner);
}

TEST(FieldTable, NullLeavesOptionalsEmptyAndStringsEmpty) {
  const Toy t = read(R"({"count":null,"label":null,"title":null,"parts":null,"place":null})").toy;
  EXPECT_FALSE(t.count);
  EXPECT_FALSE(t.label);
  EXPECT_EQ(t.title, "");
  EXPECT_TRUE(t.parts.empty());
}

TEST(FieldTable, KeyedListElementsWithoutKeyAreNamedByTheirPlaceAndNullsSkipped) {
  const Toy t = read(R"({"parts":[{"id":"a","ok":true},null,{"ok":false},{"id":7}],"tags":[{"weight":1.5},{}]})").toy;
  ASSERT_EQ(t.parts.size(), 3u);
  EXPECT_EQ(t.parts[0].id, "a");
  EXPECT_EQ(t.parts[0].ok, true);
  EXPECT_EQ(t.parts[1].id, "#3");  // the third element: the null one keeps its place
  EXPECT_EQ(t.parts[1].ok, false);
  EXPECT_EQ(t.parts[2].id, "7");
  ASSERT_EQ(t.tags.size(), 2u);
  EXPECT_EQ(t.tags[0].weight, 1.5);
  EXPECT_FALSE(t.tags[1].weight);
}

TEST(FieldTable, ARepeatedListKeyReplacesTheList) {
  const Toy t = read(R"({"parts":[{"id":"a"},{"id":"b"}],"parts":[{"id":"c"}]})").toy;
  ASSERT_EQ(t.parts.size(), 1u);
  EXPECT_EQ(t.parts[0].id, "c");
}

TEST(FieldTable, ADimensionExistsOnlyWithItsKey) {
  const Toy with = read(R"({"owner":{"name":"N","code":42}})").toy;
  ASSERT_TRUE(with.owner);
  EXPECT_EQ(with.owner->code, 42);
  EXPECT_EQ(with.owner->name, "N");
  EXPECT_FALSE(read(R"({"owner":{"name":"N"}})").toy.owner);
  EXPECT_FALSE(read(R"({"owner":{"name":"N","code":42},"owner":{"name":"M"}})").toy.owner) << "the last one counts";
}

TEST(FieldTable, OddValuesAreNotedWithTheirPath) {
  const Result r = read(R"({"count":"many","parts":[{"id":"a"},{"id":"b","ok":3}],"place":{"lat":true}})");
  EXPECT_FALSE(r.toy.count);
  ASSERT_EQ(r.notes.size(), 3u);
  EXPECT_EQ(r.notes[0], "$.count: expected an integer, got a string; left empty");
  EXPECT_EQ(r.notes[1], "$.parts[1].ok: expected a boolean, got a number; left empty");
  EXPECT_EQ(r.notes[2], "$.place.lat: expected a number, got a boolean; left empty");
}

TEST(FieldTable, AWrongShapeFailsWithItsPath) {
  try {
    read(R"({"parts":[{"id":"a"},{"id":{"x":1}}]})");
    FAIL() << "no error";
  } catch (const ParseError& e) {
    EXPECT_STREQ(e.what(), "$.parts[1].id: expected a string or an integer, got an object");
  }
  EXPECT_THROW(read(R"({"owner":[1]})"), ParseError);
}

}  // namespace
}  // namespace etl::parse_detail
