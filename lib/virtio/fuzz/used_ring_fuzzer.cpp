// Fuzzes used-ring harvesting: the input is a script of driver operations interleaved with
// arbitrary device writes into the used ring (ids, lengths, used.idx, flags, avail_event).
// Invariants: a request is returned only while in flight and at most once, never with more bytes
// than it made writable, descriptor accounting stays exact, and after a reset every request not
// yet returned comes back through DetachAll exactly once.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <vector>

#include "aero/virtio/testing/fake_device.h"
#include "aero/virtio/testing/fake_platform.h"
#include "aero/virtio/virtqueue.h"

namespace {

using aero::virtio::Completion;
using aero::virtio::CompletionStatus;
using aero::virtio::DmaBuffer;
using aero::virtio::Segment;
using aero::virtio::SplitVirtqueue;
using aero::virtio::Status;

struct Reader {
  const uint8_t* data;
  size_t size;
  size_t pos = 0;
  bool empty() const { return pos >= size; }
  uint8_t u8() { return pos < size ? data[pos++] : 0; }
  uint16_t u16() { return static_cast<uint16_t>(u8() | (u8() << 8)); }
  uint32_t u32() { return u16() | (static_cast<uint32_t>(u16()) << 16); }
};

struct InFlight {
  uint32_t writable;
  uint16_t descriptors;
};

void Check(bool ok) {
  if (!ok)
    __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Reader in{data, size};
  const uint8_t setup = in.u8();
  const uint16_t queue_size = static_cast<uint16_t>(1u << (1 + (setup & 7)));
  const bool event_idx = setup & 0x10;
  const bool indirect = setup & 0x20;

  aero::virtio::testing::FakeVirtioDevice device;
  aero::virtio::testing::FakePlatform platform(&device);
  DmaBuffer ring;
  Check(platform.AllocateDma(SplitVirtqueue::RingBytes(queue_size), 4096, &ring));
  std::vector<uint64_t> state(SplitVirtqueue::StateBytes(queue_size) / 8 + 1);
  DmaBuffer indirect_table;
  Check(platform.AllocateDma(16 * 8, 16, &indirect_table));
  SplitVirtqueue vq;
  const aero::virtio::QueueAttachment attachment{
      0,
      queue_size,
      ring,
      state.data(),
      event_idx,
      indirect,
      aero::virtio::testing::FakePlatform::BarBase(5)};  // doorbell lands in an unused BAR
  Check(vq.Attach(&platform, attachment) == Status::kOk);

  uint8_t* used = static_cast<uint8_t*>(ring.virt) + SplitVirtqueue::UsedRingOffset(queue_size);
  std::map<uintptr_t, InFlight> in_flight;
  uintptr_t next_cookie = 1;
  uint32_t descriptors_in_use = 0;

  auto retire = [&](const Completion& c, bool detached) {
    auto it = in_flight.find(reinterpret_cast<uintptr_t>(c.cookie));
    Check(it != in_flight.end());  // only in-flight requests, each once
    Check(c.status == (detached ? CompletionStatus::kDetached : CompletionStatus::kDone));
    Check(c.written <= it->second.writable);
    descriptors_in_use -= it->second.descriptors;
    in_flight.erase(it);
  };

  while (!in.empty()) {
    switch (in.u8() % 8) {
      case 0: {  // driver adds a request
        const uint16_t count = static_cast<uint16_t>(1 + in.u8() % 6);
        const uint16_t readable = static_cast<uint16_t>(in.u8() % (count + 1));
        Segment segments[6];
        uint64_t writable = 0;
        for (uint16_t i = 0; i < count; ++i) {
          const uint32_t length = 1 + (in.u16() & 0x7FFF);
          segments[i] = Segment{0x100000000ull + 0x10000ull * i, length, i >= readable};
          if (i >= readable)
            writable += length;
        }
        const bool use_table = indirect && (in.u8() & 1);
        aero::virtio::IndirectTable table{indirect_table.virt, indirect_table.phys, 8};
        const Status status = vq.Add(segments, count, reinterpret_cast<void*>(next_cookie),
                                     use_table ? &table : nullptr);
        if (status == Status::kOk) {
          const uint16_t used_descriptors = (use_table && count > 1) ? 1 : count;
          in_flight[next_cookie] = InFlight{static_cast<uint32_t>(writable), used_descriptors};
          descriptors_in_use += used_descriptors;
          ++next_cookie;
        }
        break;
      }
      case 1: {  // device writes a used element
        const uint16_t slot = in.u16() & (queue_size - 1);
        const uint32_t id = in.u8() & 1 ? in.u32() : in.u8() % (queue_size + 2u);
        const uint32_t len = in.u8() & 1 ? in.u32() : in.u16();
        std::memcpy(used + 4 + 8 * slot, &id, 4);
        std::memcpy(used + 8 + 8 * slot, &len, 4);
        break;
      }
      case 2: {  // device moves used.idx (usually by a little)
        uint16_t index;
        std::memcpy(&index, used + 2, 2);
        index = in.u8() & 1 ? in.u16() : static_cast<uint16_t>(index + (in.u8() & 7));
        std::memcpy(used + 2, &index, 2);
        break;
      }
      case 3: {  // driver harvests
        Completion done[8];
        const size_t n = vq.Harvest(done, 1 + in.u8() % 8);
        for (size_t i = 0; i < n; ++i)
          retire(done[i], false);
        break;
      }
      case 4:
        if (in.u8() & 1) {
          vq.DisableInterrupts();
        } else {
          vq.EnableInterrupts();
        }
        break;
      case 5: {  // device writes its flags / avail_event; driver decides about a doorbell
        const uint16_t value = in.u16();
        std::memcpy(in.u8() & 1 ? used : used + 4 + 8 * queue_size, &value, 2);
        vq.KickPrepare();
        break;
      }
      case 6:
        vq.HasUsed();
        break;
      default: {  // reset: everything still in flight comes back once; start again
        Completion c;
        while (vq.DetachNext(&c))
          retire(c, true);
        Check(in_flight.empty());
        Check(vq.Attach(&platform, attachment) == Status::kOk);
        break;
      }
    }
    Check(vq.in_flight() == in_flight.size());
    Check(vq.free_descriptors() + descriptors_in_use == queue_size);
  }
  Completion c;
  while (vq.DetachNext(&c))
    retire(c, true);
  Check(in_flight.empty());
  Check(vq.free_descriptors() == queue_size);
  platform.FreeDma(indirect_table);
  platform.FreeDma(ring);
  return 0;
}
