# Drives the cross builds (win7-x86, win7-x64, guest-i686) and the clang fuzz tree from the host build.
option(AERO_SKIP_CROSS "Build only the host tree (for quick local iteration)" OFF)
