// DriverEntry of aero_virtio_blk.sys: registers the miniport callbacks with StorPort.
#include "miniport.h"

extern "C" DRIVER_INITIALIZE DriverEntry;

extern "C" NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT driver_object, PUNICODE_STRING registry_path) {
  using namespace aero::blk::win7;
  HW_INITIALIZATION_DATA hw = {};
  hw.HwInitializationDataSize = sizeof(hw);
  hw.AdapterInterfaceType = PCIBus;
  hw.HwFindAdapter = AeroBlkFindAdapter;
  hw.HwInitialize = AeroBlkInitialize;
  hw.HwBuildIo = AeroBlkBuildIo;
  hw.HwStartIo = AeroBlkStartIo;
  hw.HwInterrupt = AeroBlkInterrupt;
  hw.HwResetBus = AeroBlkResetBus;
  hw.HwAdapterControl = AeroBlkAdapterControl;
  hw.DeviceExtensionSize = sizeof(AdapterExtension);
  hw.SrbExtensionSize = sizeof(SrbContext);
  hw.NumberOfAccessRanges = 6;
  hw.MapBuffers = STOR_MAP_NON_READ_WRITE_BUFFERS;
  hw.NeedPhysicalAddresses = TRUE;
  hw.TaggedQueuing = TRUE;
  hw.AutoRequestSense = TRUE;
  hw.MultipleRequestPerLu = TRUE;
  return static_cast<NTSTATUS>(StorPortInitialize(driver_object, registry_path, &hw, nullptr));
}
