// One event-loop thread owns the curl multi handle. Callers hand requests over through a
// mutex-guarded inbox and curl_multi_wakeup; everything else (the ready queues, retry timers,
// the rate limiter, the easy-handle pool) belongs to the loop thread alone.
#include "extractors/curl_multi_client.hpp"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_map>
#include <vector>

#include "etl/core/errors.hpp"
#include "etl/core/version.hpp"
#include "extractors/http_outcome.hpp"
#include "extractors/rate_limiter.hpp"
#include "extractors/retry_policy.hpp"

namespace etl {
namespace {

using Clock = std::chrono::steady_clock;

// Longest sleep of the loop when nothing is due: a safety net, wakeups come from curl.
constexpr std::chrono::milliseconds kMaxPollWait{1000};

struct Transfer {
  std::string url;
  HttpClient::Callback done;
  Priority priority = Priority::Normal;
  std::size_t max_body_bytes = 0;
  ApiEndpoint endpoint = ApiEndpoint::other;
  int attempts = 0;
  std::string body;
  bool body_too_large = false;
  Clock::time_point sent_at;
};

// Counts the bytes as libcurl hands them over, inflated: a gzip bomb stops at the limit too.
size_t append_body(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  if (t->body.size() + n > t->max_body_bytes) {
    t->body_too_large = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  t->body.append(data, n);
  return n;
}

// Transport failures that a later attempt may not meet: the server or the network was busy.
bool transient(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

std::string describe(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT: return "timeout";
    case CURLE_COULDNT_CONNECT: return "connection refused";
    default: return curl_easy_strerror(code);
  }
}

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw ApiError("libcurl initialisation failed");
  });
}

}  // namespace

struct CurlMultiClient::Impl {
  explicit Impl(HttpOptions o)
      : options(std::move(o)),
        retry{options.max_retries, options.backoff_base, options.backoff_cap},
        limiter(options.max_rps),
        rng(std::random_device{}()),
        user_agent(std::string("propetl/") + kVersion) {
    options.max_in_flight = std::max(1, options.max_in_flight);
    global_init();
    multi = curl_multi_init();
    if (multi == nullptr) throw ApiError("curl_multi_init failed");
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, static_cast<long>(options.max_in_flight));
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, static_cast<long>(options.max_in_flight));
    loop = std::thread([this] { run(); });
  }

  ~Impl() {
    {
      std::lock_guard lock(mu);
      cancel_requested = true;
      stopping = true;
    }
    curl_multi_wakeup(multi);
    loop.join();
    for (CURL* easy : idle) curl_easy_cleanup(easy);
    curl_multi_cleanup(multi);
  }

  void submit(std::string url, Callback done, RequestOptions request) {
    auto t = std::make_unique<Transfer>();
    t->url = std::move(url);
    t->done = std::move(done);
    t->priority = request.priority;
    t->max_body_bytes = request.max_body_bytes;
    t->endpoint = request.endpoint;
    {
      std::lock_guard lock(mu);
      if (!stopping) {
        inbox.push_back(std::move(t));
        t = nullptr;
      }
    }
    if (t) {
      finish(std::move(t), HttpResponse{0, {}, "cancelled", 0, true});
      return;
    }
    curl_multi_wakeup(multi);
  }

  void request_cancel() {
    {
      std::lock_guard lock(mu);
      cancel_requested = true;
    }
    curl_multi_wakeup(multi);
  }

  // --- loop thread only below ---

  void run() {
    std::vector<std::unique_ptr<Transfer>> arrived;
    for (;;) {
      bool cancel = false;
      bool stop = false;
      {
        std::lock_guard lock(mu);
        arrived.swap(inbox);
        cancel = cancel_requested;
        stop = stopping;
      }
      for (auto& t : arrived) queue_of(*t).push_back(std::move(t));
      arrived.clear();
      if (cancel) end_everything("cancelled", true, false);
      if (refused) end_everything(refusal, false, true);
      if (stop) break;

      auto now = Clock::now();
      release_due_timers(now);
      start_transfers(now);
      int running = 0;
      curl_multi_perform(multi, &running);
      collect_completions();
      curl_multi_poll(multi, nullptr, 0, poll_timeout_ms(), nullptr);
    }
  }

  void release_due_timers(Clock::time_point now) {
    // Retries go ahead of fresh work so that a request is not starved behind a long queue.
    std::vector<std::unique_ptr<Transfer>> due;
    while (!timers.empty() && timers.begin()->first <= now) {
      due.push_back(std::move(timers.begin()->second));
      timers.erase(timers.begin());
    }
    for (auto it = due.rbegin(); it != due.rend(); ++it) queue_of(**it).push_front(std::move(*it));
  }

  std::deque<std::unique_ptr<Transfer>>& queue_of(const Transfer& t) {
    return t.priority == Priority::Urgent ? urgent : ready;
  }

  bool has_ready() const { return !urgent.empty() || !ready.empty(); }

  void start_transfers(Clock::time_point now) {
    while (has_ready() && static_cast<int>(active.size()) < options.max_in_flight && limiter.try_acquire(now)) {
      auto& queue = urgent.empty() ? ready : urgent;
      std::unique_ptr<Transfer> t = std::move(queue.front());
      queue.pop_front();
      CURL* easy = take_easy();
      t->body.clear();
      t->body_too_large = false;
      t->attempts += 1;
      t->sent_at = now;
      curl_easy_setopt(easy, CURLOPT_URL, t->url.c_str());
      // A declared Content-Length over the limit is refused before any of the body arrives.
      curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(t->max_body_bytes));
      curl_easy_setopt(easy, CURLOPT_WRITEDATA, t.get());
      curl_easy_setopt(easy, CURLOPT_PRIVATE, t.get());
      requests.fetch_add(1, std::memory_order_relaxed);
      {
        std::lock_guard stats_lock(stats_mu);
        requests_by_endpoint[std::string(to_string(t->endpoint))] += 1;
      }
      if (CURLMcode rc = curl_multi_add_handle(multi, easy); rc != CURLM_OK) {
        idle.push_back(easy);
        finish(std::move(t), HttpResponse{0, {}, curl_multi_strerror(rc), 0});
        continue;
      }
      active.emplace(easy, std::move(t));
    }
  }

  CURL* take_easy() {
    if (!idle.empty()) {
      CURL* easy = idle.back();
      idle.pop_back();
      return easy;
    }
    CURL* easy = curl_easy_init();
    if (easy == nullptr) throw ApiError("curl_easy_init failed");
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(options.timeout.count()));
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout.count()));
    curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");  // every encoding libcurl can decode (gzip)
    curl_easy_setopt(easy, CURLOPT_USERAGENT, user_agent.c_str());
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, options.insecure ? 0L : 1L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, options.insecure ? 0L : 2L);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, append_body);
    return easy;
  }

  void collect_completions() {
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
      if (msg->msg != CURLMSG_DONE) continue;
      CURL* easy = msg->easy_handle;
      CURLcode result = msg->data.result;
      long status = 0;
      curl_off_t retry_after = 0;
      curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
      curl_easy_getinfo(easy, CURLINFO_RETRY_AFTER, &retry_after);
      curl_multi_remove_handle(multi, easy);
      idle.push_back(easy);
      auto node = active.extract(easy);
      conclude_attempt(std::move(node.mapped()), result, status, std::chrono::seconds(retry_after));
    }
  }

  void conclude_attempt(std::unique_ptr<Transfer> t, CURLcode result, long status, std::chrono::seconds retry_after) {
    auto now = Clock::now();
    bytes.fetch_add(static_cast<std::int64_t>(t->body.size()), std::memory_order_relaxed);
    // An --api-url's user:password@ is logged as user:***@: etl's log formatter scrubs every line.
    spdlog::debug("GET {} {} {} ms", t->url, result == CURLE_OK ? std::to_string(status) : describe(result),
                  std::chrono::duration_cast<std::chrono::milliseconds>(now - t->sent_at).count());
    const bool answered = result == CURLE_OK && !t->body_too_large;
    {
      std::lock_guard stats_lock(stats_mu);
      answers_by_endpoint[std::string(to_string(t->endpoint))][answered ? std::to_string(status) : "error"] += 1;
    }
    bool retryable = false;
    std::string error;
    if (t->body_too_large || result == CURLE_FILESIZE_EXCEEDED) {
      errors.fetch_add(1, std::memory_order_relaxed);
      error = "response body over " + std::to_string(t->max_body_bytes) + " bytes";  // the same next time
      status = 0;
    } else if (result != CURLE_OK) {
      errors.fetch_add(1, std::memory_order_relaxed);
      retryable = transient(result);
      error = describe(result);
      status = 0;
    } else {
      switch (status_outcome(status)) {
        case HttpOutcome::throttled:
          (status == 429 ? status_429 : status_403).fetch_add(1, std::memory_order_relaxed);
          limiter.on_throttled(now, t->sent_at, static_cast<int>(status));
          break;
        case HttpOutcome::server_error:
          errors.fetch_add(1, std::memory_order_relaxed);
          break;
        case HttpOutcome::ok:
        case HttpOutcome::not_found:
        case HttpOutcome::other_status:
        case HttpOutcome::transport_error:
        case HttpOutcome::cancelled:
        case HttpOutcome::refused:
          break;
      }
      last_answers = (last_answers << 1) | (status == 403 ? 1u : 0u);
      if (!refused && options.refused_at_403s > 0 && std::popcount(last_answers) >= options.refused_at_403s) {
        refused = true;
        refusal = "the API is refusing us: " + std::to_string(std::popcount(last_answers)) +
                  " of the last 64 answers were 403 Forbidden";
      }
      retryable = RetryPolicy::retryable_status(status);
    }
    if (retryable && retry_after > options.max_retry_after) {
      if (!refused) {
        refused = true;
        refusal = "the API asks for a pause of " + std::to_string(retry_after.count()) +
                  " s (Retry-After), longer than the " + std::to_string(options.max_retry_after.count()) +
                  " s etl waits";
      }
      const int attempts = t->attempts;
      finish(std::move(t), HttpResponse{0, {}, refusal, attempts, false, true});
      return;
    }
    if (retryable && t->attempts <= retry.max_retries) {
      auto wait = retry.delay(t->attempts, retry_after, rng);
      spdlog::debug("GET {} failed ({}), retry {} in {} ms", t->url, error.empty() ? std::to_string(status) : error,
                    t->attempts, wait.count());
      retries.fetch_add(1, std::memory_order_relaxed);
      timers.emplace(now + wait, std::move(t));
      return;
    }
    if (!error.empty()) t->body.clear();
    HttpResponse response{status, std::move(t->body), std::move(error), t->attempts};
    finish(std::move(t), std::move(response));
  }

  static void finish(std::unique_ptr<Transfer> t, HttpResponse response) {
    try {
      t->done(std::move(response));
    } catch (const std::exception& e) {
      // The loop must survive a misbehaving callback; the contract says they never throw.
      spdlog::error("HTTP callback for {} threw: {}", t->url, e.what());
    }
  }

  // Ends every transfer, running, waiting to retry or queued, with the same answer.
  void end_everything(const std::string& error, bool cancelled_by_caller, bool refused_by_api) {
    std::vector<std::unique_ptr<Transfer>> cancelled;
    for (auto& [easy, t] : active) {
      curl_multi_remove_handle(multi, easy);
      idle.push_back(easy);
      cancelled.push_back(std::move(t));
    }
    active.clear();
    for (auto& [due, t] : timers) cancelled.push_back(std::move(t));
    timers.clear();
    for (auto* queue : {&urgent, &ready}) {
      for (auto& t : *queue) cancelled.push_back(std::move(t));
      queue->clear();
    }
    for (auto& t : cancelled) {
      int attempts = t->attempts;
      finish(std::move(t), HttpResponse{0, {}, error, attempts, cancelled_by_caller, refused_by_api});
    }
  }

  int poll_timeout_ms() {
    auto now = Clock::now();
    auto wake = now + kMaxPollWait;
    if (has_ready() && static_cast<int>(active.size()) < options.max_in_flight) {
      wake = std::min(wake, limiter.next_token_at(now));
    }
    if (!timers.empty()) wake = std::min(wake, timers.begin()->first);
    long curl_wait = -1;
    curl_multi_timeout(multi, &curl_wait);
    auto ms = std::chrono::ceil<std::chrono::milliseconds>(wake - now).count();
    if (curl_wait >= 0) ms = std::min<long>(ms, curl_wait);
    return static_cast<int>(std::max<long>(ms, 0));
  }

  HttpOptions options;
  RetryPolicy retry;
  AdaptiveRateLimiter limiter;
  std::mt19937_64 rng;
  std::string user_agent;
  CURLM* multi = nullptr;

  std::mutex mu;  // guards inbox and the two flags
  std::vector<std::unique_ptr<Transfer>> inbox;
  bool cancel_requested = false;
  bool stopping = false;

  std::deque<std::unique_ptr<Transfer>> urgent, ready;
  std::multimap<Clock::time_point, std::unique_ptr<Transfer>> timers;
  std::unordered_map<CURL*, std::unique_ptr<Transfer>> active;
  std::vector<CURL*> idle;  // easy handles kept for reuse (their connections stay in the multi's cache)

  std::atomic<std::int64_t> requests{0}, retries{0}, status_429{0}, status_403{0}, errors{0}, bytes{0};
  mutable std::mutex stats_mu;
  std::map<std::string, std::int64_t> requests_by_endpoint;  // guarded by stats_mu
  std::map<std::string, std::map<std::string, std::int64_t>> answers_by_endpoint;  // guarded by stats_mu
  std::uint64_t last_answers = 0;  // loop thread: one bit per answered attempt, 1 = 403
  bool refused = false;            // loop thread: see HttpOptions::refused_at_403s
  std::string refusal;
  std::thread loop;  // last: starts after every member above is ready
};

CurlMultiClient::CurlMultiClient(HttpOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

CurlMultiClient::~CurlMultiClient() = default;

void CurlMultiClient::get(std::string url, Callback done, RequestOptions request) {
  impl_->submit(std::move(url), std::move(done), request);
}

void CurlMultiClient::cancel_all() { impl_->request_cancel(); }

HttpStats CurlMultiClient::stats() const {
  const Impl& im = *impl_;
  std::lock_guard lock(im.stats_mu);
  return HttpStats{.requests = im.requests.load(),
                   .retries = im.retries.load(),
                   .status_429 = im.status_429.load(),
                   .status_403 = im.status_403.load(),
                   .errors = im.errors.load(),
                   .bytes = im.bytes.load(),
                   .requests_by_endpoint = im.requests_by_endpoint,
                   .answers_by_endpoint = im.answers_by_endpoint};
}

}  // namespace etl
