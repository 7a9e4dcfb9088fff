// --epoch: the market from night to night. Listings end (sold: a registration appears; or
// withdrawn), new ones start (relistings get new case IDs), asking prices change, properties
// arrive and vanish; nothing else about a property changes, identically on every run.
#include <gtest/gtest.h>

#include <cstdio>
#include <functional>
#include <map>
#include <set>

#include "tests/replica/replica_json.hpp"
#include "tests/support/replica_process.hpp"

namespace etl::test {
namespace {

const std::vector<std::string> kArgs = {"--scale", "0.05", "--seed", "5"};
constexpr int kNights = 7;

// A search item split into its registrations (each hashed) and the rest (hashed).
struct Digest {
  std::uint64_t rest = 0;
  std::vector<std::uint64_t> registrations;  // newest first
  bool operator==(const Digest&) const = default;
};

Digest digest(const std::string& item) {
  const std::string open = "\"registrations\":[";
  const auto start = item.find(open);
  const auto end = item.find("],\"road\":", start);
  if (start == std::string::npos || end == std::string::npos) throw std::runtime_error("no registrations in item");
  Digest d;
  const std::hash<std::string_view> h;
  d.rest = h(std::string_view(item).substr(0, start)) ^ (h(std::string_view(item).substr(end)) * 31);
  const std::string_view regs = std::string_view(item).substr(start + open.size(), end - start - open.size());
  for (std::size_t pos = 0; pos < regs.size();) {
    const auto close = regs.find('}', pos);
    d.registrations.push_back(h(regs.substr(pos, close - pos + 1)));
    pos = close + 2;  // past "},"
  }
  return d;
}

struct Case {
  std::string address_id;
  std::string distinction;
  std::int64_t price = 0;
  double change = 0;
  std::int64_t days = 0;
  std::int64_t case_price = 0;
};

struct Night {
  std::map<std::string, Digest> addresses;  // addressID -> search item digest
  std::map<std::string, Case> cases;        // caseID -> case
  std::map<std::string, std::string> sale_case_of;  // addressID -> its (first) real-estate caseID
};

// Every municipality's villas and every open case; `only` (if not empty) limits both to
// those municipalities.
Night snapshot(const ReplicaProcess& replica, const std::vector<std::string>& only = {}) {
  simdjson::dom::parser parser;
  Night n;
  std::vector<std::string> names = only;
  if (names.empty()) {
    const auto municipalities = parser.parse(simdjson::padded_string(replica.get("/municipalities")));
    for (const auto m : municipalities["municipalities"].get_array()) names.emplace_back(m["name"].get_string().value());
  }
  for (const auto& name : names) {
    for (int page = 1;; ++page) {
      const auto items = raw_addresses(replica.get("/search/addresses?addressTypes=villa&sortBy=address&per_page=100&municipalities=" +
                                                   url_encode(name) + "&page=" + std::to_string(page)));
      for (const auto& item : items) {
        const auto at = item.find("\"addressID\":\"") + 13;
        n.addresses.emplace(item.substr(at, 36), digest(item));
      }
      if (items.size() < 100) break;
    }
  }
  std::string cases_filter;
  for (const auto& name : only) cases_filter += "&municipalities=" + url_encode(name);  // repeated: combined
  for (int page = 1;; ++page) {
    const auto items = raw_items(
        replica.get("/search/cases?sortBy=address&per_page=500" + cases_filter + "&page=" + std::to_string(page)), "cases");
    for (const auto& item : items) {
      const auto c = parser.parse(simdjson::padded_string(item)).value();
      Case k;
      k.address_id = std::string(c["address"]["addressID"].get_string().value());
      k.distinction = std::string(c["distinction"].get_string().value());
      k.price = c["priceCash"].get_int64().value();
      k.change = c["priceChangePercentage"].get_double().value();
      k.days = c["daysOnMarket"].get_int64().value();
      k.case_price = c["address"]["casePrice"].get_int64().value();
      const std::string id(c["caseID"].get_string().value());
      // Several realtors may list one property; the first case (in slot order) is its casePrice.
      if (k.distinction == "real_estate") n.sale_case_of.emplace(k.address_id, id);
      n.cases.emplace(id, std::move(k));
    }
    if (items.size() < 500) break;
  }
  return n;
}

struct NightStats {
  double listed_share = 0;
  int open_before = 0, ended = 0, sold = 0, withdrawn = 0, started = 0, relisted = 0, staying = 0, repriced = 0;
  int listed = 0, rentals = 0, properties_before = 0, arrived = 0, vanished = 0;
};

class ReplicaEpochs : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    simdjson::dom::parser parser;
    std::map<std::string, std::set<std::string>> earlier_sale_cases;  // addressID -> caseIDs of earlier nights
    for (int e = 0; e <= kNights; ++e) {
      std::vector<std::string> args = kArgs;
      args.insert(args.end(), {"--epoch", std::to_string(e)});
      ReplicaProcess replica(args);
      nights_.push_back(snapshot(replica));
      const Night& now = nights_.back();
      if (e == 0) {
        for (const auto& [id, c] : now.cases) earlier_sale_cases[c.address_id].insert(id);
        continue;
      }
      const Night& before = nights_[nights_.size() - 2];
      NightStats s;
      s.properties_before = static_cast<int>(before.addresses.size());
      for (const auto& [id, d] : now.addresses) s.arrived += !before.addresses.contains(id);
      for (const auto& [id, d] : before.addresses) {
        if (!now.addresses.contains(id)) {
          ++s.vanished;
          if (gone_.size() < 5) gone_.emplace_back(e, id);
        }
      }
      s.listed = static_cast<int>(now.sale_case_of.size());
      s.listed_share = static_cast<double>(s.listed) / static_cast<double>(now.addresses.size());
      for (const auto& [id, c] : now.cases) s.rentals += c.distinction == "rental";
      const std::string night = "2025-10-" + std::string(e + 1 < 10 ? "0" : "") + std::to_string(e + 1);
      for (const auto& [address, case_id] : before.sale_case_of) {
        if (!now.addresses.contains(address)) continue;  // vanished with its listing
        ++s.open_before;
        const auto still = now.sale_case_of.find(address);
        if (still != now.sale_case_of.end() && still->second == case_id) {
          ++s.staying;
          const Case& was = before.cases.at(case_id);
          const Case& is = now.cases.at(case_id);
          EXPECT_EQ(is.days, was.days + 1) << "days on market advance nightly";
          EXPECT_EQ(is.case_price, is.price) << "casePrice follows priceCash";
          if (is.price != was.price) {
            ++s.repriced;
            EXPECT_NEAR(is.change, 100.0 * static_cast<double>(is.price - was.price) / static_cast<double>(was.price), 0.051);
          } else {
            EXPECT_EQ(is.change, was.change);
          }
          continue;
        }
        ++s.ended;
        if (ended_.size() < 10) ended_.emplace_back(e, case_id);
        // Sold or withdrawn: the detail says which.
        const auto detail = parser.parse(simdjson::padded_string(replica.get("/addresses/" + address))).value();
        bool sold = false;
        for (const auto r : detail["registrations"].get_array()) {
          if (r["date"].get_string().value() == night) {
            sold = true;
            EXPECT_EQ(r["type"].get_string().value(), "normal");
            const auto amount = static_cast<double>(r["amount"].get_int64().value());
            const auto asked = static_cast<double>(before.cases.at(case_id).price);
            EXPECT_GT(amount, 0.9 * asked);
            EXPECT_LE(amount, 1.01 * asked);
          }
        }
        s.sold += sold;
        s.withdrawn += !sold;
        EXPECT_EQ(replica.request("/cases/" + case_id).status, 404) << "an ended case is gone";
      }
      for (const auto& [address, case_id] : now.sale_case_of) {
        const auto was = before.sale_case_of.find(address);
        if (was != before.sale_case_of.end() && was->second == case_id) continue;
        ++s.started;
        const auto& earlier = earlier_sale_cases[address];
        if (!earlier.empty()) {
          ++s.relisted;
          EXPECT_FALSE(earlier.contains(case_id)) << "a relisting gets a new caseID";
        }
      }
      for (const auto& [id, c] : now.cases) earlier_sale_cases[c.address_id].insert(id);
      stats_.push_back(s);
    }
  }

  static void market_statistics();
  static void nothing_but_registrations_changes_and_they_only_grow();
  static void vanished_properties_and_ended_cases_are_404_new_ones_were_not_there_before();

  static inline std::vector<Night> nights_;
  static inline std::vector<NightStats> stats_;
  static inline std::vector<std::pair<int, std::string>> gone_, ended_;  // (night, ID)
};

double share(int part, int whole) { return whole == 0 ? 0.0 : static_cast<double>(part) / whole; }

// The 8-night crawl is what these cost (~55,000 villas a night), so one test process runs
// the three checks of the nights it crawled.
TEST_F(ReplicaEpochs, SevenNightsOfMarket) {
  {
    SCOPED_TRACE("market statistics");
    market_statistics();
  }
  {
    SCOPED_TRACE("nothing but registrations changes, and they only grow");
    nothing_but_registrations_changes_and_they_only_grow();
  }
  {
    SCOPED_TRACE("vanished properties and ended cases are 404, new ones were not there before");
    vanished_properties_and_ended_cases_are_404_new_ones_were_not_there_before();
  }
}

void ReplicaEpochs::market_statistics() {
  ASSERT_EQ(stats_.size(), static_cast<std::size_t>(kNights));
  NightStats total;
  std::printf("night listed%%  open ended  sold withdr  new relist repriced rental props  +new  gone\n");
  for (std::size_t i = 0; i < stats_.size(); ++i) {
    const NightStats& s = stats_[i];
    std::printf("%5zu %6.2f%% %5d %5d %5d %6d %5d %6d %8d %6d %5d %5d %5d\n", i + 1, 100 * s.listed_share,
                s.open_before, s.ended, s.sold, s.withdrawn, s.started, s.relisted, s.repriced, s.rentals,
                s.properties_before, s.arrived, s.vanished);
    std::printf("      ended %.1f%% of open (sold %.1f%%, withdrawn %.1f%%), new listings %.1f%% of open, re-priced %.1f%%"
                " of staying, rental %.2f%% of listed, new properties %.3f%%, vanished %.3f%%\n",
                100 * share(s.ended, s.open_before), 100 * share(s.sold, s.open_before),
                100 * share(s.withdrawn, s.open_before), 100 * share(s.started, s.open_before),
                100 * share(s.repriced, s.staying), 100 * share(s.rentals, s.listed),
                100 * share(s.arrived, s.properties_before), 100 * share(s.vanished, s.properties_before));
    // Per night, within a reasonable range of the targets (about 870 listings, 55,000 villas).
    EXPECT_GT(s.listed_share, 0.015);
    EXPECT_LT(s.listed_share, 0.025);
    EXPECT_GT(share(s.ended, s.open_before), 0.015);
    EXPECT_LT(share(s.ended, s.open_before), 0.07);
    EXPECT_GT(share(s.started, s.open_before), 0.015);
    EXPECT_LT(share(s.started, s.open_before), 0.07);
    EXPECT_GT(share(s.repriced, s.staying), 0.04);
    EXPECT_LT(share(s.repriced, s.staying), 0.12);
    EXPECT_GT(share(s.arrived, s.properties_before), 0.0012);
    EXPECT_LT(share(s.arrived, s.properties_before), 0.0028);
    EXPECT_LT(share(s.vanished, s.properties_before), 0.0015);
    EXPECT_LE(share(s.rentals, s.listed), 0.012);
    total.open_before += s.open_before;
    total.ended += s.ended;
    total.sold += s.sold;
    total.withdrawn += s.withdrawn;
    total.started += s.started;
    total.relisted += s.relisted;
    total.staying += s.staying;
    total.repriced += s.repriced;
    total.rentals += s.rentals;
    total.listed += s.listed;
    total.properties_before += s.properties_before;
    total.arrived += s.arrived;
    total.vanished += s.vanished;
  }
  std::printf("total: ended %.2f%%/night (sold %.1f%% of them), new listings %.2f%%/night (relisted %.1f%% of them), "
              "re-priced %.2f%%/night, rental %.2f%% of listed, new properties %.3f%%/night, vanished %.3f%%/night\n",
              100 * share(total.ended, total.open_before), 100 * share(total.sold, total.ended),
              100 * share(total.started, total.open_before), 100 * share(total.relisted, total.started),
              100 * share(total.repriced, total.staying), 100 * share(total.rentals, total.listed),
              100 * share(total.arrived, total.properties_before), 100 * share(total.vanished, total.properties_before));
  // Over the seven nights, closer to the targets.
  EXPECT_NEAR(share(total.ended, total.open_before), 0.04, 0.01);
  EXPECT_NEAR(share(total.sold, total.ended), 0.5, 0.12);
  EXPECT_NEAR(share(total.started, total.open_before), 0.04, 0.01);
  EXPECT_GT(total.relisted, 2);
  EXPECT_LT(share(total.relisted, total.started), 0.4);
  EXPECT_NEAR(share(total.repriced, total.staying), 0.08, 0.015);
  EXPECT_GT(total.rentals, 0);
  EXPECT_LT(share(total.rentals, total.listed), 0.01);
  EXPECT_NEAR(share(total.arrived, total.properties_before), 0.002, 0.0003);
  EXPECT_NEAR(share(total.vanished, total.properties_before), 0.0005, 0.0003);
}

void ReplicaEpochs::nothing_but_registrations_changes_and_they_only_grow() {
  for (std::size_t e = 1; e < nights_.size(); ++e) {
    int changed = 0, grown = 0;
    for (const auto& [id, was] : nights_[e - 1].addresses) {
      const auto it = nights_[e].addresses.find(id);
      if (it == nights_[e].addresses.end()) continue;
      const Digest& is = it->second;
      EXPECT_EQ(is.rest, was.rest) << id << ": only registrations may change overnight";
      ASSERT_GE(is.registrations.size(), was.registrations.size()) << id;
      const std::size_t added = is.registrations.size() - was.registrations.size();
      EXPECT_TRUE(std::equal(was.registrations.begin(), was.registrations.end(), is.registrations.begin() + static_cast<std::ptrdiff_t>(added)))
          << id << ": the history stays, a sale is prepended";
      EXPECT_LE(added, 1u);
      changed += !(is == was);
      grown += added > 0;
    }
    EXPECT_EQ(changed, grown);
    EXPECT_EQ(grown, stats_[e - 1].sold) << "one registration per sale";
  }
}

void ReplicaEpochs::vanished_properties_and_ended_cases_are_404_new_ones_were_not_there_before() {
  ASSERT_FALSE(gone_.empty());
  ASSERT_FALSE(ended_.empty());
  std::vector<std::string> args = kArgs;
  args.insert(args.end(), {"--epoch", std::to_string(kNights)});
  ReplicaProcess last(args);
  for (const auto& [night, id] : gone_) EXPECT_EQ(last.request("/addresses/" + id).status, 404) << "vanished on " << night;
  for (const auto& [night, id] : ended_) EXPECT_EQ(last.request("/cases/" + id).status, 404) << "ended on " << night;
  ReplicaProcess first(kArgs);
  int born = 0;
  for (const auto& [id, d] : nights_.back().addresses) {
    if (nights_.front().addresses.contains(id) || ++born > 10) continue;
    EXPECT_EQ(first.request("/addresses/" + id).status, 404) << "new since night 0";
    EXPECT_EQ(last.request("/addresses/" + id).status, 200);
  }
  EXPECT_GT(born, 10);
  for (const auto& [night, id] : ended_) {
    std::vector<std::string> then = kArgs;
    then.insert(then.end(), {"--epoch", std::to_string(night - 1)});
    ReplicaProcess before(then);
    EXPECT_EQ(before.request("/cases/" + id).status, 200) << "open the night before";
    break;
  }
}

// Two replicas at the same epoch serve the same data (checked on two municipalities, without
// the 8-night fixture).
TEST(ReplicaEpochRuns, EveryRunAgrees) {
  const std::vector<std::string> sample = {"København", "Gentofte"};
  for (const char* epoch : {"0", "3"}) {
    std::vector<std::string> args = kArgs;
    args.insert(args.end(), {"--epoch", epoch});
    ReplicaProcess one(args), two(args);
    const Night a = snapshot(one, sample), b = snapshot(two, sample);
    ASSERT_FALSE(a.addresses.empty());
    ASSERT_FALSE(a.cases.empty()) << epoch;
    EXPECT_TRUE(a.addresses == b.addresses) << epoch;
    EXPECT_EQ(a.sale_case_of, b.sale_case_of) << epoch;
  }
}

}  // namespace
}  // namespace etl::test
