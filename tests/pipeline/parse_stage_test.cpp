// ParseStage: a detail that does not parse is fetched again, kRefetches times; a search item
// (--details never) that does not parse fails at once, having no request to repeat.
#include "etl/pipeline/parse_stage.hpp"

#include <gtest/gtest.h>

namespace etl {
namespace {

WorkItem fetched(WorkItem::Origin origin, std::string payload) {
  WorkItem item;
  item.address_id = "a1";
  item.origin = origin;
  item.payload = std::move(payload);
  item.state = WorkItem::State::Fetched;
  return item;
}

TEST(ParseStage, ADetailThatDoesNotParseIsFetchedAgainThenFails) {
  ParseStage stage;
  WorkItem item = fetched(WorkItem::Origin::Detail, "{\"addressID\":");
  for (int i = 0; i < ParseStage::kRefetches; ++i) {
    ASSERT_EQ(stage.parse(item), ParseStage::Next::Refetch) << "refetch " << i + 1;
    EXPECT_EQ(item.state, WorkItem::State::Pending);
    item.payload = "{\"addressID\":";
    item.state = WorkItem::State::Fetched;
  }
  EXPECT_EQ(stage.parse(item), ParseStage::Next::Load);
  EXPECT_EQ(item.state, WorkItem::State::Failed);
  EXPECT_EQ(item.failure_stage, FailureStage::parse);
}

TEST(ParseStage, ASearchItemThatDoesNotParseFailsAtOnce) {
  ParseStage stage;
  WorkItem item = fetched(WorkItem::Origin::Search, "{\"addressID\":");
  EXPECT_EQ(stage.parse(item), ParseStage::Next::Load);
  EXPECT_EQ(item.state, WorkItem::State::Failed);
  EXPECT_EQ(item.failure_stage, FailureStage::parse);
  EXPECT_TRUE(item.payload.empty()) << "the payload is freed";
}

TEST(ParseStage, APayloadForAnotherAddressFailsWhateverItsOrigin) {
  for (const auto origin : {WorkItem::Origin::Detail, WorkItem::Origin::Search}) {
    ParseStage stage;
    WorkItem item = fetched(origin, R"({"addressID":"b2"})");
    EXPECT_EQ(stage.parse(item), ParseStage::Next::Load);
    EXPECT_EQ(item.state, WorkItem::State::Failed);
    EXPECT_EQ(item.failure_reason, "$.addressID: payload is for b2");
  }
  ParseStage stage;
  WorkItem item = fetched(WorkItem::Origin::Search, R"({"addressID":"a1","zipCode":2100})");
  EXPECT_EQ(stage.parse(item), ParseStage::Next::Load);
  ASSERT_TRUE(item.record);
  EXPECT_EQ(item.record->zip_code, 2100);
}

}  // namespace
}  // namespace etl
