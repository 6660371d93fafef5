# The two entry points (see README.md). Both install missing Debian packages first.
BUILD_DIR ?= build/host
JOBS ?= $(shell nproc)

.PHONY: all deps configure build test bench clean
all: build

deps:
	@scripts/install-deps.sh

configure: deps
	cmake --preset host

build: configure
	cmake --build --preset host -j $(JOBS)

# Every test: the host tree (unit, ABI, binary, fuzz smoke, end-to-end), then the unit tests again
# under AddressSanitizer+UBSan, and the threaded tests under ThreadSanitizer.
# A failing stage reruns its failed tests alone, so their output ends the log; the run still fails.
test: build
	ctest --preset host -j $(JOBS) || { ctest --preset host --rerun-failed; exit 1; }
	cmake --preset host-asan
	cmake --build --preset host-asan -j $(JOBS)
	ctest --preset host-asan -j $(JOBS) || { ctest --preset host-asan --rerun-failed; exit 1; }
	cmake --preset host-tsan
	cmake --build --preset host-tsan -j $(JOBS) --target aero_virtio_test
	ctest --preset host-tsan -j $(JOBS)

bench: build
	@scripts/run-benchmarks.sh $(BUILD_DIR)

clean:
	rm -rf build out
