// Project-owned subset of the WDK's storport.h (and the SRB parts of srb.h) for Windows 7: what a
// StorPort miniport needs. Layouts are checked against the WDK facts by sdk/wdk/abi.
#ifndef AERO_WDK_STORPORT_H
#define AERO_WDK_STORPORT_H

#include "ntddk.h"

EXTERN_C_START

typedef PHYSICAL_ADDRESS STOR_PHYSICAL_ADDRESS, *PSTOR_PHYSICAL_ADDRESS;

typedef enum _INTERFACE_TYPE {
  InterfaceTypeUndefined = -1,
  Internal = 0,
  Isa = 1,
  PCIBus = 5,
  PNPBus = 15,
  MaximumInterfaceType = 18,
} INTERFACE_TYPE;

typedef enum _KINTERRUPT_MODE {
  LevelSensitive = 0,
  Latched = 1,
} KINTERRUPT_MODE;

typedef enum _DMA_WIDTH {
  Width8Bits = 0,
  Width16Bits = 1,
  Width32Bits = 2,
  Width64Bits = 3,
  WidthNoWrap = 4,
  MaximumDmaWidth = 5,
} DMA_WIDTH;

typedef enum _DMA_SPEED {
  Compatible = 0,
  TypeA = 1,
  TypeB = 2,
  TypeC = 3,
  TypeF = 4,
  MaximumDmaSpeed = 5,
} DMA_SPEED;

typedef enum _STOR_SYNCHRONIZATION_MODEL {
  StorSynchronizeHalfDuplex = 0,
  StorSynchronizeFullDuplex = 1,
} STOR_SYNCHRONIZATION_MODEL;

typedef enum _INTERRUPT_SYNCHRONIZATION_MODE {
  InterruptSupportNone = 0,
  InterruptSynchronizeAll = 1,
  InterruptSynchronizePerMessage = 2,
} INTERRUPT_SYNCHRONIZATION_MODE;

typedef struct _ACCESS_RANGE {
  STOR_PHYSICAL_ADDRESS RangeStart;
  ULONG RangeLength;
  BOOLEAN RangeInMemory;
} ACCESS_RANGE, *PACCESS_RANGE;

typedef struct _MEMORY_REGION {
  PUCHAR VirtualBase;
  PHYSICAL_ADDRESS PhysicalBase;
  ULONG Length;
} MEMORY_REGION, *PMEMORY_REGION;

typedef BOOLEAN NTAPI HW_MESSAGE_SIGNALED_INTERRUPT_ROUTINE(PVOID HwDeviceExtension,
                                                            ULONG MessageId);
typedef HW_MESSAGE_SIGNALED_INTERRUPT_ROUTINE* PHW_MESSAGE_SIGNALED_INTERRUPT_ROUTINE;

typedef struct _PORT_CONFIGURATION_INFORMATION {
  ULONG Length;
  ULONG SystemIoBusNumber;
  INTERFACE_TYPE AdapterInterfaceType;
  ULONG BusInterruptLevel;
  ULONG BusInterruptVector;
  KINTERRUPT_MODE InterruptMode;
  ULONG MaximumTransferLength;
  ULONG NumberOfPhysicalBreaks;
  ULONG DmaChannel;
  ULONG DmaPort;
  DMA_WIDTH DmaWidth;
  DMA_SPEED DmaSpeed;
  ULONG AlignmentMask;
  ULONG NumberOfAccessRanges;
  ACCESS_RANGE (*AccessRanges)[];
  PVOID Reserved;
  UCHAR NumberOfBuses;
  CCHAR InitiatorBusId[8];
  BOOLEAN ScatterGather;
  BOOLEAN Master;
  BOOLEAN CachesData;
  BOOLEAN AdapterScansDown;
  BOOLEAN AtdiskPrimaryClaimed;
  BOOLEAN AtdiskSecondaryClaimed;
  BOOLEAN Dma32BitAddresses;
  BOOLEAN DemandMode;
  UCHAR MapBuffers;
  BOOLEAN NeedPhysicalAddresses;
  BOOLEAN TaggedQueuing;
  BOOLEAN AutoRequestSense;
  BOOLEAN MultipleRequestPerLu;
  BOOLEAN ReceiveEvent;
  BOOLEAN RealModeInitialized;
  BOOLEAN BufferAccessScsiPortControlled;
  UCHAR MaximumNumberOfTargets;
  UCHAR ReservedUchars[2];
  ULONG SlotNumber;
  ULONG BusInterruptLevel2;
  ULONG BusInterruptVector2;
  KINTERRUPT_MODE InterruptMode2;
  ULONG DmaChannel2;
  ULONG DmaPort2;
  DMA_WIDTH DmaWidth2;
  DMA_SPEED DmaSpeed2;
  ULONG DeviceExtensionSize;
  ULONG SpecificLuExtensionSize;
  ULONG SrbExtensionSize;
  UCHAR Dma64BitAddresses;
  BOOLEAN ResetTargetSupported;
  UCHAR MaximumNumberOfLogicalUnits;
  BOOLEAN WmiDataProvider;
  STOR_SYNCHRONIZATION_MODEL SynchronizationModel;
  PHW_MESSAGE_SIGNALED_INTERRUPT_ROUTINE HwMSInterruptRoutine;
  INTERRUPT_SYNCHRONIZATION_MODE InterruptSynchronizationMode;
  MEMORY_REGION DumpRegion;
  ULONG RequestedDumpBufferSize;
  BOOLEAN VirtualDevice;
  ULONG ExtendedFlags1;
  ULONG MaxNumberOfIO;
} PORT_CONFIGURATION_INFORMATION, *PPORT_CONFIGURATION_INFORMATION;

typedef struct _SCSI_REQUEST_BLOCK {
  USHORT Length;
  UCHAR Function;
  UCHAR SrbStatus;
  UCHAR ScsiStatus;
  UCHAR PathId;
  UCHAR TargetId;
  UCHAR Lun;
  UCHAR QueueTag;
  UCHAR QueueAction;
  UCHAR CdbLength;
  UCHAR SenseInfoBufferLength;
  ULONG SrbFlags;
  ULONG DataTransferLength;
  ULONG TimeOutValue;
  PVOID DataBuffer;
  PVOID SenseInfoBuffer;
  struct _SCSI_REQUEST_BLOCK* NextSrb;
  PVOID OriginalRequest;
  PVOID SrbExtension;
  union {
    ULONG InternalStatus;
    ULONG QueueSortKey;
    ULONG LinkTimeoutValue;
  };
#if defined(_WIN64) || defined(__x86_64__)
  ULONG Reserved;
#endif
  UCHAR Cdb[16];
} SCSI_REQUEST_BLOCK, *PSCSI_REQUEST_BLOCK;

typedef enum _STOR_DEVICE_POWER_STATE {
  StorPowerDeviceUnspecified = 0,
  StorPowerDeviceD0 = 1,
  StorPowerDeviceD1 = 2,
  StorPowerDeviceD2 = 3,
  StorPowerDeviceD3 = 4,
  StorPowerDeviceMaximum = 5,
} STOR_DEVICE_POWER_STATE;

typedef enum {
  StorPowerActionNone = 0,
  StorPowerActionReserved = 1,
  StorPowerActionSleep = 2,
  StorPowerActionHibernate = 3,
  StorPowerActionShutdown = 4,
  StorPowerActionShutdownReset = 5,
  StorPowerActionShutdownOff = 6,
  StorPowerActionWarmEject = 7,
} STOR_POWER_ACTION;

typedef struct _SCSI_POWER_REQUEST_BLOCK {
  USHORT Length;
  UCHAR Function;
  UCHAR SrbStatus;
  UCHAR SrbPowerFlags;
  UCHAR PathId;
  UCHAR TargetId;
  UCHAR Lun;
  STOR_DEVICE_POWER_STATE DevicePowerState;
  ULONG SrbFlags;
  ULONG DataTransferLength;
  ULONG TimeOutValue;
  PVOID DataBuffer;
  PVOID SenseInfoBuffer;
  struct _SCSI_REQUEST_BLOCK* NextSrb;
  PVOID OriginalRequest;
  PVOID SrbExtension;
  STOR_POWER_ACTION PowerAction;
#if defined(_WIN64) || defined(__x86_64__)
  ULONG Reserved;
#endif
  UCHAR Reserved5[16];
} SCSI_POWER_REQUEST_BLOCK, *PSCSI_POWER_REQUEST_BLOCK;

// SRB functions, statuses and flags.
#define SRB_FUNCTION_EXECUTE_SCSI 0x00
#define SRB_FUNCTION_IO_CONTROL 0x02
#define SRB_FUNCTION_SHUTDOWN 0x07
#define SRB_FUNCTION_FLUSH 0x08
#define SRB_FUNCTION_ABORT_COMMAND 0x10
#define SRB_FUNCTION_RESET_BUS 0x12
#define SRB_FUNCTION_RESET_DEVICE 0x13
#define SRB_FUNCTION_RESET_LOGICAL_UNIT 0x20
#define SRB_FUNCTION_POWER 0x24
#define SRB_FUNCTION_PNP 0x25

#define SRB_STATUS_PENDING 0x00
#define SRB_STATUS_SUCCESS 0x01
#define SRB_STATUS_ABORTED 0x02
#define SRB_STATUS_ERROR 0x04
#define SRB_STATUS_BUSY 0x05
#define SRB_STATUS_INVALID_REQUEST 0x06
#define SRB_STATUS_NO_DEVICE 0x08
#define SRB_STATUS_TIMEOUT 0x09
#define SRB_STATUS_BUS_RESET 0x0E
#define SRB_STATUS_DATA_OVERRUN 0x12
#define SRB_STATUS_INVALID_LUN 0x20
#define SRB_STATUS_INVALID_TARGET_ID 0x21
#define SRB_STATUS_BAD_FUNCTION 0x22
#define SRB_STATUS_NOT_POWERED 0x24
#define SRB_STATUS_INTERNAL_ERROR 0x30
#define SRB_STATUS_QUEUE_FROZEN 0x40
#define SRB_STATUS_AUTOSENSE_VALID 0x80

#define SRB_FLAGS_NO_DATA_TRANSFER 0x00000000
#define SRB_FLAGS_DISABLE_AUTOSENSE 0x00000020
#define SRB_FLAGS_DATA_IN 0x00000040
#define SRB_FLAGS_DATA_OUT 0x00000080
#define SRB_FLAGS_UNSPECIFIED_DIRECTION 0x000000C0

#define SCSISTAT_GOOD 0x00
#define SCSISTAT_CHECK_CONDITION 0x02
#define SCSISTAT_BUSY 0x08
#define SCSISTAT_QUEUE_FULL 0x28

#define SP_RETURN_NOT_FOUND 0
#define SP_RETURN_FOUND 1
#define SP_RETURN_ERROR 2
#define SP_RETURN_BAD_CONFIG 3
#define SP_UNTAGGED ((UCHAR)~0)

#define STOR_MAP_NO_BUFFERS 0
#define STOR_MAP_ALL_BUFFERS 1
#define STOR_MAP_NON_READ_WRITE_BUFFERS 2
#define SCSI_DMA64_MINIPORT_SUPPORTED 0x01
#define SCSI_DMA64_MINIPORT_FULL64BIT_SUPPORTED 0x02

typedef struct _STOR_SCATTER_GATHER_ELEMENT {
  STOR_PHYSICAL_ADDRESS PhysicalAddress;
  ULONG Length;
  ULONG_PTR Reserved;
} STOR_SCATTER_GATHER_ELEMENT, *PSTOR_SCATTER_GATHER_ELEMENT;

typedef struct _STOR_SCATTER_GATHER_LIST {
  ULONG NumberOfElements;
  ULONG_PTR Reserved;
  STOR_SCATTER_GATHER_ELEMENT List[];
} STOR_SCATTER_GATHER_LIST, *PSTOR_SCATTER_GATHER_LIST;

typedef enum _SCSI_ADAPTER_CONTROL_TYPE {
  ScsiQuerySupportedControlTypes = 0,
  ScsiStopAdapter = 1,
  ScsiRestartAdapter = 2,
  ScsiSetBootConfig = 3,
  ScsiSetRunningConfig = 4,
  ScsiAdapterControlMax = 17,
} SCSI_ADAPTER_CONTROL_TYPE;

typedef enum _SCSI_ADAPTER_CONTROL_STATUS {
  ScsiAdapterControlSuccess = 0,
  ScsiAdapterControlUnsuccessful = 1,
} SCSI_ADAPTER_CONTROL_STATUS;

typedef struct _SCSI_SUPPORTED_CONTROL_TYPE_LIST {
  ULONG MaxControlType;
  BOOLEAN SupportedTypeList[];
} SCSI_SUPPORTED_CONTROL_TYPE_LIST, *PSCSI_SUPPORTED_CONTROL_TYPE_LIST;

typedef enum _SCSI_NOTIFICATION_TYPE {
  RequestComplete = 0,
  NextRequest = 1,
  NextLuRequest = 2,
  ResetDetected = 3,
  RequestTimerCall = 6,
  BusChangeDetected = 7,
  EnablePassiveInitialization = 0x1000,
  InitializeDpc = 0x1001,
  IssueDpc = 0x1002,
  AcquireSpinLock = 0x1003,
  ReleaseSpinLock = 0x1004,
} SCSI_NOTIFICATION_TYPE;

typedef enum _STOR_SPINLOCK {
  DpcLock = 1,
  StartIoLock = 2,
  InterruptLock = 3,
} STOR_SPINLOCK;

// The DPC object StorPort hands out: storage of the right size (drivers never touch its fields).
typedef struct _STOR_DPC {
  ULONG_PTR AeroOpaqueDpc[8];
  ULONG_PTR Lock;
} STOR_DPC, *PSTOR_DPC;

typedef struct _STOR_LOCK_HANDLE {
  STOR_SPINLOCK Lock;
  struct {
    struct {
      PVOID Next;
      PVOID Lock;
    } LockQueue;
    KIRQL OldIrql;
  } Context;
} STOR_LOCK_HANDLE, *PSTOR_LOCK_HANDLE;

// Miniport callbacks.
typedef BOOLEAN NTAPI HW_INITIALIZE(PVOID DeviceExtension);
typedef HW_INITIALIZE* PHW_INITIALIZE;
typedef BOOLEAN NTAPI HW_BUILDIO(PVOID DeviceExtension, PSCSI_REQUEST_BLOCK Srb);
typedef HW_BUILDIO* PHW_BUILDIO;
typedef BOOLEAN NTAPI HW_STARTIO(PVOID DeviceExtension, PSCSI_REQUEST_BLOCK Srb);
typedef HW_STARTIO* PHW_STARTIO;
typedef BOOLEAN NTAPI HW_INTERRUPT(PVOID DeviceExtension);
typedef HW_INTERRUPT* PHW_INTERRUPT;
typedef ULONG NTAPI HW_FIND_ADAPTER(PVOID DeviceExtension, PVOID HwContext, PVOID BusInformation,
                                    PCHAR ArgumentString,
                                    PPORT_CONFIGURATION_INFORMATION ConfigInfo, PBOOLEAN Again);
typedef HW_FIND_ADAPTER* PHW_FIND_ADAPTER;
typedef BOOLEAN NTAPI HW_RESET_BUS(PVOID DeviceExtension, ULONG PathId);
typedef HW_RESET_BUS* PHW_RESET_BUS;
typedef VOID NTAPI HW_DMA_STARTED(PVOID DeviceExtension);
typedef HW_DMA_STARTED* PHW_DMA_STARTED;
typedef BOOLEAN NTAPI HW_ADAPTER_STATE(PVOID DeviceExtension, PVOID Context, BOOLEAN SaveState);
typedef HW_ADAPTER_STATE* PHW_ADAPTER_STATE;
typedef SCSI_ADAPTER_CONTROL_STATUS NTAPI HW_ADAPTER_CONTROL(PVOID DeviceExtension,
                                                             SCSI_ADAPTER_CONTROL_TYPE ControlType,
                                                             PVOID Parameters);
typedef HW_ADAPTER_CONTROL* PHW_ADAPTER_CONTROL;
typedef BOOLEAN NTAPI HW_PASSIVE_INITIALIZE_ROUTINE(PVOID DeviceExtension);
typedef HW_PASSIVE_INITIALIZE_ROUTINE* PHW_PASSIVE_INITIALIZE_ROUTINE;
typedef VOID NTAPI HW_TIMER(PVOID DeviceExtension);
typedef HW_TIMER* PHW_TIMER;
typedef VOID NTAPI HW_DPC_ROUTINE(PSTOR_DPC Dpc, PVOID HwDeviceExtension, PVOID SystemArgument1,
                                  PVOID SystemArgument2);
typedef HW_DPC_ROUTINE* PHW_DPC_ROUTINE;

typedef struct _HW_INITIALIZATION_DATA {
  ULONG HwInitializationDataSize;
  INTERFACE_TYPE AdapterInterfaceType;
  PHW_INITIALIZE HwInitialize;
  PHW_STARTIO HwStartIo;
  PHW_INTERRUPT HwInterrupt;
  PHW_FIND_ADAPTER HwFindAdapter;
  PHW_RESET_BUS HwResetBus;
  PHW_DMA_STARTED HwDmaStarted;
  PHW_ADAPTER_STATE HwAdapterState;
  ULONG DeviceExtensionSize;
  ULONG SpecificLuExtensionSize;
  ULONG SrbExtensionSize;
  ULONG NumberOfAccessRanges;
  PVOID Reserved;
  UCHAR MapBuffers;
  BOOLEAN NeedPhysicalAddresses;
  BOOLEAN TaggedQueuing;
  BOOLEAN AutoRequestSense;
  BOOLEAN MultipleRequestPerLu;
  BOOLEAN ReceiveEvent;
  USHORT VendorIdLength;
  PVOID VendorId;
  union {
    USHORT ReservedUshort;
    USHORT PortVersionFlags;
  };
  USHORT DeviceIdLength;
  PVOID DeviceId;
  PHW_ADAPTER_CONTROL HwAdapterControl;
  PHW_BUILDIO HwBuildIo;
} HW_INITIALIZATION_DATA, *PHW_INITIALIZATION_DATA;

// ---- storport.sys exports ----
ULONG NTAPI StorPortInitialize(PVOID Argument1, PVOID Argument2,
                               struct _HW_INITIALIZATION_DATA* HwInitializationData,
                               PVOID HwContext);
VOID NTAPI_CDECL StorPortNotification(SCSI_NOTIFICATION_TYPE NotificationType,
                                      PVOID HwDeviceExtension, ...);
ULONG NTAPI StorPortGetBusData(PVOID DeviceExtension, ULONG BusDataType, ULONG SystemIoBusNumber,
                               ULONG SlotNumber, PVOID Buffer, ULONG Length);
PVOID NTAPI StorPortGetDeviceBase(PVOID HwDeviceExtension, INTERFACE_TYPE BusType,
                                  ULONG SystemIoBusNumber, STOR_PHYSICAL_ADDRESS IoAddress,
                                  ULONG NumberOfBytes, BOOLEAN InIoSpace);
VOID NTAPI StorPortFreeDeviceBase(PVOID HwDeviceExtension, PVOID MappedAddress);
PVOID NTAPI StorPortGetUncachedExtension(PVOID HwDeviceExtension,
                                         PPORT_CONFIGURATION_INFORMATION ConfigInfo,
                                         ULONG NumberOfBytes);
STOR_PHYSICAL_ADDRESS NTAPI StorPortGetPhysicalAddress(PVOID HwDeviceExtension,
                                                       PSCSI_REQUEST_BLOCK Srb,
                                                       PVOID VirtualAddress, ULONG* Length);
PSTOR_SCATTER_GATHER_LIST NTAPI StorPortGetScatterGatherList(PVOID DeviceExtension,
                                                             PSCSI_REQUEST_BLOCK Srb);
VOID NTAPI StorPortCompleteRequest(PVOID HwDeviceExtension, UCHAR PathId, UCHAR TargetId, UCHAR Lun,
                                   UCHAR SrbStatus);
VOID NTAPI StorPortLogError(PVOID HwDeviceExtension, PSCSI_REQUEST_BLOCK Srb, UCHAR PathId,
                            UCHAR TargetId, UCHAR Lun, ULONG ErrorCode, ULONG UniqueId);
VOID NTAPI StorPortStallExecution(ULONG Delay);
BOOLEAN NTAPI StorPortBusy(PVOID HwDeviceExtension, ULONG RequestsToComplete);
BOOLEAN NTAPI StorPortReady(PVOID HwDeviceExtension);
BOOLEAN NTAPI StorPortPause(PVOID HwDeviceExtension, ULONG TimeOut);
BOOLEAN NTAPI StorPortResume(PVOID HwDeviceExtension);
BOOLEAN NTAPI StorPortSetDeviceQueueDepth(PVOID HwDeviceExtension, UCHAR PathId, UCHAR TargetId,
                                          UCHAR Lun, ULONG Depth);

typedef enum _BUS_DATA_TYPE {
  PCIConfiguration = 4,
} BUS_DATA_TYPE;

// Register access. x86: storport.sys exports; x64: inline volatile accesses as in the WDK (the
// write is followed by a full fence so it is not reordered with later ring reads). Host builds of
// the shim get the functions from the StorPort test double, which forwards them to a fake device.
#if defined(_WIN32) && (defined(_WIN64) || defined(__x86_64__))
#define AERO_STORPORT_READ(type, name)                                   \
  FORCEINLINE type NTAPI name(PVOID HwDeviceExtension, type* Register) { \
    UNREFERENCED_PARAMETER(HwDeviceExtension);                           \
    __asm__ __volatile__("" ::: "memory");                               \
    return *(volatile type*)Register;                                    \
  }
#define AERO_STORPORT_WRITE(type, name)                                              \
  FORCEINLINE VOID NTAPI name(PVOID HwDeviceExtension, type* Register, type Value) { \
    UNREFERENCED_PARAMETER(HwDeviceExtension);                                       \
    *(volatile type*)Register = Value;                                               \
    __sync_synchronize();                                                            \
  }
AERO_STORPORT_READ(UCHAR, StorPortReadRegisterUchar)
AERO_STORPORT_READ(USHORT, StorPortReadRegisterUshort)
AERO_STORPORT_READ(ULONG, StorPortReadRegisterUlong)
AERO_STORPORT_WRITE(UCHAR, StorPortWriteRegisterUchar)
AERO_STORPORT_WRITE(USHORT, StorPortWriteRegisterUshort)
AERO_STORPORT_WRITE(ULONG, StorPortWriteRegisterUlong)
#undef AERO_STORPORT_READ
#undef AERO_STORPORT_WRITE
#else
UCHAR NTAPI StorPortReadRegisterUchar(PVOID HwDeviceExtension, PUCHAR Register);
USHORT NTAPI StorPortReadRegisterUshort(PVOID HwDeviceExtension, PUSHORT Register);
ULONG NTAPI StorPortReadRegisterUlong(PVOID HwDeviceExtension, PULONG Register);
VOID NTAPI StorPortWriteRegisterUchar(PVOID HwDeviceExtension, PUCHAR Register, UCHAR Value);
VOID NTAPI StorPortWriteRegisterUshort(PVOID HwDeviceExtension, PUSHORT Register, USHORT Value);
VOID NTAPI StorPortWriteRegisterUlong(PVOID HwDeviceExtension, PULONG Register, ULONG Value);
#endif

// StorPort's inline wrappers over StorPortNotification, as in the WDK.
FORCEINLINE BOOLEAN NTAPI StorPortEnablePassiveInitialization(
    PVOID DeviceExtension, PHW_PASSIVE_INITIALIZE_ROUTINE HwPassiveInitializeRoutine) {
  LONG succeeded = FALSE;
  StorPortNotification(EnablePassiveInitialization, DeviceExtension, HwPassiveInitializeRoutine,
                       &succeeded);
  return (BOOLEAN)succeeded;
}
FORCEINLINE VOID NTAPI StorPortInitializeDpc(PVOID DeviceExtension, PSTOR_DPC Dpc,
                                             PHW_DPC_ROUTINE HwDpcRoutine) {
  StorPortNotification(InitializeDpc, DeviceExtension, Dpc, HwDpcRoutine);
}
FORCEINLINE BOOLEAN NTAPI StorPortIssueDpc(PVOID DeviceExtension, PSTOR_DPC Dpc,
                                           PVOID SystemArgument1, PVOID SystemArgument2) {
  BOOLEAN succeeded = FALSE;
  StorPortNotification(IssueDpc, DeviceExtension, Dpc, SystemArgument1, SystemArgument2,
                       &succeeded);
  return succeeded;
}
FORCEINLINE VOID NTAPI StorPortAcquireSpinLock(PVOID DeviceExtension, STOR_SPINLOCK SpinLock,
                                               PVOID LockContext, PSTOR_LOCK_HANDLE LockHandle) {
  StorPortNotification(AcquireSpinLock, DeviceExtension, SpinLock, LockContext, LockHandle);
}
FORCEINLINE VOID NTAPI StorPortReleaseSpinLock(PVOID DeviceExtension,
                                               PSTOR_LOCK_HANDLE LockHandle) {
  StorPortNotification(ReleaseSpinLock, DeviceExtension, LockHandle);
}

EXTERN_C_END

#endif  // AERO_WDK_STORPORT_H
