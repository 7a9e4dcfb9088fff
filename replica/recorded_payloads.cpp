#include "replica/recorded_payloads.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cstdio>
#include <string_view>

namespace replica {
namespace {

namespace fs = std::filesystem;

void log_skip(const std::string& what, std::string_view why) {
  std::fprintf(stderr, "replica-api: skipping %s: %.*s\n", what.c_str(), static_cast<int>(why.size()), why.data());
}

std::optional<std::string> string_field(simdjson::simdjson_result<simdjson::dom::element> field) {
  std::string_view s;
  if (field.get_string().get(s)) return std::nullopt;  // absent, null or not a string
  return std::string(s);
}

// Integers and floats alike (the API sends both); nullopt when absent or null.
std::optional<double> number_field(simdjson::dom::object o, const char* key) {
  double v = 0;
  if (o[key].get_double().get(v)) return std::nullopt;
  return v;
}

// The searchable fields of an address object; nullopt when `e` has no string addressID.
std::optional<RecordedAddress> address_facts(simdjson::dom::element e) {
  simdjson::dom::object o;
  if (e.get_object().get(o)) return std::nullopt;
  auto id = string_field(o["addressID"]);
  if (!id) return std::nullopt;
  RecordedAddress a;
  a.id = std::move(*id);
  a.municipality = string_field(o["municipality"]["name"]);
  a.address_type = string_field(o["addressType"]);
  std::int64_t zip = 0;
  if (!o["zipCode"].get_int64().get(zip)) a.zip_code = zip;
  a.valuation = number_field(o, "latestValuation");
  a.living_area = number_field(o, "livingArea");
  a.road_name = string_field(o["roadName"]).value_or("");
  a.house_number = string_field(o["houseNumber"]).value_or("");
  return a;
}

// ondemand's raw_json() runs up to the next token, so it may carry the whitespace before it.
std::string_view trim_trailing_space(std::string_view s) {
  const auto end = s.find_last_not_of(" \t\r\n");
  return s.substr(0, end == std::string_view::npos ? 0 : end + 1);
}

// The exact text of each element of the file's address array (at the root or at
// "addresses"); empty for an element that is not an object. `text` is valid JSON already.
std::vector<std::string> element_texts(const simdjson::padded_string& text, bool root_is_array) {
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document doc = parser.iterate(text);
  simdjson::ondemand::array array = root_is_array ? doc.get_array() : doc.find_field_unordered("addresses").get_array();
  std::vector<std::string> out;
  for (simdjson::ondemand::value element : array) {
    simdjson::ondemand::object object;
    std::string_view raw;
    if (element.get_object().get(object) || object.raw_json().get(raw)) {
      out.emplace_back();
    } else {
      out.emplace_back(trim_trailing_space(raw));
    }
  }
  return out;
}

void read_file(const fs::path& file, std::vector<RecordedAddress>& out) {
  const std::string name = file.string();
  simdjson::padded_string text;
  if (simdjson::padded_string::load(name).get(text)) return log_skip(name, "cannot read it");
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (const auto error = parser.parse(text).get(root)) {
    return log_skip(name, std::string("not JSON (") + simdjson::error_message(error) + ")");
  }
  if (auto address = address_facts(root)) {
    address->payload.assign(text.data(), text.size());  // the whole file, as the API sent it
    address->file = name;
    out.push_back(std::move(*address));
    return;
  }
  simdjson::dom::array elements;
  if (root.get_array().get(elements) && root["addresses"].get_array().get(elements)) {
    return log_skip(name, "no address object with a string addressID, array of them or {\"addresses\": [...]}");
  }
  const std::vector<std::string> texts = element_texts(text, root.is_array());
  std::size_t i = 0;
  for (const simdjson::dom::element element : elements) {
    const std::string where = name + "[" + std::to_string(i) + "]";
    auto address = address_facts(element);
    if (!address || texts[i].empty()) {
      log_skip(where, "not an address object with a string addressID");
    } else {
      address->payload = texts[i];
      address->file = where;
      out.push_back(std::move(*address));
    }
    ++i;
  }
}

}  // namespace

std::vector<RecordedAddress> read_recorded_addresses(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir, fs::directory_options::follow_directory_symlink)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<RecordedAddress> out;
  for (const fs::path& file : files) read_file(file, out);
  return out;
}

}  // namespace replica
