// Every project-owned WDK header, for the ABI conformance check.
#include <ntddk.h>
#include <storport.h>
