// Throughput of the PE checksum and of a full check on a generated driver image.
#include <benchmark/benchmark.h>

#include <vector>

#include "pe_checksum.h"

namespace {

void BM_PeChecksum(benchmark::State& state) {
  std::vector<uint8_t> file(static_cast<size_t>(state.range(0)));
  for (size_t i = 0; i < file.size(); ++i) {
    file[i] = static_cast<uint8_t>(i * 131 + 7);
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(aero::pecheck::ComputePeChecksum(file, 0xd8));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_PeChecksum)->Arg(64 << 10)->Arg(4 << 20);

}  // namespace

BENCHMARK_MAIN();
