// PE/COFF numbers the checker needs (values from the Microsoft PE format specification).
#pragma once

#include <cstdint>

namespace aero::pecheck::pe {

// Image layout.
inline constexpr uint32_t kDosHeaderSize = 64;
inline constexpr uint32_t kDosLfanewOffset = 0x3c;
inline constexpr uint32_t kSignatureSize = 4;
inline constexpr uint32_t kFileHeaderSize = 20;
inline constexpr uint32_t kSectionHeaderSize = 40;
inline constexpr uint32_t kDataDirectoryCount = 16;
// CheckSum sits at the same offset in PE32 and PE32+ optional headers.
inline constexpr uint32_t kOptionalCheckSumOffset = 64;
// The Windows loader refuses images with more sections than this.
inline constexpr uint32_t kMaxSections = 96;

// FileHeader.Machine and OptionalHeader.Magic.
inline constexpr uint16_t kMachineI386 = 0x014c;
inline constexpr uint16_t kMachineAmd64 = 0x8664;
inline constexpr uint16_t kMagicPe32 = 0x010b;
inline constexpr uint16_t kMagicPe32Plus = 0x020b;

// FileHeader.Characteristics.
inline constexpr uint16_t kFileRelocsStripped = 0x0001;
inline constexpr uint16_t kFileExecutableImage = 0x0002;
inline constexpr uint16_t kFileDll = 0x2000;

// OptionalHeader.DllCharacteristics.
inline constexpr uint16_t kDllDynamicBase = 0x0040;
inline constexpr uint16_t kDllNxCompat = 0x0100;

// OptionalHeader.Subsystem.
inline constexpr uint16_t kSubsystemNative = 1;
inline constexpr uint16_t kSubsystemWindowsGui = 2;
inline constexpr uint16_t kSubsystemWindowsCui = 3;

// Section characteristics.
inline constexpr uint32_t kScnCntCode = 0x00000020;
inline constexpr uint32_t kScnMemDiscardable = 0x02000000;
inline constexpr uint32_t kScnMemExecute = 0x20000000;
inline constexpr uint32_t kScnMemRead = 0x40000000;
inline constexpr uint32_t kScnMemWrite = 0x80000000;

// Data directory indices.
inline constexpr uint32_t kDirImport = 1;
inline constexpr uint32_t kDirException = 3;
inline constexpr uint32_t kDirBaseReloc = 5;
inline constexpr uint32_t kDirTls = 9;
inline constexpr uint32_t kDirIat = 12;
inline constexpr uint32_t kDirDelayImport = 13;

// Base relocation types.
inline constexpr uint16_t kRelBasedAbsolute = 0;
inline constexpr uint16_t kRelBasedHighLow = 3;
inline constexpr uint16_t kRelBasedDir64 = 10;

// x64 exception directory entries (RUNTIME_FUNCTION: begin, end, unwind info RVAs).
inline constexpr uint32_t kRuntimeFunctionSize = 12;

// Import thunks: the top bit selects import by ordinal.
inline constexpr uint64_t kOrdinalFlag32 = 0x80000000u;
inline constexpr uint64_t kOrdinalFlag64 = 0x8000000000000000ull;

}  // namespace aero::pecheck::pe
