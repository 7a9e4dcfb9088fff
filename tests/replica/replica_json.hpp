// Helpers for the replica tests: raw search items, key-path shapes, query encoding.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include <simdjson.h>

namespace etl::test {

// The raw text of each element of the search answer's "addresses" array, byte for byte.
std::vector<std::string> raw_addresses(const std::string& search_body);
// The same for any list of objects, e.g. the "cases" of /search/cases (empty when it is null).
std::vector<std::string> raw_items(const std::string& body, const std::string& list);

// Key path ("$.registrations[].amount") -> JSON types seen there ("int", "float", "string"...).
using Shape = std::map<std::string, std::set<std::string>>;

// Adds every key path under `element` (itself at `root`) to `shape`.
void add_shape(Shape& shape, simdjson::dom::element element, const std::string& root);

std::string read_text_file(const std::string& path);

// Percent-encoding for a query value (the tests' own, not the client's url_encode).
std::string url_encode(const std::string& s);

}  // namespace etl::test
