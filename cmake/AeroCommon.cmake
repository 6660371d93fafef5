# Settings every target shares.
set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)
set(CMAKE_C_STANDARD 11)
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)

find_package(Python3 3.9 REQUIRED COMPONENTS Interpreter)

# Warnings are errors on every target. Portable libraries link aero::warnings, and
# aero::platform_flags, which each target's module points at the right flag set.
add_library(aero_warnings INTERFACE)
add_library(aero::warnings ALIAS aero_warnings)
target_compile_options(aero_warnings INTERFACE
  -Wall -Wextra -Wshadow -Wundef -Wcast-align -Wformat=2 -Wmissing-declarations
  $<$<COMPILE_LANGUAGE:CXX>:-Wnon-virtual-dtor -Woverloaded-virtual>
  -Werror)

add_library(aero_platform_flags INTERFACE)
add_library(aero::platform_flags ALIAS aero_platform_flags)

# Parts under construction join the build once their CMakeLists.txt exists.
macro(aero_optional_subdirectory dir)
  if(EXISTS "${CMAKE_SOURCE_DIR}/${dir}/CMakeLists.txt")
    add_subdirectory("${CMAKE_SOURCE_DIR}/${dir}" "${CMAKE_BINARY_DIR}/${dir}")
  endif()
endmacro()
