// What the nightly refresh promises, read from a database independently of the code under
// test: per address its listing state, the differences from a clean import at the same
// moment, and the listing events a night should record, from two clean imports' difference.
// Shared by the convergence test and the nightly property test.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace etl::test {

// Per address: removed, listed, case price, the open cases ("ID:price:distinction") and the
// registrations ("ID:amount:date"). A NULL is_on_market (a search item stored with
// --details never) reads as not listed.
struct ListingState {
  bool removed = false;
  bool listed = false;
  std::string case_price;
  std::set<std::string> cases;
  std::set<std::string> registrations;
  bool operator==(const ListingState&) const = default;
};
using Listings = std::map<std::string, ListingState>;

Listings listings_of(const std::string& db_url);
std::string describe(const ListingState& s);
// Live addresses flagged as listed.
std::set<std::string> listed_ids(const Listings& l);

// The differences between a refreshed database and a clean import at the same moment, over
// the addresses listed in either, or listed in the refreshed one before the night.
std::vector<std::string> listing_differences(const Listings& refreshed, const Listings& clean,
                                             const std::set<std::string>& listed_before);

// Listing events as "address|case|class" (class: on = listed or relisted, sold, delisted,
// price) and "address||removed", sorted; what a night between two clean imports shows of
// every address that had or has an open case. A property new with no case, or gone with
// none, is not a listing event: a nightly refresh does not see it.
std::vector<std::string> expected_listing_events(const Listings& before, const Listings& after);

// requests_by_endpoint.<endpoint> of a run's --summary-json file (0 when absent).
std::int64_t summary_requests(const std::string& file, const char* endpoint);

// The same classes of the events the database's latest run recorded (new and returned left out).
std::vector<std::string> recorded_listing_events(const std::string& db_url);

}  // namespace etl::test
