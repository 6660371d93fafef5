# Signed driver packages and the Guest Tools media (docs/packaging.md).
#
# In the win7 trees:
#   aero_add_driver_package(<name> INF <file.inf> [FILES <target-or-file>...])
#     registers a driver package: the INF plus the driver image of target <name> (or the listed
#     targets and files). The host tree stamps DriverVer into a copy of the INF, stages it with
#     the files, signs, catalogs and packs them; nothing is signed in the win7 trees.
#
# In the host tree: target `guest-tools-media`, after the win7 trees, runs
# tools/packager/build_media.cmake, which writes ${AERO_OUT_DIR}/aero-guest-tools.iso and .zip.
# Only a tree that builds the win7 trees makes the product (and has the target in ALL); in trees
# with AERO_SKIP_CROSS (host-asan, host-tsan, quick local trees) the target is built on request
# and writes driverless media to <build>/guest-tools-media-out, never over the product.
# Signing: the generated test identity (build tree only) unless AERO_SIGNING_PFX is set in the
# environment (with AERO_SIGNING_PFX_PASSWORD or AERO_SIGNING_PFX_PASSWORD_FILE).

if(AERO_TARGET MATCHES "^win7-")
  # One record per package, regenerated at every configure (a removed package disappears).
  set(AERO_DRIVER_PACKAGE_RECORDS "${CMAKE_BINARY_DIR}/driver-packages")
  file(REMOVE_RECURSE "${AERO_DRIVER_PACKAGE_RECORDS}")

  function(aero_add_driver_package name)
    cmake_parse_arguments(ARG "" "INF" "FILES" ${ARGN})
    if(NOT name MATCHES "^[a-z0-9_]+$")
      message(FATAL_ERROR "aero_add_driver_package: '${name}' must be lower case, digits and _")
    endif()
    if(NOT ARG_INF)
      message(FATAL_ERROR "aero_add_driver_package(${name}): INF <file.inf> is required")
    endif()
    get_filename_component(inf "${ARG_INF}" ABSOLUTE)
    if(NOT EXISTS "${inf}")
      message(FATAL_ERROR "aero_add_driver_package(${name}): '${inf}' does not exist")
    endif()
    if(NOT ARG_FILES)
      set(ARG_FILES ${name})
    endif()
    set(files "")
    foreach(item IN LISTS ARG_FILES)
      if(TARGET ${item})
        list(APPEND files "$<TARGET_FILE:${item}>")
      else()
        get_filename_component(path "${item}" ABSOLUTE)
        list(APPEND files "${path}")
      endif()
    endforeach()
    string(REPLACE ";" "\" \"" quoted "${files}")
    file(GENERATE OUTPUT "${AERO_DRIVER_PACKAGE_RECORDS}/${name}.cmake" CONTENT
      "set(AERO_PACKAGE_NAME \"${name}\")\nset(AERO_PACKAGE_INF \"${inf}\")\nset(AERO_PACKAGE_FILES \"${quoted}\")\n")
  endfunction()
  return()
endif()

if(NOT AERO_TARGET STREQUAL "host")
  return()
endif()

foreach(tool aero-catalog aero-packager aero-inf-stamp)
  if(NOT TARGET ${tool})
    message(FATAL_ERROR "AeroPackaging needs ${tool}: add aero_optional_subdirectory(tools/catalog) "
                        "and aero_optional_subdirectory(tools/packager) to tools/CMakeLists.txt")
  endif()
endforeach()

set(AERO_SIGNING_DIGESTS "sha1" CACHE STRING
    "Embedded driver signatures: sha1 (Windows 7 as shipped) or sha1+sha256 (a nested SHA-256 signature too)")
set_property(CACHE AERO_SIGNING_DIGESTS PROPERTY STRINGS sha1 sha1+sha256)
set(AERO_TEST_CERT_DIGEST "sha1" CACHE STRING
    "Signature digest of the generated test certificates: sha1 or sha256")
set_property(CACHE AERO_TEST_CERT_DIGEST PROPERTY STRINGS sha1 sha256)
find_program(AERO_XORRISO xorriso REQUIRED)
find_program(AERO_OSSLSIGNCODE osslsigncode REQUIRED)
find_program(AERO_OPENSSL openssl REQUIRED)

if(TARGET win7-x86 AND TARGET win7-x64)
  set(media_out "${AERO_OUT_DIR}")
  set(media_all ALL)
else()
  set(media_out "${CMAKE_BINARY_DIR}/guest-tools-media-out")
  set(media_all "")
endif()
set(media_args
  -DSOURCE_DIR=${CMAKE_SOURCE_DIR}
  -DWORK_DIR=${CMAKE_BINARY_DIR}/guest-tools-media
  -DIDENTITY_DIR=${CMAKE_BINARY_DIR}/signing/test-identity
  -DOUT_DIR=${media_out}
  -DVERSION=${PROJECT_VERSION}
  -DSIGNING_DIGESTS=${AERO_SIGNING_DIGESTS}
  -DTEST_CERT_DIGEST=${AERO_TEST_CERT_DIGEST}
  -DCATALOG_TOOL=$<TARGET_FILE:aero-catalog>
  -DPACKAGER=$<TARGET_FILE:aero-packager>
  -DINF_STAMP=$<TARGET_FILE:aero-inf-stamp>
  -DXORRISO=${AERO_XORRISO})
set(media_depends aero-catalog aero-packager aero-inf-stamp)
foreach(arch x86 x64)
  if(TARGET win7-${arch})
    list(APPEND media_args -DRECORDS_${arch}=${AERO_WIN7_BINARY_DIR_${arch}}/driver-packages)
    list(APPEND media_depends win7-${arch})
  endif()
endforeach()

add_custom_target(guest-tools-media ${media_all}
  COMMAND ${CMAKE_COMMAND} ${media_args} -P ${CMAKE_SOURCE_DIR}/tools/packager/build_media.cmake
  COMMENT "Signing the driver packages; writing ${media_out}/aero-guest-tools.iso and .zip"
  VERBATIM USES_TERMINAL)
add_dependencies(guest-tools-media ${media_depends})
