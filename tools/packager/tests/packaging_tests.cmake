# Packaging tests (label packaging; tools/packager/tests/packaging_test.py): the test package is
# signed, cataloged and packed the way the build does it, then checked with osslsigncode,
# openssl asn1parse, xorriso and Python's zipfile. Fixtures run first; the whole set takes
# seconds. It needs out/test-drivers/<arch>/aero_minimal_test.sys and, for product_media, the
# media the build wrote (make).
set(packaging_work "${CMAKE_CURRENT_BINARY_DIR}/packaging-test")
set(packaging_config "${CMAKE_CURRENT_BINARY_DIR}/packaging-test.json")
find_program(AERO_OSSLSIGNCODE osslsigncode REQUIRED)
find_program(AERO_OPENSSL openssl REQUIRED)
file(GENERATE OUTPUT "${packaging_config}" CONTENT "{
  \"work_dir\": \"${packaging_work}\",
  \"out_dir\": \"${AERO_OUT_DIR}\",
  \"signing_dir\": \"${CMAKE_SOURCE_DIR}/tools/signing\",
  \"test_inf\": \"${CMAKE_CURRENT_SOURCE_DIR}/tests/data/aero_minimal_test.inf\",
  \"sample_script\": \"${CMAKE_CURRENT_SOURCE_DIR}/tests/data/setup.cmd\",
  \"readme\": \"${CMAKE_SOURCE_DIR}/packaging/README.txt\",
  \"guest_tools_dir\": \"${CMAKE_SOURCE_DIR}/guest-tools\",
  \"product_iso\": \"${AERO_OUT_DIR}/aero-guest-tools.iso\",
  \"product_zip\": \"${AERO_OUT_DIR}/aero-guest-tools.zip\",
  \"catalog\": \"$<TARGET_FILE:aero-catalog>\",
  \"packager\": \"$<TARGET_FILE:aero-packager>\",
  \"inf_stamp\": \"$<TARGET_FILE:aero-inf-stamp>\",
  \"xorriso\": \"${AERO_XORRISO}\",
  \"osslsigncode\": \"${AERO_OSSLSIGNCODE}\",
  \"openssl\": \"${AERO_OPENSSL}\"
}
")

function(aero_packaging_test name)
  cmake_parse_arguments(ARG "" "SETUP" "REQUIRES" ${ARGN})
  add_test(NAME packaging.${name}
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/tests/packaging_test.py
            --config ${packaging_config} ${name})
  set_tests_properties(packaging.${name} PROPERTIES LABELS packaging TIMEOUT 120)
  if(ARG_SETUP)
    set_tests_properties(packaging.${name} PROPERTIES FIXTURES_SETUP ${ARG_SETUP})
  endif()
  if(ARG_REQUIRES)
    set_tests_properties(packaging.${name} PROPERTIES FIXTURES_REQUIRED "${ARG_REQUIRES}")
  endif()
endfunction()

aero_packaging_test(fixture_identity SETUP packaging_identity)
aero_packaging_test(fixture_packages SETUP packaging_packages REQUIRES packaging_identity)
aero_packaging_test(fixture_media SETUP packaging_media
                    REQUIRES "packaging_identity;packaging_packages")
foreach(arch x86 amd64)
  foreach(check catalog_members catalog_structure sys_signatures)
    aero_packaging_test(${check}_${arch} REQUIRES "packaging_identity;packaging_packages")
  endforeach()
endforeach()
aero_packaging_test(media_listing REQUIRES "packaging_identity;packaging_packages;packaging_media")
aero_packaging_test(determinism REQUIRES "packaging_identity;packaging_packages;packaging_media")
foreach(refusal private_key symlink unexpected_file missing_file)
  aero_packaging_test(refuses_${refusal} REQUIRES "packaging_identity;packaging_packages")
endforeach()
aero_packaging_test(user_pfx REQUIRES packaging_identity)
aero_packaging_test(identity_sha256 REQUIRES packaging_identity)
aero_packaging_test(product_media)
