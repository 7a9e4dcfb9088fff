// The replica's JSON writer escapes what JSON requires and nothing else: every string reads
// back as itself, whatever mix of plain runs and escapes it has, wherever they are.
#include "replica/json_writer.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <vector>

namespace replica {
namespace {

TEST(JsonWriter, EscapesExactlyWhatJsonRequires) {
  JsonWriter w;
  w.begin_array().value("a\"b\\c\nd\re\tf").value(std::string("\x01 \x1f", 3)).value("æøå \"").end_array();
  EXPECT_EQ(w.take(), R"(["a\"b\\c\nd\re\tf","\u0001 \u001f","æøå \""])");
}

TEST(JsonWriter, EveryStringReadsBackAsItself) {
  const std::vector<std::string> strings = {
      "", "plain", "\"", "\\", "\"start", "end\"", "mid\"dle", "\n\n", "Ærø Købing", "\x7f", "tab\there",
      std::string("nul\0in", 6), "\\\"\\\"", std::string(300, 'x') + "\"" + std::string(300, 'y')};
  simdjson::dom::parser parser;
  for (const std::string& s : strings) {
    JsonWriter w;
    w.begin_object().field("k", s).end_object();
    const std::string json = w.take();
    std::string_view back;
    ASSERT_EQ(parser.parse(simdjson::padded_string(json))["k"].get_string().get(back), simdjson::SUCCESS) << json;
    EXPECT_EQ(std::string(back), s) << json;
  }
}

}  // namespace
}  // namespace replica
