#include <future>

#include "extractors/http_client.hpp"

namespace etl {

HttpResponse get_blocking(HttpClient& client, std::string url, RequestOptions request) {
  std::promise<HttpResponse> promise;
  auto future = promise.get_future();
  client.get(std::move(url), [&promise](HttpResponse response) { promise.set_value(std::move(response)); },
             request);
  return future.get();
}

}  // namespace etl
