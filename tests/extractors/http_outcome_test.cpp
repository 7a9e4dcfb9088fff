// HttpOutcome, the one classification of what became of a request: each status and flag to
// its outcome, which statuses are retried, and the text a failure message gives.
#include "extractors/http_outcome.hpp"

#include <gtest/gtest.h>

#include "extractors/retry_policy.hpp"

namespace etl {
namespace {

TEST(HttpOutcome, EachStatusHasItsOutcome) {
  EXPECT_EQ(status_outcome(200), HttpOutcome::ok);
  EXPECT_EQ(status_outcome(404), HttpOutcome::not_found);
  EXPECT_EQ(status_outcome(403), HttpOutcome::throttled);
  EXPECT_EQ(status_outcome(429), HttpOutcome::throttled);
  EXPECT_EQ(status_outcome(500), HttpOutcome::server_error);
  EXPECT_EQ(status_outcome(503), HttpOutcome::server_error);
  EXPECT_EQ(status_outcome(0), HttpOutcome::transport_error);
  for (long other : {201L, 204L, 301L, 400L, 401L, 410L, 499L})
    EXPECT_EQ(status_outcome(other), HttpOutcome::other_status) << other;
}

TEST(HttpOutcome, ACancelledOrRefusedRequestIsNoTransportError) {
  EXPECT_EQ(outcome(HttpResponse{0, "", "cancelled", 0, true}), HttpOutcome::cancelled);
  EXPECT_EQ(outcome(HttpResponse{0, "", "the API is refusing us", 3, false, true}), HttpOutcome::refused);
  EXPECT_EQ(outcome(HttpResponse{0, "", "timeout", 5}), HttpOutcome::transport_error);
  EXPECT_EQ(outcome(HttpResponse{404, "{}", "", 1}), HttpOutcome::not_found);
}

TEST(HttpOutcome, ThrottledAndServerErrorsAloneAreRetried) {
  for (long status : {403L, 429L, 500L, 502L, 599L}) EXPECT_TRUE(RetryPolicy::retryable_status(status)) << status;
  for (long status : {0L, 200L, 301L, 400L, 404L, 410L}) EXPECT_FALSE(RetryPolicy::retryable_status(status)) << status;
}

TEST(HttpOutcome, AFailureSaysTheStatusOrWhatEndedTheRequest) {
  EXPECT_EQ(answer_text(HttpResponse{503, "busy", "", 5}), "HTTP 503");
  EXPECT_EQ(answer_text(HttpResponse{0, "", "timeout", 5}), "timeout");
}

}  // namespace
}  // namespace etl
