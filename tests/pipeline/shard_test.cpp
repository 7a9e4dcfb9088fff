#include <gtest/gtest.h>

#include "etl/core/errors.hpp"
#include "etl/pipeline/shard.hpp"

namespace etl {
namespace {

TEST(Shard, PartsAreDisjointAndCoverEverything) {
  const Shard a = Shard::parse("1/3"), b = Shard::parse("2/3"), c = Shard::parse("3/3");
  int counts[3] = {0, 0, 0};
  for (int i = 0; i < 3000; ++i) {
    const std::string id = "id-" + std::to_string(i);
    const int owners = a.owns(id) + b.owns(id) + c.owns(id);
    ASSERT_EQ(owners, 1) << id;
    counts[a.owns(id) ? 0 : b.owns(id) ? 1 : 2]++;
  }
  for (int n : counts) EXPECT_GT(n, 800);
  EXPECT_TRUE(Shard::whole().owns("anything"));
}

TEST(Shard, RejectsBadValues) {
  for (const char* bad : {"0/2", "3/2", "1/0", "1", "a/b", "1/2/3", ""}) EXPECT_THROW(Shard::parse(bad), ConfigError) << bad;
  EXPECT_EQ(Shard::parse("2/5").to_string(), "2/5");
}

}  // namespace
}  // namespace etl
