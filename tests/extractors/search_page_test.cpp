#include "extractors/search_page.hpp"

#include <gtest/gtest.h>

#include "etl/core/errors.hpp"
#include "etl/core/payload_hash.hpp"
#include "extractors/property_parser.hpp"
#include "fixture_files.hpp"

namespace etl {
namespace {

TEST(SearchPage, ItemsKeepTheirRawJson) {
  const std::string a = test::read_fixture("address-0a3f50c2-b95c-32b8-e044-0003ba298018.json");
  const std::string b = test::read_fixture("address-9ae3d8cf-dc2c-4f25-8749-62cb0dff42af.json");
  const std::string body = "{\"totalHits\": 1234, \"addresses\": [" + a + ",\n" + b + "]}";
  SearchPageParser parser;
  SearchPage page = parser.parse(body);
  EXPECT_EQ(page.total_hits, 1234);
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[0].address_id, "0a3f50c2-b95c-32b8-e044-0003ba298018");
  EXPECT_EQ(page.items[1].address_id, "9ae3d8cf-dc2c-4f25-8749-62cb0dff42af");
  // Raw text as the search returned it (the fixture files end with a newline outside the object).
  EXPECT_EQ(page.items[0].payload + "\n", a.back() == '\n' ? a : a + "\n");
  PropertyParser property;
  EXPECT_EQ(property.parse(page.items[1].payload).registrations.size(), 2u);
}

// Each item's hash is payload_hash of its raw text, whether the text is kept or not: the
// search hash of a run that does not keep payloads equals the one of a run that does.
TEST(SearchPage, ItemsCarryTheHashOfTheirRawJsonAndTheTextOnlyIfAsked) {
  const std::string item = R"({"x":1,"addressID":"b","nested":{"addressID":"no"}})";
  const std::string body = R"({"totalHits":1,"addresses":[)" + item + "]}";
  SearchPageParser parser;
  const SearchPage kept = parser.parse(body);
  const SearchPage lean = parser.parse(body, false);
  ASSERT_EQ(kept.items.size(), 1u);
  ASSERT_EQ(lean.items.size(), 1u);
  EXPECT_EQ(kept.items[0].hash, payload_hash(item));
  EXPECT_EQ(lean.items[0].hash, payload_hash(item));
  EXPECT_EQ(kept.items[0].payload, item);
  EXPECT_EQ(lean.items[0].payload, "");
  EXPECT_EQ(lean.items[0].address_id, "b");
}

TEST(SearchPage, FieldOrderAndMissingIds) {
  SearchPageParser parser;
  SearchPage page = parser.parse(
      R"({"addresses":[{"x":1,"addressID":"b","nested":{"addressID":"no"}},{"addressID":null},{"y":2}],"totalHits":3})");
  EXPECT_EQ(page.total_hits, 3);
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].address_id, "b");
  EXPECT_EQ(page.items[0].payload, R"({"x":1,"addressID":"b","nested":{"addressID":"no"}})");
  EXPECT_EQ(page.items_without_id, 2);
}

// An ID with a NUL, a control character, a quote or 200 characters never becomes a key: it is
// skipped like a missing one and shown escaped.
TEST(SearchPage, IdsOutsideTheApisAlphabetAreSkippedAndEscaped) {
  SearchPageParser parser;
  const std::string long_id(200, 'a');
  const SearchPage page = parser.parse(R"({"totalHits":5,"addresses":[{"addressID":"ok-1"},{"addressID":"a\u0000b"},)"
                                       R"({"addressID":"tab\there"},{"addressID":")" + long_id + R"("},)"
                                       R"({"addressID":"0a3f50c2-b95c-32b8-e044-0003ba298018"}]})");
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[0].address_id, "ok-1");
  EXPECT_EQ(page.items[1].address_id, "0a3f50c2-b95c-32b8-e044-0003ba298018");
  EXPECT_EQ(page.items_without_id, 3);
  ASSERT_EQ(page.invalid_ids.size(), 3u);
  EXPECT_EQ(page.invalid_ids[0], "a\\x00b");
  EXPECT_EQ(page.invalid_ids[1], "tab\\x09here");
  EXPECT_EQ(page.invalid_ids[2], std::string(80, 'a') + "...");
}

TEST(SearchPage, EmptyAndInvalid) {
  SearchPageParser parser;
  EXPECT_EQ(parser.parse(R"({"totalHits":0,"addresses":[]})").items.size(), 0u);
  EXPECT_THROW(parser.parse(R"({"addresses":[]})"), ParseError);
  EXPECT_THROW(parser.parse(R"({"totalHits":"many","addresses":[]})"), ParseError);
  EXPECT_THROW(parser.parse(R"({"totalHits":1,"addresses":[)"), ParseError);
  EXPECT_THROW(parser.parse(R"({"totalHits":1,"addresses":[]} trailing)"), ParseError);
  EXPECT_THROW(parser.parse("<html>502 Bad Gateway</html>"), ParseError);
}

}  // namespace
}  // namespace etl
