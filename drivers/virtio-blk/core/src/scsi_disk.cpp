#include "aero/blk/scsi_disk.h"

#include "aero/blk/blk_spec.h"
#include "aero/blk/scsi_spec.h"

namespace aero::blk {
namespace {

namespace s = scsi;

ScsiCompletion Finished(void* cookie, HostStatus status) {
  ScsiCompletion completion{};
  completion.cookie = cookie;
  completion.status = status;
  completion.scsi_status = status == HostStatus::kBusy ? s::kStatusBusy : s::kStatusGood;
  return completion;
}

ScsiCompletion Good(void* cookie, uint32_t transferred) {
  ScsiCompletion completion = Finished(cookie, HostStatus::kSuccess);
  completion.transferred = transferred;
  return completion;
}

ScsiCompletion Check(void* cookie, const SenseData& sense) {
  ScsiCompletion completion = Finished(cookie, HostStatus::kCheckCondition);
  completion.scsi_status = s::kStatusCheckCondition;
  completion.sense_length = s::kFixedSenseBytes;
  completion.sense = sense;
  return completion;
}

ScsiCompletion CheckSense(void* cookie, uint8_t key, s::Asc asc) {
  SenseData sense = {};
  BuildSense(key, asc, &sense);
  return Check(cookie, sense);
}

ScsiCompletion CheckField(void* cookie, s::Asc asc, uint8_t cdb_byte) {
  SenseData sense = {};
  BuildCdbFieldSense(asc, cdb_byte, &sense);
  return Check(cookie, sense);
}

// INQUIRY, REPORT LUNS and REQUEST SENSE do not report (or clear) a unit attention.
bool ReportsUnitAttention(uint8_t opcode) {
  return opcode != s::kOpInquiry && opcode != s::kOpReportLuns && opcode != s::kOpRequestSense;
}

bool NeedsMedium(ScsiCommand command) {
  switch (command) {
    case ScsiCommand::kTestUnitReady:
    case ScsiCommand::kReadCapacity10:
    case ScsiCommand::kReadCapacity16:
    case ScsiCommand::kRead:
    case ScsiCommand::kWrite:
    case ScsiCommand::kVerify:
    case ScsiCommand::kSynchronizeCache:
      return true;
    default:
      return false;
  }
}

// LBA range rule of SBC-3: the first block must exist, and so must the last one (a zero length
// still names a first block).
bool OutOfRange(uint64_t lba, uint32_t blocks, uint64_t block_count) {
  return lba >= block_count || blocks > block_count - lba;
}

}  // namespace

struct ScsiDisk::Forward {
  ScsiDisk* disk;
  ScsiCompletionCallback callback;
  void* context;
};

Status ScsiDisk::Initialize(const DiskConfig& config) {
  MakeDiskIdentity(config.vendor != nullptr ? config.vendor : kDefaultVendor,
                   config.product != nullptr ? config.product : kDefaultProduct,
                   config.revision != nullptr ? config.revision : kDefaultRevision, &identity_);
  unit_attention_ = false;
  return engine_.Initialize(config.engine);
}

DiskDescription ScsiDisk::Describe() const {
  DiskDescription disk{};
  disk.geometry = engine_.geometry();
  disk.max_transfer_blocks = engine_.limits().max_transfer_bytes >> disk.geometry.block_shift;
  disk.write_cache = engine_.has_flush();
  disk.read_only = engine_.read_only();
  disk.serial = engine_.serial();
  disk.serial_length = engine_.serial_length();
  disk.identity = identity_;
  return disk;
}

ScsiCompletion ScsiDisk::Submit(const ScsiRequest& request) {
  if (request.lun != 0) {
    return Finished(request.cookie, HostStatus::kInvalidLun);
  }
  DecodedCdb cdb = {};
  const CdbError error = DecodeCdb(request.cdb, request.cdb_length, &cdb);
  if (error == CdbError::kTooShort) {
    return Finished(request.cookie, HostStatus::kInvalidRequest);
  }
  if (unit_attention_ && ReportsUnitAttention(request.cdb[0])) {
    unit_attention_ = false;
    return CheckSense(request.cookie, s::kSenseUnitAttention, s::kAscCapacityDataChanged);
  }
  if (error == CdbError::kInvalidOpcode) {
    return CheckSense(request.cookie, s::kSenseIllegalRequest, s::kAscInvalidCommandOperationCode);
  }
  if (error == CdbError::kInvalidField) {
    return CheckField(request.cookie, s::kAscInvalidFieldInCdb, cdb.field_byte);
  }
  return Execute(cdb, request);
}

ScsiCompletion ScsiDisk::ReturnData(const ScsiRequest& request, const uint8_t* data, size_t length,
                                    uint32_t allocation_length) {
  size_t count = length < allocation_length ? length : allocation_length;
  count = count < request.data.length ? count : request.data.length;
  if (count > 0 && request.data.host == nullptr) {
    return Finished(request.cookie, HostStatus::kInvalidRequest);
  }
  auto* out = static_cast<uint8_t*>(request.data.host);
  for (size_t i = 0; i < count; ++i) {
    out[i] = data[i];
  }
  return Good(request.cookie, static_cast<uint32_t>(count));
}

ScsiCompletion ScsiDisk::Execute(const DecodedCdb& cdb, const ScsiRequest& request) {
  void* const cookie = request.cookie;
  const uint64_t block_count = engine_.geometry().block_count;
  if (NeedsMedium(cdb.command)) {
    const EngineState state = engine_.state();
    if (state == EngineState::kFailed || state == EngineState::kUninitialized) {
      return CheckSense(cookie, s::kSenseHardwareError, s::kAscInternalTargetFailure);
    }
    if (state != EngineState::kRunning) {
      return Finished(cookie, HostStatus::kBusy);  // stopped or resetting: the port retries
    }
    if (block_count == 0) {
      return CheckSense(cookie, s::kSenseNotReady, s::kAscMediumNotPresent);
    }
  }
  switch (cdb.command) {
    case ScsiCommand::kRead:
    case ScsiCommand::kWrite:
      return SubmitTransfer(cdb, request);  // the hot path needs no DiskDescription
    case ScsiCommand::kVerify:
      // BYTCHK 0 only (decoder): the medium is as good as the device says on the next read, so
      // a verify succeeds after the range check without a transfer.
      if (OutOfRange(cdb.lba, cdb.blocks, block_count)) {
        return CheckSense(cookie, s::kSenseIllegalRequest, s::kAscLbaOutOfRange);
      }
      return Good(cookie, 0);
    case ScsiCommand::kSynchronizeCache:
      if (OutOfRange(cdb.lba, cdb.blocks, block_count)) {
        return CheckSense(cookie, s::kSenseIllegalRequest, s::kAscLbaOutOfRange);
      }
      return engine_.has_flush() ? SubmitFlush(request) : Good(cookie, 0);
    default:
      break;
  }
  const DiskDescription disk = Describe();
  uint8_t response[kMaxResponseBytes];
  switch (cdb.command) {
    case ScsiCommand::kTestUnitReady:
    case ScsiCommand::kStartStopUnit:
    case ScsiCommand::kPreventAllowMediumRemoval:
      return Good(cookie, 0);
    case ScsiCommand::kRequestSense: {
      SenseData sense = {};
      if (unit_attention_) {
        unit_attention_ = false;
        BuildSense(s::kSenseUnitAttention, s::kAscCapacityDataChanged, &sense);
      } else {
        BuildSense(s::kSenseNoSense, s::kAscNoAdditionalSense, &sense);
      }
      return ReturnData(request, sense.bytes, sizeof(sense.bytes), cdb.allocation_length);
    }
    case ScsiCommand::kInquiry: {
      const size_t length = cdb.evpd ? BuildVpdPage(disk, cdb.page_code, response)
                                     : BuildStandardInquiry(disk, response);
      if (length == 0) {
        return CheckField(cookie, s::kAscInvalidFieldInCdb, 2);
      }
      return ReturnData(request, response, length, cdb.allocation_length);
    }
    case ScsiCommand::kModeSense: {
      if (cdb.page_control == s::kPageControlSaved) {
        return CheckField(cookie, s::kAscSavingParametersNotSupported, 2);
      }
      const size_t length = BuildModeSense(disk, cdb, response);
      return ReturnData(request, response, length, cdb.allocation_length);
    }
    case ScsiCommand::kReadCapacity10:
      return ReturnData(request, response, BuildReadCapacity10(disk, response),
                        cdb.allocation_length);
    case ScsiCommand::kReadCapacity16:
      return ReturnData(request, response, BuildReadCapacity16(disk, response),
                        cdb.allocation_length);
    case ScsiCommand::kReportLuns:
      return ReturnData(request, response, BuildReportLuns(cdb, response), cdb.allocation_length);
    default:
      break;  // handled above
  }
  return CheckSense(cookie, s::kSenseIllegalRequest, s::kAscInvalidCommandOperationCode);
}

ScsiCompletion ScsiDisk::SubmitTransfer(const DecodedCdb& cdb, const ScsiRequest& request) {
  void* const cookie = request.cookie;
  const DiskGeometry& geometry = engine_.geometry();
  const bool write = cdb.command == ScsiCommand::kWrite;
  if (OutOfRange(cdb.lba, cdb.blocks, geometry.block_count)) {
    return CheckSense(cookie, s::kSenseIllegalRequest, s::kAscLbaOutOfRange);
  }
  if (cdb.blocks == 0) {
    return Good(cookie, 0);  // a zero transfer length is not an error
  }
  const uint32_t max_blocks = engine_.limits().max_transfer_bytes >> geometry.block_shift;
  if (cdb.blocks > max_blocks) {
    return CheckField(cookie, s::kAscInvalidFieldInCdb, cdb.transfer_length_byte);
  }
  if (write && engine_.read_only()) {
    return CheckSense(cookie, s::kSenseDataProtect, s::kAscWriteProtected);
  }
  const uint32_t bytes = cdb.blocks << geometry.block_shift;
  if (request.data.length < bytes || request.data.segments == nullptr) {
    return Finished(cookie, HostStatus::kInvalidRequest);
  }
  BlkIo io{};
  io.type = write ? RequestType::kWrite : RequestType::kRead;
  io.flush_after = write && cdb.fua;
  io.sector = cdb.lba << (geometry.block_shift - spec::kSectorShift);
  io.bytes = bytes;
  io.segments = request.data.segments;
  io.segment_count = request.data.segment_count;
  io.cookie = cookie;
  switch (engine_.Submit(io)) {
    case SubmitStatus::kQueued:
      return Finished(cookie, HostStatus::kPending);
    case SubmitStatus::kBusy:
      return Finished(cookie, HostStatus::kBusy);
    case SubmitStatus::kInvalid:
      return Finished(cookie, HostStatus::kInvalidRequest);
    case SubmitStatus::kNotRunning:
      break;
  }
  if (engine_.state() == EngineState::kFailed) {
    return CheckSense(cookie, s::kSenseHardwareError, s::kAscInternalTargetFailure);
  }
  return Finished(cookie, HostStatus::kBusy);
}

ScsiCompletion ScsiDisk::SubmitFlush(const ScsiRequest& request) {
  BlkIo io{};
  io.type = RequestType::kFlush;
  io.cookie = request.cookie;
  switch (engine_.Submit(io)) {
    case SubmitStatus::kQueued:
      return Finished(request.cookie, HostStatus::kPending);
    case SubmitStatus::kBusy:
      return Finished(request.cookie, HostStatus::kBusy);
    case SubmitStatus::kInvalid:
      return Finished(request.cookie, HostStatus::kInvalidRequest);
    case SubmitStatus::kNotRunning:
      break;
  }
  if (engine_.state() == EngineState::kFailed) {
    return CheckSense(request.cookie, s::kSenseHardwareError, s::kAscInternalTargetFailure);
  }
  return Finished(request.cookie, HostStatus::kBusy);
}

void ScsiDisk::ForwardCompletion(void* context, const BlkCompletion& done) {
  auto* forward = static_cast<Forward*>(context);
  const uint8_t block_shift = forward->disk->engine_.geometry().block_shift;
  ScsiCompletion completion = {};
  switch (done.result) {
    case IoResult::kOk:
      completion = Good(done.cookie, done.type == RequestType::kFlush ? 0 : done.bytes);
      break;
    case IoResult::kIoError: {
      const s::Asc asc =
          done.type == RequestType::kRead ? s::kAscUnrecoveredReadError : s::kAscWriteError;
      SenseData sense = {};
      const uint64_t lba = done.sector >> (block_shift - spec::kSectorShift);
      if (done.type != RequestType::kFlush && lba <= 0xFFFFFFFFu) {
        BuildSenseWithInformation(s::kSenseMediumError, asc, static_cast<uint32_t>(lba), &sense);
      } else {
        BuildSense(s::kSenseMediumError, asc, &sense);
      }
      completion = Check(done.cookie, sense);
      break;
    }
    case IoResult::kUnsupported:
      completion =
          CheckSense(done.cookie, s::kSenseIllegalRequest, s::kAscInvalidCommandOperationCode);
      break;
    case IoResult::kBadResponse:
      completion = CheckSense(done.cookie, s::kSenseHardwareError, s::kAscInternalTargetFailure);
      break;
    case IoResult::kAborted:
    default:
      completion = Finished(done.cookie, HostStatus::kAborted);
      break;
  }
  if (forward->callback != nullptr) {
    forward->callback(forward->context, completion);
  }
}

void ScsiDisk::CollectEvents() {
  if ((engine_.TakeEvents() & kEventCapacityChanged) != 0) {
    unit_attention_ = true;
  }
}

size_t ScsiDisk::ProcessInterrupt(uint8_t isr_bits, ScsiCompletionCallback callback,
                                  void* context) {
  Forward forward{this, callback, context};
  const size_t count = engine_.ProcessInterrupt(isr_bits, ForwardCompletion, &forward);
  CollectEvents();
  return count;
}

size_t ScsiDisk::Poll(ScsiCompletionCallback callback, void* context) {
  Forward forward{this, callback, context};
  const size_t count = engine_.Harvest(ForwardCompletion, &forward);
  CollectEvents();
  return count;
}

Status ScsiDisk::ResetBus(ScsiCompletionCallback callback, void* context) {
  Forward forward{this, callback, context};
  const Status status = engine_.Reset(ForwardCompletion, &forward);
  CollectEvents();
  return status;
}

void ScsiDisk::Stop(ScsiCompletionCallback callback, void* context) {
  Forward forward{this, callback, context};
  engine_.Stop(ForwardCompletion, &forward);
  CollectEvents();
}

Status ScsiDisk::Restart() {
  const Status status = engine_.Restart();
  CollectEvents();
  return status;
}

void ScsiDisk::Shutdown(ScsiCompletionCallback callback, void* context) {
  Forward forward{this, callback, context};
  engine_.Shutdown(ForwardCompletion, &forward);
  unit_attention_ = false;
}

}  // namespace aero::blk
