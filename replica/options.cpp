#include "replica/options.hpp"

#include <CLI/CLI.hpp>

namespace replica {

std::optional<Options> parse_options(int argc, char** argv, int& exit_code) {
  Options o;
  CLI::App app{"replica-api: a local stand-in for the Boligsiden API"};
  app.add_option("--port", o.port, "TCP port on 127.0.0.1 (0: any free port)")->check(CLI::Range(0, 65535));
  app.add_option("--threads", o.threads, "worker threads (each in-flight request holds one)")->check(CLI::Range(1, 4096));
  app.add_option("--max-results", o.max_results, "the result cap: page x per_page beyond it answers 400")
      ->check(CLI::PositiveNumber);
  std::string search_items = "lean";
  app.add_option("--search-items", search_items,
                 "lean: search items lack the detail's market fields (as the real API's); full: each item is its "
                 "detail byte for byte (the optimistic case)")
      ->check(CLI::IsMember({"lean", "full"}));
  std::string churn = "busy";
  app.add_option("--churn", churn,
                 "how the market moves night by night: real (as measured, ~2% of listings change a night) or busy "
                 "(~15%, for tests that need many changes)")
      ->check(CLI::IsMember({"real", "busy"}));
  app.add_option("--seed", o.dataset.seed, "seed of the generated data and the faults");
  auto* scale =
      app.add_option("--scale", o.dataset.scale, "multiplies the realistic property counts")->check(CLI::PositiveNumber);
  app.add_option("--epoch", o.dataset.epoch,
                 "the night whose data is served (0: the base; with --payload-dir every night is the same)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--payload-dir", o.payload_dir,
                 "serve exactly the address payloads recorded in DIR's *.json files (recursively), byte for byte, "
                 "instead of generated data")
      ->check(CLI::ExistingDirectory)
      ->excludes(scale);
  app.add_option("--latency-ms", o.faults.latency_ms, "added to every API response")->check(CLI::NonNegativeNumber);
  app.add_option("--jitter-ms", o.faults.jitter_ms, "latency varies uniformly by ± this")->check(CLI::NonNegativeNumber);
  app.add_option("--error-rate", o.faults.error_rate, "share of 500/502/503 answers")->check(CLI::Range(0.0, 1.0));
  app.add_option("--hang-rate", o.faults.hang_rate, "share of requests left unanswered for 60 s")->check(CLI::Range(0.0, 1.0));
  app.add_option("--malformed-rate", o.faults.malformed_rate, "share of spoiled JSON bodies")->check(CLI::Range(0.0, 1.0));
  app.add_option("--forbidden-rate", o.faults.forbidden_rate, "share of 403 answers")->check(CLI::Range(0.0, 1.0));
  app.add_option("--rate-limit-rps", o.faults.rate_limit_rps, "requests/s before 429 (0: unlimited)")->check(CLI::NonNegativeNumber);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    exit_code = app.exit(e);
    return std::nullopt;
  }
  o.full_search_items = search_items == "full";
  o.dataset.churn = churn == "real" ? Churn::real : Churn::busy;
  if (o.faults.error_rate + o.faults.hang_rate + o.faults.malformed_rate + o.faults.forbidden_rate > 1.0 + 1e-9) {
    std::fprintf(stderr, "--error-rate, --hang-rate, --malformed-rate and --forbidden-rate add up to more than 1\n");
    exit_code = 2;
    return std::nullopt;
  }
  return o;
}

}  // namespace replica
