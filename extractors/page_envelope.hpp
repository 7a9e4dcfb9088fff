// The envelope of a page of the API's paged searches, {"totalHits": N, "<list>": [...]},
// read in one simdjson pass: the address and the case search differ only in their list's
// key and in what they read of each element. Internal to the extractors (it needs simdjson).
#pragma once

#include <fmt/format.h>
#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "etl/core/errors.hpp"

namespace etl {

// Throws ParseError at `path` (a JSON path, "$.cases[3]") unless `e` is SUCCESS.
inline void check_json(simdjson::error_code e, std::string_view path) {
  if (e != simdjson::SUCCESS) throw ParseError(std::string(path), simdjson::error_message(e));
}

// What `"<list>": null` means: no elements (the case search sends it), or not a page.
enum class NullList { empty, error };

// Reuses its simdjson parser and padded buffer across pages; one per thread.
class PageEnvelope {
 public:
  PageEnvelope(std::string_view list, NullList null_list)
      : list_(list), list_path_(fmt::format("$.{}", list)), null_list_(null_list) {}

  // "$.<list>[index]", for the errors of one element.
  std::string element_path(std::size_t index) const { return fmt::format("{}[{}]", list_path_, index); }

  // Hands each element of the list to `on_element(simdjson::ondemand::value, index)`, in
  // order, and returns totalHits. Throws ParseError (JSON path + reason) when the body is not
  // a page: not an object, no integer totalHits, a list that is not an array, or anything
  // after the page.
  template <class OnElement>
  std::int64_t read(std::string_view body, OnElement&& on_element) {
    namespace od = simdjson::ondemand;
    padded_.assign(body);
    padded_.append(simdjson::SIMDJSON_PADDING, '\0');
    od::document doc;
    check_json(parser_.iterate(padded_.data(), body.size(), padded_.size()).get(doc), "$");
    od::object root;
    check_json(doc.get_object().get(root), "$");
    std::int64_t total_hits = 0;
    bool has_total = false;
    for (auto result : root) {
      od::field field;
      check_json(std::move(result).get(field), "$");
      std::string_view key;
      check_json(field.unescaped_key().get(key), "$");
      if (key == "totalHits") {
        check_json(field.value().get_int64().get(total_hits), "$.totalHits");
        has_total = true;
      } else if (key == list_) {
        bool null = false;
        if (null_list_ == NullList::empty && field.value().is_null().get(null) == simdjson::SUCCESS && null) continue;
        od::array array;
        check_json(field.value().get_array().get(array), list_path_);
        std::size_t index = 0;
        for (auto element : array) {
          od::value value;
          if (const auto e = std::move(element).get(value); e != simdjson::SUCCESS)
            throw ParseError(element_path(index), simdjson::error_message(e));
          on_element(value, index++);
        }
      }
    }
    if (!has_total) throw ParseError("$.totalHits", "missing");
    const char* location = nullptr;  // OUT_OF_BOUNDS once the whole input was consumed
    if (doc.current_location().get(location) == simdjson::SUCCESS) throw ParseError("$", "unexpected content after the page");
    return total_hits;
  }

 private:
  std::string list_;
  std::string list_path_;
  NullList null_list_;
  simdjson::ondemand::parser parser_;
  std::string padded_;  // body + SIMDJSON_PADDING, reused between pages
};

}  // namespace etl
