/* A tiny kernel driver linked the way the project links drivers (mingw-kernel-notes.md sections
   1, 2, 5), so the checker is tested on real ld output and not only on generated images. It
   imports through the fixture .def files; it is never loaded. */
typedef long NTSTATUS;

#if defined(__i386__)
#define NTAPI __attribute__((stdcall))
#define FASTCALL __attribute__((fastcall))
#else
#define NTAPI
#define FASTCALL
#endif
#define IMPORT __declspec(dllimport)

IMPORT NTSTATUS NTAPI IoCreateDevice(void* driver, unsigned long extension_size, void* name,
                                     unsigned long type, unsigned long characteristics,
                                     unsigned char exclusive, void** device);
IMPORT long FASTCALL ObfReferenceObject(void* object);
IMPORT unsigned long DbgPrint(const char* format, ...);
#if defined(__i386__)
IMPORT extern volatile unsigned long KeTickCount;
IMPORT unsigned char NTAPI KeGetCurrentIrql(void);
#else
IMPORT unsigned char KeAcquireSpinLockRaiseToDpc(unsigned long long* lock);
IMPORT void KeReleaseSpinLock(unsigned long long* lock, unsigned char irql);
static unsigned long long spin_lock;
#endif

/* An absolute pointer, so the x64 image gets a DIR64 base relocation too. */
static const char* const messages[] = {"tiny: %lu\n", "tiny: done\n"};

NTSTATUS NTAPI DriverEntry(void* driver, void* registry_path) {
  void* device = 0;
  (void)registry_path;
#if defined(__i386__)
  DbgPrint(messages[0], KeTickCount + KeGetCurrentIrql());
#else
  const unsigned char irql = KeAcquireSpinLockRaiseToDpc(&spin_lock);
  DbgPrint(messages[0], (unsigned long)irql);
  KeReleaseSpinLock(&spin_lock, irql);
#endif
  ObfReferenceObject(driver);
  DbgPrint(messages[1]);
  return IoCreateDevice(driver, 0, 0, 0x22, 0, 0, &device);
}
