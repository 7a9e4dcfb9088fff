# Thin wrapper over CMake. `make demo` runs the tool against the local replica API;
# `make test` installs what is missing, builds and runs every test.
JOBS ?= 2
BUILD ?= build
SAN_BUILD ?= build-asan

# Every Debian package the project builds, tests or benchmarks with (libjs-chart.js: the
# charts `etl report` inlines; chromium: the headless browser its test opens the page in).
DEB_PACKAGES := build-essential cmake pkg-config git \
  libsimdjson-dev libsqlitecpp-dev libsqlite3-dev sqlite3 libsoci-dev libpq-dev \
  libtbb-dev libcli11-dev libspdlog-dev libfmt-dev libgtest-dev libgmock-dev libbenchmark-dev \
  libcurl4-openssl-dev libyaml-cpp-dev libcpp-httplib-dev libssl-dev zlib1g-dev \
  postgresql postgresql-contrib clang libclang-rt-14-dev python3 help2man man-db \
  dpkg-dev file systemd tmux chromium libjs-chart.js

.PHONY: deps configure build test test-sanitize soak fuzz clean demo bench install package

deps:
	@missing=$$(for p in $(DEB_PACKAGES); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

configure: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release

build: configure
	cmake --build $(BUILD) -j$(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

# The same suite under AddressSanitizer + UndefinedBehaviorSanitizer.
test-sanitize: deps
	cmake -S . -B $(SAN_BUILD) -DCMAKE_BUILD_TYPE=Sanitize -DCMAKE_CXX_FLAGS_SANITIZE="-O1 -g1" -DETL_SANITIZE=ON -DETL_BUILD_BENCH=OFF
	cmake --build $(SAN_BUILD) -j$(JOBS)
	cd $(SAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j$(JOBS)

# The nightly refresh's property test over SEEDS random markets (CI runs the six named ones
# and 4 random ones); a failure names the market and ETL_NIGHTLY_TRIAL=K to replay it.
SEEDS ?= 200
soak: build
	cd $(BUILD) && ETL_NIGHTLY_TRIALS=$(SEEDS) ./tests/pipeline/pipeline_tests --gtest_filter='NightlyProperty.*'

# The payload parser under libFuzzer (clang, ASan + UBSan) for 60 s, seeded with the real fixtures.
fuzz: deps
	bash fuzz/run.sh 60

# `make install PREFIX=/usr/local` (DESTDIR is honoured, for staging).
PREFIX ?= /usr/local
install: build
	DESTDIR=$(DESTDIR) cmake --install $(BUILD) --prefix $(PREFIX)

# The Debian package, build/propetl_<version>_amd64.deb (CPack; dependencies by dpkg-shlibdeps).
package: build
	cd $(BUILD) && cpack -G DEB

# A first import and a nightly refresh from the local replica API into data/demo.db, then
# `etl status` and `etl changes`. Builds only the two programs it runs, in a folder of its own
# at -O1 (a third less compile time than the Release build's -O3, which the demo does not need).
DEMO_BUILD ?= build-demo
demo: deps
	cmake -S . -B $(DEMO_BUILD) -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O1 -DNDEBUG" \
	  -DETL_BUILD_TESTS=OFF -DETL_BUILD_BENCH=OFF
	cmake --build $(DEMO_BUILD) -j$(JOBS) --target etl replica-api
	BUILD=$(DEMO_BUILD) bash tools/demo.sh

# Benchmarks of the performance targets (see bench/README.md); never part of `make test`.
bench: build
	python3 bench/run_bench.py $(BENCH_ARGS)

clean:
	rm -rf $(BUILD) $(SAN_BUILD) $(DEMO_BUILD) build-fuzz
