// Project-owned subset of the WDK's ntddk.h: everything in wdm.h (nothing extra is needed yet).
#ifndef AERO_WDK_NTDDK_H
#define AERO_WDK_NTDDK_H
#include "wdm.h"
#endif  // AERO_WDK_NTDDK_H
