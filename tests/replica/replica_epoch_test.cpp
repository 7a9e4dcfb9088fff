// --epoch: from one night to the next some properties go, some arrive, some are listed or
// delisted and asking prices drop, identically on every run.
#include <gtest/gtest.h>

#include <map>

#include "tests/replica/replica_json.hpp"
#include "tests/support/replica_process.hpp"

namespace etl::test {
namespace {

using Snapshot = std::map<std::string, std::string>;  // addressID -> payload

Snapshot snapshot(const ReplicaProcess& replica) {
  simdjson::dom::parser parser;
  Snapshot all;
  for (int page = 1;; ++page) {
    const auto items = raw_addresses(replica.get("/search/addresses?municipalities=K%C3%B8benhavn&page=" + std::to_string(page)));
    if (items.empty()) break;
    for (const auto& item : items) {
      all[std::string(parser.parse(simdjson::padded_string(item))["addressID"].get_string().value())] = item;
    }
  }
  return all;
}

struct Listing {
  bool on_market = false;
  std::string case_id;
  std::int64_t price = 0;
  std::int64_t case_price = 0;
  std::vector<std::pair<std::string, std::int64_t>> changes;  // date, priceCash
};

Listing listing(const std::string& payload) {
  simdjson::dom::parser parser;
  const auto doc = parser.parse(simdjson::padded_string(payload));
  Listing l;
  simdjson::dom::array cases;
  if (doc["cases"].get(cases) != simdjson::SUCCESS || cases.size() == 0) return l;
  const auto c = cases.at(0).value();
  l.on_market = true;
  l.case_id = std::string(c["caseID"].get_string().value());
  l.price = c["priceCash"].get_int64().value();
  l.case_price = doc["casePrice"].get_int64().value();
  for (auto change : c["priceChanges"].get_array()) {
    l.changes.emplace_back(std::string(change["date"].get_string().value()), change["priceCash"].get_int64().value());
  }
  return l;
}

class ReplicaEpochs : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ReplicaProcess night0({"--scale", "0.05", "--seed", "5"});
    ReplicaProcess night1({"--scale", "0.05", "--seed", "5", "--epoch", "1"});
    before_ = snapshot(night0);
    after_ = snapshot(night1);
    for (const auto& [id, payload] : before_) {
      if (!after_.contains(id)) removed_.push_back(id);
    }
    for (const auto& [id, payload] : after_) {
      if (!before_.contains(id)) added_.push_back(id);
    }
    removed_status_ = night1.request("/addresses/" + removed_.at(0)).status;
    added_status_before_ = night0.request("/addresses/" + added_.at(0)).status;
  }

  static inline Snapshot before_, after_;
  static inline std::vector<std::string> removed_, added_;
  static inline int removed_status_ = 0, added_status_before_ = 0;
};

TEST_F(ReplicaEpochs, AboutOnePercentIsRemovedAndGone) {
  EXPECT_GE(removed_.size(), 1u);
  EXPECT_LE(removed_.size(), 25u);  // ~1% of 718
  EXPECT_EQ(removed_status_, 404);
}

TEST_F(ReplicaEpochs, AboutOnePercentIsNew) {
  EXPECT_EQ(added_.size(), 7u);  // round(1% of 718) new indices per night
  EXPECT_EQ(added_status_before_, 404);
}

TEST_F(ReplicaEpochs, ListingsChangeAndPricesDrop) {
  int listed = 0, delisted = 0, cut = 0, unchanged_off_market = 0;
  for (const auto& [id, old_payload] : before_) {
    const auto it = after_.find(id);
    if (it == after_.end()) continue;
    const Listing was = listing(old_payload);
    const Listing is = listing(it->second);
    if (!was.on_market && is.on_market) ++listed;
    if (was.on_market && !is.on_market) ++delisted;
    if (!was.on_market && !is.on_market) {
      EXPECT_EQ(old_payload, it->second) << "an unlisted property must not change overnight";
      ++unchanged_off_market;
    }
    if (was.on_market && is.on_market) {
      EXPECT_EQ(was.case_id, is.case_id);
      EXPECT_EQ(is.price, is.case_price);
      if (is.changes.size() == was.changes.size() + 1) {
        ++cut;
        EXPECT_EQ(is.changes.back().first, "2025-10-02");  // epoch 1 is the night after 2025-10-01
        EXPECT_EQ(is.changes.back().second, is.price);
        EXPECT_LT(is.price, was.price);
        EXPECT_TRUE(std::equal(was.changes.begin(), was.changes.end(), is.changes.begin()));
      } else {
        EXPECT_EQ(is.changes, was.changes);
        EXPECT_EQ(is.price, was.price);
      }
    }
  }
  EXPECT_GE(listed + delisted, 3);  // ~2% of 718 change state
  EXPECT_LE(listed + delisted, 40);
  EXPECT_GE(cut, 2);
  EXPECT_GT(unchanged_off_market, 500);
}

TEST_F(ReplicaEpochs, EpochZeroIsTheBaseAndEveryRunAgrees) {
  ReplicaProcess again({"--scale", "0.05", "--seed", "5", "--epoch", "1"});
  EXPECT_TRUE(snapshot(again) == after_);
  ReplicaProcess base({"--scale", "0.05", "--seed", "5"});
  EXPECT_TRUE(snapshot(base) == before_);
}

}  // namespace
}  // namespace etl::test
