// libFuzzer target over the SCSI front door: arbitrary CDBs and lengths, buffer sizes and
// scatter-gather shapes, with device errors, resizes and bus resets mixed in, against the full
// stack (ScsiDisk + engine + lib/virtio + fake device). Every input must produce a valid outcome:
// a known host status, well-formed sense data exactly for CHECK CONDITION, no more data than the
// buffer holds, and exactly one completion for every request that went to the device.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "../tests/blk_test_rig.h"
#include "aero/blk/blk_spec.h"
#include "aero/blk/scsi_disk.h"

namespace {

using aero::blk::HostStatus;
using aero::blk::PhysicalSegment;
using aero::blk::ScsiCompletion;
using aero::blk::ScsiRequest;
using aero::blk::testing::BlkRig;
using aero::blk::testing::IoBuffer;
using aero::blk::testing::RigOptions;

constexpr uint32_t kBufferBytes = 64 * 1024;

struct Target {
  BlkRig* rig;
  IoBuffer* buffer;
};

Target MakeTarget(uint32_t block_size) {
  RigOptions options;
  options.device.block_size = block_size;
  options.device.capacity_sectors = 256;  // small: in-range and out-of-range LBAs both occur
  options.max_requests = 8;
  auto* rig = new BlkRig(options);
  if (rig->Init() != aero::blk::Status::kOk) {
    std::abort();
  }
  return Target{rig, rig->NewBuffer(kBufferBytes)};
}

void Check(bool condition) {
  if (!condition) {
    __builtin_trap();
  }
}

void CheckOutcome(const ScsiCompletion& c, uint32_t buffer_length) {
  switch (c.status) {
    case HostStatus::kCheckCondition:
      Check(c.scsi_status == 0x02);
      Check(c.sense_length == 18);
      Check((c.sense.bytes[0] & 0x7F) == 0x70);
      Check(c.sense.bytes[7] == 10);
      Check((c.sense.bytes[2] & 0xF0) == 0);
      Check(c.sense.bytes[2] != 0);
      Check(c.transferred == 0);
      break;
    case HostStatus::kSuccess:
      Check(c.scsi_status == 0x00);
      Check(c.sense_length == 0);
      Check(c.transferred <= buffer_length);
      break;
    case HostStatus::kPending:
    case HostStatus::kBusy:
    case HostStatus::kAborted:
    case HostStatus::kInvalidRequest:
    case HostStatus::kInvalidLun:
      Check(c.sense_length == 0);
      Check(c.transferred == 0);
      break;
    default:
      Check(false);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Target targets[2] = {MakeTarget(512), MakeTarget(4096)};
  if (size < 5) {
    return 0;
  }
  const uint8_t flags = data[0];
  const uint8_t cdb_length = static_cast<uint8_t>(data[1] % 33);
  const uint32_t buffer_length = ((uint32_t{data[2]} << 8) | data[3]) % (kBufferBytes + 1);
  const uint32_t piece = 512u << (data[4] % 5);  // 512 .. 8192
  std::vector<uint8_t> cdb(data + 5, data + size);
  cdb.resize(cdb_length < 16 ? 16 : cdb_length, 0);

  Target& target = targets[flags & 1];
  BlkRig& rig = *target.rig;
  if (flags & 0x02)
    rig.blk.FailNext(aero::blk::spec::kTypeIn, aero::blk::spec::kStatusIoError);
  if (flags & 0x04)
    rig.blk.FailNext(aero::blk::spec::kTypeOut, aero::blk::spec::kStatusUnsupported);
  if (flags & 0x08)
    rig.blk.CorruptNextStatus(flags);
  if (flags & 0x10)
    rig.blk.Resize(flags & 0x20 ? 128 : 256);

  std::vector<PhysicalSegment> segments;
  for (uint32_t offset = 0; offset < buffer_length; offset += piece) {
    const uint32_t length = buffer_length - offset < piece ? buffer_length - offset : piece;
    segments.push_back(PhysicalSegment{target.buffer->dma.phys + offset, length});
  }
  int cookie;
  ScsiRequest request{};
  request.cdb = cdb.data();
  request.cdb_length = cdb_length;
  request.lun = (flags & 0xC0) == 0xC0 ? 1 : 0;
  request.data.host = (flags & 0x40) && !(flags & 0x80) ? nullptr : target.buffer->dma.virt;
  request.data.length = buffer_length;
  request.data.segments = segments.empty() ? nullptr : segments.data();
  request.data.segment_count = static_cast<uint32_t>(segments.size());
  request.cookie = &cookie;

  rig.log.Clear();
  const ScsiCompletion submitted = rig.disk.Submit(request);
  Check(submitted.cookie == &cookie);
  CheckOutcome(submitted, buffer_length);
  if (submitted.status == HostStatus::kPending) {
    if ((flags & 0xA0) == 0xA0) {
      Check(rig.disk.ResetBus(aero::blk::testing::CompletionLog::Callback, &rig.log) ==
            aero::blk::Status::kOk);
    }
    for (int i = 0; i < 4 && rig.log.count(&cookie) == 0; ++i) {
      rig.blk.Service();
      rig.Interrupt();
    }
    Check(rig.log.count(&cookie) == 1);
    Check(rig.log.total() == 1);
    const ScsiCompletion& done = rig.log.last(&cookie);
    Check(done.status != HostStatus::kPending && done.status != HostStatus::kBusy);
    CheckOutcome(done, buffer_length);
  } else {
    rig.Interrupt();  // a resize's config interrupt
    Check(rig.log.total() == 0);
  }
  Check(rig.disk.engine().in_flight() == 0);
  Check(rig.blk.protocol_errors().empty());
  rig.blk.ClearFaults();
  rig.blk.ClearLog();
  return 0;
}
