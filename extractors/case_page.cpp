#include "extractors/case_page.hpp"

#include <simdjson.h>

#include <cmath>

#include "etl/core/api_id.hpp"
#include "etl/core/errors.hpp"
#include "etl/core/payload_hash.hpp"
#include "extractors/page_envelope.hpp"

namespace etl {
namespace {

namespace od = simdjson::ondemand;

// A string field, or empty when absent, null or not a string.
std::string string_field(od::object& obj, std::string_view key) {
  std::string_view v;
  if (obj.find_field_unordered(key).get_string().get(v) != simdjson::SUCCESS) return {};
  return std::string(v);
}

// Reads the fields of one case; false when it has no usable caseID or address.addressID.
bool read_case(od::value element, const std::string& path, ListedCase& out) {
  od::object obj;
  check_json(element.get_object().get(obj), path);
  std::string_view text;
  check_json(obj.raw_json().get(text), path);  // consumes the object: reset() rewinds it
  out.hash = payload_hash(text);
  bool rewound = false;
  check_json(obj.reset().get(rewound), path);
  // Keys are looked up unordered: the API sends them sorted, but nothing promises it.
  out.case_id = string_field(obj, "caseID");
  out.status = string_field(obj, "status");
  out.distinction = string_field(obj, "distinction");
  od::number price;  // absent, null or not a number: no price
  if (obj.find_field_unordered("priceCash").get_number().get(price) == simdjson::SUCCESS) {
    if (price.is_int64()) {
      out.price_cash = price.get_int64();
    } else if (const double d = price.as_double(); std::isfinite(d) && std::fabs(d) < 9e18) {
      out.price_cash = std::llround(d);
    }
  }
  od::object address;
  if (obj.find_field_unordered("address").get_object().get(address) == simdjson::SUCCESS) {
    out.address_id = string_field(address, "addressID");
    out.address_type = string_field(address, "addressType");
    od::object municipality;
    std::int64_t code = 0;
    if (address.find_field_unordered("municipality").get_object().get(municipality) == simdjson::SUCCESS &&
        municipality.find_field_unordered("municipalityCode").get_int64().get(code) == simdjson::SUCCESS)
      out.municipality_code = code;
  }
  return valid_api_id(out.case_id) && valid_api_id(out.address_id);
}

}  // namespace

struct CasePageParser::Impl {
  PageEnvelope envelope{"cases", NullList::empty};
};

CasePageParser::CasePageParser() : impl_(std::make_unique<Impl>()) {}
CasePageParser::~CasePageParser() = default;

CasePage CasePageParser::parse(std::string_view body) {
  CasePage page;
  PageEnvelope& envelope = impl_->envelope;
  page.total_hits = envelope.read(body, [&](od::value value, std::size_t index) {
    ListedCase c;
    if (read_case(value, envelope.element_path(index), c)) {
      page.cases.push_back(std::move(c));
    } else {
      ++page.cases_without_id;
    }
  });
  if (page.total_hits < 0) throw ParseError("$.totalHits", "negative");
  return page;
}

}  // namespace etl
