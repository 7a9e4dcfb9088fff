// At --scale 1 the replica's copenhagen area is the real market's shape (the reference CSV and
// MARKET.md in tools/reference), and --churn real moves it as much as the real one moves.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "tests/replica/replica_json.hpp"
#include "tests/support/replica_process.hpp"

namespace etl::test {
namespace {

struct Reference {
  std::map<std::string, std::int64_t> villas, listed;                  // per municipality
  std::map<std::pair<std::string, int>, std::int64_t> villas_by_zip;  // (municipality, zip)
  std::map<int, std::int64_t> zip_villas;                              // over municipalities
  std::int64_t total = 0;
};

Reference read_reference() {
  std::ifstream in(std::string(ETL_REFERENCE_DIR) + "/copenhagen-villas-2025-10-07.csv");
  Reference r;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream row(line);
    for (std::string cell; std::getline(row, cell, ',');) f.push_back(cell);
    const std::int64_t villas = std::stoll(f.at(4));
    r.villas[f.at(1)] += villas;
    r.listed[f.at(1)] += std::stoll(f.at(5));
    r.villas_by_zip[{f.at(1), std::stoi(f.at(2))}] += villas;
    r.zip_villas[std::stoi(f.at(2))] += villas;
    r.total += villas;
  }
  return r;
}

struct Case {
  std::string municipality, id, address;
  std::int64_t price = 0, per_m2 = 0, days = 0, monthly = 0;
  bool rental = false;
  std::size_t registrations = 0;
  std::set<std::string> registration_types;
};

std::vector<Case> all_cases(const ReplicaProcess& replica, const Reference& ref) {
  std::vector<Case> out;
  simdjson::dom::parser parser;
  for (const auto& [name, villas] : ref.villas) {
    const std::string body =
        replica.get("/search/cases?sortBy=address&per_page=500&municipalities=" + url_encode(name));
    simdjson::dom::element page = parser.parse(simdjson::padded_string(body));
    EXPECT_LE(page["totalHits"].get_int64().value(), 500) << name << ": one page holds them (MARKET.md)";
    simdjson::dom::array cases;
    if (page["cases"].get(cases) != simdjson::SUCCESS) continue;  // null
    for (const auto c : cases) {
      Case k;
      k.municipality = name;
      k.id = std::string(c["caseID"].get_string().value());
      k.address = std::string(c["address"]["addressID"].get_string().value());
      k.price = c["priceCash"].get_int64().value();
      k.per_m2 = c["perAreaPrice"].get_int64().value();
      k.days = c["daysOnMarket"].get_int64().value();
      k.monthly = c["monthlyExpense"].get_int64().value();
      k.rental = c["distinction"].get_string().value() == "rental";
      for (const auto r : c["address"]["registrations"].get_array()) {
        ++k.registrations;
        k.registration_types.insert(std::string(r["type"].get_string().value()));
      }
      out.push_back(std::move(k));
    }
  }
  return out;
}

std::int64_t quantile(std::vector<std::int64_t> v, double q) {
  std::sort(v.begin(), v.end());
  return v.at(static_cast<std::size_t>(q * static_cast<double>(v.size() - 1)));
}

class ReplicaMarket : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    reference_ = new Reference(read_reference());
    replica_ = new ReplicaProcess({"--scale", "1", "--seed", "1"});
    cases_ = new std::vector<Case>(all_cases(*replica_, *reference_));
  }
  static void TearDownTestSuite() {
    delete cases_;
    delete replica_;
    delete reference_;
  }
  static std::int64_t hits(const std::string& query) {
    simdjson::dom::parser parser;
    return parser.parse(simdjson::padded_string(replica_->get("/search/addresses?per_page=1&" + query)))["totalHits"]
        .get_int64()
        .value();
  }
  static inline Reference* reference_ = nullptr;
  static inline ReplicaProcess* replica_ = nullptr;
  static inline std::vector<Case>* cases_ = nullptr;
};

TEST_F(ReplicaMarket, MunicipalitiesAndZipCodesHoldTheMeasuredVillas) {
  ASSERT_EQ(reference_->villas.size(), 36u);
  std::set<std::string> over_cap;
  for (const auto& [name, villas] : reference_->villas) {
    const std::int64_t n = hits("municipalities=" + url_encode(name));
    EXPECT_NEAR(static_cast<double>(n), static_cast<double>(villas), 0.02 * static_cast<double>(villas)) << name;
    if (n > 10000) over_cap.insert(name);
  }
  EXPECT_EQ(over_cap, (std::set<std::string>{"Greve", "Holbæk", "København", "Køge", "Roskilde"}))
      << "the five over the 10,000 results one query can page";
  for (const auto& [key, villas] : reference_->villas_by_zip) {
    const std::int64_t n = hits("municipalities=" + url_encode(key.first) + "&zipCodes=" + std::to_string(key.second));
    EXPECT_LE(std::abs(static_cast<double>(n - villas)), std::max(1.0, 0.02 * static_cast<double>(villas)))
        << key.first << " " << key.second;
  }
  const std::int64_t roskilde = hits("zipCodes=4000");
  EXPECT_EQ(reference_->zip_villas.at(4000), 9953);
  EXPECT_GE(roskilde, 9800);
  EXPECT_LE(roskilde, 10000) << "zip 4000 stays just under the cap";
}

TEST_F(ReplicaMarket, ListingsHaveTheMeasuredShare) {
  std::map<std::string, int> sale_cases;
  std::map<std::string, std::set<std::string>> listed;  // per municipality
  for (const auto& c : *cases_) {
    if (c.rental) continue;
    ++sale_cases[c.address];
    listed[c.municipality].insert(c.address);
  }
  const double share = static_cast<double>(sale_cases.size()) / static_cast<double>(reference_->total);
  EXPECT_GT(share, 0.014) << "1.57% measured";
  EXPECT_LT(share, 0.018);
  // Each municipality's own share (0.73% Glostrup to 2.84% Stevns), up to sampling noise.
  for (const auto& [name, n] : reference_->listed) {
    const auto drawn = static_cast<double>(listed[name].size());
    EXPECT_LE(std::abs(drawn - static_cast<double>(n)), 3 * std::sqrt(static_cast<double>(n)) + 2) << name;
  }
  int most = 0, two = 0;
  for (const auto& [address, n] : sale_cases) {
    most = std::max(most, n);
    two += n == 2;
  }
  EXPECT_GE(most, 5) << "several realtors' cases on one address (9 measured)";
  EXPECT_GT(two, 3) << "13 addresses with 2 measured";
}

TEST_F(ReplicaMarket, PricesAndAgesHaveTheMeasuredQuantilesAndTails) {
  std::vector<std::int64_t> prices, per_m2, days;
  for (const auto& c : *cases_) {
    if (c.rental) continue;
    prices.push_back(c.price);
    per_m2.push_back(c.per_m2);
    days.push_back(c.days);
  }
  const auto near = [](std::int64_t v, double target) { return std::abs(static_cast<double>(v) / target - 1) < 0.12; };
  EXPECT_PRED2(near, quantile(prices, 0.1), 2.55e6);
  EXPECT_PRED2(near, quantile(prices, 0.5), 5.90e6);
  EXPECT_PRED2(near, quantile(prices, 0.9), 14.75e6);
  EXPECT_GT(quantile(prices, 1.0), 50'000'000) << "120 M measured";
  EXPECT_LE(quantile(prices, 1.0), 120'000'000);
  EXPECT_GE(quantile(prices, 0.0), 395'000);
  EXPECT_PRED2(near, quantile(per_m2, 0.1), 15965);
  EXPECT_PRED2(near, quantile(per_m2, 0.5), 34439);
  EXPECT_PRED2(near, quantile(per_m2, 0.9), 68732);
  EXPECT_GT(quantile(per_m2, 1.0), 150000) << "281,250 measured";
  EXPECT_PRED2(near, quantile(days, 0.5), 84);
  EXPECT_PRED2(near, quantile(days, 0.9), 245);
  EXPECT_GT(quantile(days, 1.0), 1000) << "1,330 measured";
  EXPECT_LE(quantile(days, 1.0), 1330);
}

TEST_F(ReplicaMarket, RegistrationsAndRentalsAreAsMeasured) {
  std::size_t registrations = 0, villas = 0, rentals = 0;
  std::set<std::string> types;
  for (const auto& c : *cases_) {
    if (c.rental) {
      ++rentals;
      EXPECT_GE(c.monthly, 14500);
      EXPECT_LE(c.monthly, 75000);
      EXPECT_EQ(c.price, 3 * c.monthly) << "the deposit";
      continue;
    }
    registrations += c.registrations;
    ++villas;
    types.insert(c.registration_types.begin(), c.registration_types.end());
  }
  EXPECT_NEAR(static_cast<double>(registrations) / static_cast<double>(villas), 1.7, 0.15);
  EXPECT_EQ(types, (std::set<std::string>{"auction", "family", "normal", "other"}));
  EXPECT_GE(rentals, 2u) << "8 measured";
  EXPECT_LE(rentals, 20u);
}

// By address: its set of open cases with their prices.
std::map<std::string, std::set<std::pair<std::string, std::int64_t>>> by_address(const std::vector<Case>& cases) {
  std::map<std::string, std::set<std::pair<std::string, std::int64_t>>> out;
  for (const auto& c : cases) out[c.address].insert({c.id, c.price});
  return out;
}

double changed_share(const std::vector<Case>& before, const std::vector<Case>& after) {
  const auto a = by_address(before), b = by_address(after);
  int changed = 0;
  for (const auto& [address, cases] : a) changed += !b.contains(address) || b.at(address) != cases;
  for (const auto& [address, cases] : b) changed += !a.contains(address);
  return static_cast<double>(changed) / static_cast<double>(a.size());
}

TEST_F(ReplicaMarket, RealChurnChangesAFewPercentOfListingsANightBusyMany) {
  const ReplicaProcess real({"--scale", "1", "--seed", "1", "--epoch", "1", "--churn", "real"});
  const double real_share = changed_share(*cases_, all_cases(real, *reference_));
  EXPECT_GT(real_share, 0.015) << "~2.2% measured";
  EXPECT_LT(real_share, 0.035);
  const ReplicaProcess busy({"--scale", "1", "--seed", "1", "--epoch", "1", "--churn", "busy"});
  EXPECT_GT(changed_share(*cases_, all_cases(busy, *reference_)), 0.1) << "busy: the harsher market";
}

}  // namespace
}  // namespace etl::test
